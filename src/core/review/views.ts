import { platformLabel, roleLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { formatDateTime, formatShort } from "../time.ts";
import type { CardView } from "../types.ts";
import { windowCardNote, windowWarningLines } from "../windows/publish-windows.ts";
import { previousRound } from "./previous.ts";
import { getItem, type Item, latestRevision, publicationsOf, type Step, stepsOf } from "./repo.ts";
import { type ItemStatus, STATUS_LABEL } from "./transitions.ts";

/**
 * Feishu refuses cards over 30 KB (and the click answer with them). The card shows at most this many
 * findings and cuts long opinions; /status has everything.
 */
const CARD_FINDINGS = 10;
const CARD_OPINION_CHARS = 200;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

const STEP_MARK: Record<string, string> = {
  approved: "✅",
  rejected: "❌",
  pending: "⏳",
  waiting: "▫️",
  cancelled: "⛔",
};

/**
 * What the cards of one decision read, kept so that the next card of the same decision reads none of it
 * again (the decided step's card and the next step's card show the same item, revision and people).
 * Filled on first use; only for the length of one transaction.
 */
export interface CardReads {
  item?: Item;
  /** The steps of the card's revision as they are now (the caller passes what it just wrote). */
  steps?: Step[];
  rev?: ReturnType<typeof latestRevision>;
  previous?: string;
  names?: Map<number, string>;
}

/** Names by person id, each looked up once per `reads`. */
function namesOf(d: Services, ids: number[], reads: CardReads = {}): Map<number, string> {
  reads.names ??= new Map();
  const known = reads.names;
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) for (const [id, name] of d.people.names(missing)) known.set(id, name);
  return known;
}

/** A person's name through `reads` (see CardReads). */
export function nameIn(d: Services, id: number, reads?: CardReads): string {
  return namesOf(d, [id], reads).get(id) ?? d.people.name(id);
}

/** One line per chain step: who decided, when, with what opinion — the chain as reviewers see it. */
export function chainLines(
  d: Services,
  steps: Step[],
  opinionChars = Number.POSITIVE_INFINITY,
  reads?: CardReads,
): string[] {
  const names = namesOf(
    d,
    steps.flatMap((s) => (s.decidedBy ? [s.decidedBy] : [])),
    reads,
  );
  return steps.map((s) => {
    const mark = STEP_MARK[s.status] ?? "▫️";
    const who = s.decidedBy ? ` · ${names.get(s.decidedBy) ?? "?"}` : ` · ${roleLabel(s.role)}`;
    const when = s.decidedAt ? ` · ${formatShort(s.decidedAt, d.tz)}` : "";
    const opinion = s.opinion ? ` · 意见：${clip(s.opinion, opinionChars)}` : "";
    const state = s.status === "pending" ? "（待审）" : s.status === "cancelled" ? "（已取消）" : "";
    return `${mark} ${s.position}. ${s.label}${state}${who}${when}${opinion}`;
  });
}

export function platformsText(item: Item): string {
  return item.platforms.map(platformLabel).join("、");
}

/**
 * Items that are not content (a 《档案查阅申请》) have their own facts in place of platform, plan, body and
 * pre-check: the feature that owns the kind registers how to write them with `engine.cardFacts` (src/core/archive/index.ts).
 */
export type CardFacts = (d: Services, itemId: number, steps: Step[]) => string;

/**
 * The review card of one step (template `review`). `focus` is the step this copy was sent for: while it is
 * pending the card carries the 通过/驳回 form, afterwards it shows who decided and when.
 */
