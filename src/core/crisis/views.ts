import { eq } from "drizzle-orm";
import { contentItems } from "../../store/schema/index.ts";
import { currentStep } from "../review/repo.ts";
import { STATUS_LABEL } from "../review/transitions.ts";
import type { Services } from "../services.ts";
import { describeDuration, formatShort } from "../time.ts";
import type { CardView } from "../types.ts";
import { containDeadline, containElapsedPct } from "./contain.ts";
import { DRILL_MARK, drillAwaitingAcks, isDrill } from "./drill-mark.ts";
import { CONTAIN_GOAL, crisisNo, nextStage, STAGE_LABEL, TIER_LABEL, TIER_NAME } from "./model.ts";
import { type Crisis, evidenceCount } from "./repo.ts";

/** Cards and one-line views of a crisis. Everything a user typed goes into plain_text elements. */

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const CARD_DESCRIPTION = 1000;

/** "上报：小王 · 11-16 10:00（发现于 09:50）⚠️ 迟报 1小时" */
export function reportLine(services: Services, c: Crisis): string {
  const found = c.discoveredAt < c.reportedAt ? `（发现于 ${formatShort(c.discoveredAt, services.tz)}）` : "";
  const late = c.reportLateMs > 0 ? ` ⚠️ 迟报 ${describeDuration(c.reportLateMs)}` : "";
  return `${services.people.name(c.reporterId)} · ${formatShort(c.reportedAt, services.tz)}${found}${late}`;
}

/** "11-19 10:00（已用 23%）", or when the clock has stopped, how it ended. */
export function containLine(services: Services, c: Crisis, now: number): string {
  const deadline = formatShort(containDeadline(services, c), services.tz);
  if (c.containedAt !== null) {
    const onTime = c.containedAt <= containDeadline(services, c);
    return `${deadline} · 已于 ${formatShort(c.containedAt, services.tz)} ${CONTAIN_GOAL[c.tier]}${onTime ? "" : "（超时）"}`;
  }
  const pct = containElapsedPct(services, c, now);
  return `${deadline}（已用 ${pct}%${pct >= 100 ? "，已超时" : ""}）`;
}

export function leadLine(services: Services, c: Crisis): string {
  if (!c.leadId) return `未确认（已呼叫 ${c.pages} 次）`;
  const name = services.people.name(c.leadId);
  if (c.ackedAt === null) return `${name}（升级后待重新确认，已呼叫 ${c.pages} 次）`;
  return `${name}（${formatShort(c.ackedAt, services.tz)} 确认）`;
}

/**
 * The statement's state. Cards are refreshed when the chain finishes, not at each step (the engine tells
 * only then), so a card says 审批中 and points to /status; the text views name the current step.
 */
export function statementLine(services: Services, c: Crisis, currentStepToo = false): string | undefined {
  if (c.statementPublishedAt !== null) {
    return `已于 ${formatShort(c.statementPublishedAt, services.tz)} 发布${c.statementLink ? `：${c.statementLink}` : ""}`;
  }
  if (c.statementItemId === null) return undefined;
  const item = services.db.select().from(contentItems).where(eq(contentItems.id, c.statementItemId)).get();
  if (!item) return undefined;
  if (item.status !== "in_review")
    return `#${item.id} ${STATUS_LABEL[item.status as keyof typeof STATUS_LABEL]}`;
  const step = currentStepToo ? currentStep(services.db, item) : undefined;
  return step ? `#${item.id} ${step.label}中` : `#${item.id} 审批中（/status ${item.id}）`;
}

/**
 * The alert card (template `crisis`): red while nobody has acknowledged (收到 / 升级), orange while it is
 * being handled (下一阶段 / 升级), grey once closed. `atAll` only for the copies posted in groups.
 */
export function crisisCard(
  services: Services,
  c: Crisis,
  opts: {
    atAll?: boolean;
    /** The escalation DM: who it goes to (市场部门负责人, 管理层) and after how many unanswered repeats. */
    escalation?: { to: string; repeats: number };
  } = {},
): CardView {
  const now = services.clock.now();
  const no = crisisNo(c.id);
  const open = c.stage !== "closed";
  const waiting = open && c.ackedAt === null;
  const next = open && c.leadId ? nextStage(c.stage) : undefined;
  const mark = isDrill(services.db, c.id) ? DRILL_MARK : "";
  // A drill times every member's 收到, so the button stays until each crisis member has pressed it.
  const ackOpen = waiting || (open && mark !== "" && drillAwaitingAcks(services, c.id));
  const facts = [
    `级别：${TIER_LABEL[c.tier]}`,
    `阶段：${STAGE_LABEL[c.stage]}`,
    `负责人：${leadLine(services, c)}`,
    `上报：${reportLine(services, c)}`,
    ...(c.store ? [`门店：${c.store}`] : []),
    `处置时限：${containLine(services, c, now)}`,
  ];
  const evidence = evidenceCount(services.db, c.id);
  if (evidence > 0) facts.push(`证据：${evidence} 张图片`);
  const statement = statementLine(services, c);
  if (statement) facts.push(`官方声明：${statement}`);
  let notice: string;
  if (!open) notice = `🏁 已于 ${formatShort(c.closedAt ?? now, services.tz)} 结案：${c.summary ?? ""}`;
  else if (waiting && opts.escalation) {
    // Why this person got it: which crisis, how long and how often the crisis group was paged in vain.
    const e = opts.escalation;
    notice = `⏫ 升级通知${e.to}：${no} 已呼叫危机小组 ${c.pages} 次（其中重复 ${e.repeats} 次），${describeDuration(now - c.pagedAt)}无人确认。请点「收到」亲自负责，或督促危机小组确认（/ack ${no}）`;
  } else if (waiting) {
    const nth = c.pages > 0 ? `第 ${c.pages} 次呼叫：` : "";
    notice = `${nth}请危机小组成员点「收到」确认，确认人成为负责人（或发送 /ack ${no}）`;
  } else
    notice = `✅ ${services.people.name(c.leadId ?? 0)} 负责处理。推进阶段：/crisis stage ${no} <阶段> <说明>`;
  return {
    template: "crisis",
    more: `发送 /crisis show ${no} 查看全文`,
    data: {
      headerTitle: `🚨 ${mark}${TIER_NAME[c.tier]}危机 ${no}${!open ? " · 已结案" : waiting ? " · 待确认" : ` · ${STAGE_LABEL[c.stage]}`}`,
      headerColor: !open ? "grey" : waiting ? "red" : "orange",
      summary: `${mark}${opts.escalation && waiting ? `⏫ ${no} 无人确认 · ` : `${no} `}${TIER_NAME[c.tier]}危机：${clip(c.description, 60)}`,
      atAll: Boolean(opts.atAll) && waiting,
      description: clip(c.description, CARD_DESCRIPTION),
      facts: facts.join("\n"),
      notice,
      canAck: ackOpen,
      ackValue: { a: "crisis.ack", c: c.id },
      canEscalate: open && c.tier < 3,
      escalateLabel: c.tier < 3 ? `升级为${TIER_NAME[(c.tier + 1) as 2 | 3]}` : "",
      escalateValue: { a: "crisis.escalate", c: c.id, from: c.tier },
      canAdvance: Boolean(next),
      advanceLabel: next ? `进入：${STAGE_LABEL[next]}` : "",
      advanceValue: { a: "crisis.stage", c: c.id, from: c.stage, to: next ?? "" },
      hasButtons: ackOpen || (open && c.tier < 3) || Boolean(next),
    },
  };
}