export function reviewCard(
  d: Services,
  itemId: number,
  focus: Step,
  reads: CardReads = {},
  factsOf: (kind: string) => CardFacts | undefined = () => undefined,
): CardView {
  // Callers that just wrote the item or its steps pass them along (see CardReads).
  reads.item ??= getItem(d.db, itemId);
  reads.rev ??= latestRevision(d.db, itemId);
  const { item, rev } = reads;
  const steps = reads.steps ?? stepsOf(d.db, itemId, focus.revision);
  const preview = d.policy.count("review.body.preview");
  const body = rev.body.length > preview ? `${rev.body.slice(0, preview)}…` : rev.body;
  const decider = focus.decidedBy ? nameIn(d, focus.decidedBy, reads) : "";
  const superseded = focus.revision !== item.revision;
  const open = focus.status === "pending" && !superseded && item.status === "in_review";
  const outcome = stepOutcome(focus, decider, d.tz, superseded, item.status as ItemStatus);
  const ownFacts = factsOf(item.kind);
  if (ownFacts) {
    const facts = ownFacts(d, item.id, steps);
    return {
      template: "review",
      more: `发送 /status ${item.id} 查看全文`,
      data: {
        headerTitle: `${focus.label} · ${item.title}`,
        headerColor: headerColor(open, focus.status),
        summary: `${focus.label}：${item.title}`,
        itemNo: `#${item.id}`,
        title: item.title,
        author: nameIn(d, item.authorId, reads),
        revision: `第 ${item.revision} 版`,
        isContent: false,
        facts,
        bodyHeading: "申请",
        quoteText: facts,
        body: "",
        bodyMore: "",
        findings: [],
        noFindings: false,
        previous: "",
        platforms: "",
        plannedAt: "",
        chain: chainLines(d, steps, CARD_OPINION_CHARS, reads).join("\n"),
        open,
        outcome,
        approveValue: { a: "review.decide", step: focus.id, v: "approve" },
        rejectValue: { a: "review.decide", step: focus.id, v: "reject" },
      },
    };
  }
  return {
    template: "review",
    more: `发送 /status ${item.id} 查看全文`,
    data: {
      headerTitle: `${focus.label} · #${item.id} ${item.title}`,
      headerColor: headerColor(open, focus.status),
      summary: `#${item.id} ${focus.label}：${item.title}`,
      itemNo: `#${item.id}`,
      title: item.title,
      platforms: platformsText(item),
      author: nameIn(d, item.authorId, reads),
      plannedAt: item.plannedAt
        ? `${formatDateTime(item.plannedAt, d.tz)}${windowCardNote(item.platforms, item.plannedAt, d.tz)}`
        : "未定",
      revision: `第 ${item.revision} 版`,
      body,
      isContent: true,
      facts: "",
      bodyHeading: "正文",
      quoteText: body,
      bodyMore:
        rev.body.length > preview ? `正文共 ${rev.body.length} 字，发送 /status ${item.id} 查看全文` : "",
      findings: [
        ...rev.findings.slice(0, CARD_FINDINGS).map((f) => ({ text: `⚠️ ${f.message}` })),
        ...(rev.findings.length > CARD_FINDINGS
          ? [{ text: `…还有 ${rev.findings.length - CARD_FINDINGS} 条，发送 /status ${item.id} 查看全部` }]
          : []),
      ],
      noFindings: rev.findings.length === 0,
      previous: previousOf(d, item.id, focus.revision, reads),
      chain: chainLines(d, steps, CARD_OPINION_CHARS, reads).join("\n"),
      open,
      outcome,
      approveValue: { a: "review.decide", step: focus.id, v: "approve" },
      rejectValue: { a: "review.decide", step: focus.id, v: "reject" },
    },
  };
}

function previousOf(d: Services, itemId: number, revision: number, reads: CardReads): string {
  reads.previous ??= previousRound(d, itemId, revision);
  return reads.previous;
}

function stepOutcome(s: Step, decider: string, tz: string, superseded: boolean, status: ItemStatus): string {
  const when = s.decidedAt ? formatDateTime(s.decidedAt, tz) : "";
  if (s.status === "approved")
    return `✅ ${decider} 已于 ${when} 通过${s.opinion ? `，意见：${s.opinion}` : ""}`;
  if (s.status === "rejected") return `❌ ${decider} 已于 ${when} 驳回，意见：${s.opinion ?? ""}`;
  if (s.status === "cancelled" || status === "withdrawn") return "⛔ 审核已终止（内容已撤回或被驳回）";
  if (superseded) return "⛔ 该版本已被新版本取代";
  return "";
}

/** `/status` text: the whole history of an item, every revision and step. */
export function statusText(d: Services, itemId: number): string {
  const item = getItem(d.db, itemId);
  const rev = latestRevision(d.db, itemId);
  const lines = [
    `#${item.id}《${item.title}》 ${STATUS_LABEL[item.status as ItemStatus]}`,
    `平台：${platformsText(item)}｜作者：${d.people.name(item.authorId)}｜第 ${item.revision} 版｜计划发布：${
      item.plannedAt ? formatDateTime(item.plannedAt, d.tz) : "未定"
    }`,
    ...windowWarningLines(item.platforms, item.plannedAt, d.tz),
  ];
  for (let r = item.revision; r >= 1; r--) {
    lines.push(`— 第 ${r} 版 —`, ...chainLines(d, stepsOf(d.db, itemId, r)));
  }
  const pubs = publicationsOf(d.db, itemId);
  if (pubs.length > 0) {
    lines.push("— 发布 —");
    for (const p of pubs) {
      lines.push(
        `${platformLabel(p.platform)} ${formatDateTime(p.publishedAt, d.tz)} ${p.link ?? ""}`.trim(),
      );
    }
  }
  if (rev.findings.length > 0) lines.push("— 合规预审 —", ...rev.findings.map((f) => `⚠️ ${f.message}`));
  lines.push("— 正文 —", rev.body);
  return lines.join("\n");
}

/** Blue while the step waits; then green, red or grey for how it ended. */
function headerColor(open: boolean, status: string): string {
  if (open) return "blue";
  return status === "approved" ? "green" : status === "rejected" ? "red" : "grey";
}
