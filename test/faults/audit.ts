/**
 * The end-of-run checks of the fault run, read from the fakes (what users received) and, read-only, from
 * the bot's SQLite file (what the bot believes it did). Every function returns problems as sentences
 * instead of throwing, so one run reports all of them at once.
 */
import Database from "better-sqlite3";
import type { FakeFeishu } from "../../src/platforms/sandbox/open-platform/index.ts";
import type { FakeWecom } from "../fakes/wecom/server.ts";
import { cardText, hasDecisionButtons, p2p } from "../support/harness.ts";
import { buttonValue, type Expected, sentJson } from "./delivered.ts";
import { type Person, STEP_HOLDERS } from "./plan.ts";

type Row = Record<string, unknown>;

export function openReadOnly(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

export interface Counts {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
}

const zero = (): Counts => ({ expected: 0, delivered: 0, lost: 0, duplicated: 0 });

function tally(c: Counts, expected: number, delivered: number): void {
  c.expected += expected;
  c.delivered += Math.min(expected, delivered);
  c.lost += Math.max(0, expected - delivered);
  c.duplicated += Math.max(0, delivered - expected);
}

export interface Accounting {
  /** Outbox sends: every row the bot committed is one message the platform must have accepted once. */
  outbox: { feishu: Counts; wecom: Counts };
  /** The workload's own expectations: texts people must have read, exactly that many times. */
  workload: Counts;
  /** Review cards: each holder of a decided step's role got exactly one copy. */
  cards: Counts;
  /** Messages on the fakes that no outbox row explains. */
  unexplained: number;
  /**
   * WeCom texts the bot sent more than once with identical content to one member, of which WeCom's
   * duplicate check (enable_duplicate_check, 30 min) delivered only the first: lost to users, but not
   * by a fault — by the bot reusing a text. Counted in `outbox.wecom.lost` too.
   */
  swallowed: { count: number; texts: string[] };
  /** Feishu 加急 (urgent_app has no idempotency key on Feishu's side: at least once, reported). */
  buzz: { rows: number; calls: number };
  problems: string[];
}

/**
 * "Delivered exactly once", from both ends:
 * - every `send` row in the outbox is `done` and the fake holds exactly one accepted message for it —
 *   Feishu: the row's `idem_key` is the message `uuid`; WeCom: a template card's `task_id` is the row's
 *   `idem_key`, and a text/markdown is identified by (member, content) — WeCom's own duplicate check
 *   keys on exactly that, so the expected count of each (member, content) is the number of rows with it;
 * - no accepted message on a fake lacks its outbox row (nothing sent that the bot did not decide to send);
 * - every text the workload implies (Expected) was received exactly as often as implied;
 * - every holder of each decided review step received exactly one copy of that step's card.
 */
export function account(
  db: Database.Database,
  feishu: FakeFeishu,
  wecom: FakeWecom,
  exp: Expected,
): Accounting {
  const problems: string[] = [];
  const out: Accounting = {
    outbox: { feishu: zero(), wecom: zero() },
    workload: zero(),
    cards: zero(),
    unexplained: 0,
    swallowed: { count: 0, texts: [] },
    buzz: { rows: 0, calls: 0 },
    problems,
  };
  const rows = db.prepare("select * from outbox order by id").all() as Row[];
  const payload = (r: Row) => JSON.parse(String(r.payload)) as Record<string, unknown>;

  // --- outbox ↔ Feishu
  const byUuid = feishu.state.deliveriesByUuid();
  const feishuSends = rows.filter((r) => r.platform === "feishu" && r.op === "send");
  for (const r of feishuSends) {
    const n = byUuid.get(String(r.idem_key)) ?? 0;
    tally(out.outbox.feishu, 1, n);
    if (r.status !== "done") problems.push(`feishu outbox ${r.id} is ${r.status} (${r.last_error ?? ""})`);
    if (n !== 1) problems.push(`feishu outbox ${r.id} (${r.target}) delivered ${n}×`);
    const first = feishu.state.uuids.get(String(r.idem_key));
    if (n === 1 && r.message_id !== first?.messageId) {
      problems.push(
        `feishu outbox ${r.id}: bot recorded message ${r.message_id}, Feishu has ${first?.messageId}`,
      );
    }
  }
  const known = new Set(feishuSends.map((r) => String(r.idem_key)));
  for (const m of feishu.state.messages) {
    if (m.uuid === undefined || !known.has(m.uuid)) {
      out.unexplained += 1;
      problems.push(`feishu message ${m.messageId} to ${m.chatId} has no outbox row (uuid ${m.uuid})`);
    }
  }
  const urgentRows = rows.filter((r) => r.platform === "feishu" && r.op === "urgent");
  out.buzz.rows = urgentRows.length;
  for (const r of urgentRows) {
    const sendId = Number(payload(r).sendId);
    const sent = rows.find((x) => x.id === sendId);
    const calls = feishu.state.urgent.filter((u) => u.messageId === sent?.message_id).length;
    out.buzz.calls += calls;
    if (r.status !== "done") problems.push(`feishu buzz ${r.id} is ${r.status} (${r.last_error ?? ""})`);
    if (calls === 0) problems.push(`feishu buzz ${r.id} never reached Feishu`);
  }

  // --- outbox ↔ WeCom (app messages; the workload binds no group robot)
  const wecomSends = rows.filter((r) => r.platform === "wecom" && r.op === "send");
  const textExpected = new Map<string, number>();
  for (const r of wecomSends) {
    if (r.status !== "done") problems.push(`wecom outbox ${r.id} is ${r.status} (${r.last_error ?? ""})`);
    const p = payload(r) as { to: string; userId?: string; msg?: Record<string, unknown> };
    if (p.to !== "member" || !p.userId || !p.msg) {
      problems.push(`wecom outbox ${r.id}: unexpected payload ${String(p.to)}`);
      continue;
    }
    const type = String(p.msg.msgtype);
    if (type === "template_card") {
      const n = wecom.state.messages.filter((m) => m.taskId === r.idem_key).length;
      tally(out.outbox.wecom, 1, n);
      if (n !== 1) problems.push(`wecom card ${r.idem_key} to ${p.userId} delivered ${n}×`);
    } else if (type === "text" || type === "markdown") {
      const parts = type === "text" ? (p.msg.parts as string[]) : [String(p.msg.content)];
      for (const part of parts) {
        const key = `${p.userId}\u0000${type}\u0000${part}`;
        textExpected.set(key, (textExpected.get(key) ?? 0) + 1);
      }
    } else problems.push(`wecom outbox ${r.id}: unexpected msgtype ${type}`);
  }
  const textDelivered = new Map<string, number>();
  for (const m of wecom.state.messages) {
    if (m.msgtype === "template_card") {
      if (!wecomSends.some((r) => r.idem_key === m.taskId)) {
        out.unexplained += 1;
        problems.push(`wecom card ${m.taskId} to ${m.touser} has no outbox row`);
      }
      continue;
    }
    const key = `${m.touser}\u0000${m.msgtype}\u0000${m.content}`;
    textDelivered.set(key, (textDelivered.get(key) ?? 0) + 1);
  }
  for (const [key, n] of textExpected) {
    const got = textDelivered.get(key) ?? 0;
    tally(out.outbox.wecom, n, got);
    const [to, type, content] = key.split("\u0000");
    if (n > 1 && got === 1 && wecom.state.duplicates.some((d) => d.touser === to && d.content === content)) {
      out.swallowed.count += n - 1;
      out.swallowed.texts.push(`${n - 1}× ${type} to ${to}: ${content}`);
      continue;
    }
    if (got !== n)
      problems.push(
        `wecom text to ${key.split("\u0000")[0]} delivered ${got}× of ${n}: ${key.split("\u0000")[2]}`,
      );
  }
  for (const [key, got] of textDelivered) {
    if (!textExpected.has(key)) {
      out.unexplained += got;
      problems.push(`wecom text to ${key.split("\u0000")[0]} has no outbox row: ${key.split("\u0000")[2]}`);
    }
  }
  for (const d of wecom.state.dropped)
    problems.push(`wecom silently dropped (rate limit) a message to ${d.touser}`);
  if (wecom.state.robot.length > 0)
    problems.push(`unexpected group-robot posts: ${wecom.state.robot.length}`);

  // --- update and urgent rows end settled too: an update is done or superseded by a newer one.
  for (const r of rows) {
    if (r.op === "update" && r.status !== "done" && r.status !== "superseded") {
      problems.push(`${r.platform} card update ${r.id} is ${r.status} (${r.last_error ?? ""})`);
    }
  }

  // --- what the workload implies people read
  for (const e of exp.texts.values()) {
    const texts =
      e.platform === "feishu"
        ? feishu.state.messages
            .filter((m) => m.chatId === e.to && m.msgType === "text")
            .map((m) => (m.content as { text: string }).text)
        : wecom.state.messages
            .filter((m) => m.touser === e.to && (m.msgtype === "text" || m.msgtype === "markdown"))
            .map((m) => m.content);
    const got = texts.filter((t) => t.includes(e.fragment)).length;
    tally(out.workload, e.times, got);
    if (got !== e.times)
      problems.push(`${e.platform} ${e.to} read「${e.fragment}」${got}× (expected ${e.times})`);
  }

  // --- every holder got exactly one copy of each decided step's card
  for (const [step, s] of exp.steps) {
    for (const holder of STEP_HOLDERS[s.label] ?? []) {
      const n = copiesOf(feishu, wecom, holder, step).length;
      tally(out.cards, 1, n);
      if (n !== 1)
        problems.push(`${holder.name} got ${n} copies of the card of step ${step} (#${s.item} ${s.label})`);
    }
  }
  return out;
}

function copiesOf(feishu: FakeFeishu, wecom: FakeWecom, p: Person, step: number) {
  const isStep = (json: string) => buttonValue(json, "review.decide", "step") === step;
  return p.platform === "feishu"
    ? feishu.state.messages.filter(
        (m) => m.chatId === p2p(p.id) && m.msgType === "interactive" && isStep(sentJson(m)),
      )
    : wecom.state.messages.filter(
        (m) => m.touser === p.id && m.msgtype === "template_card" && isStep(sentJson(m)),
      );
}

/** Card copies that still offer 通过/驳回 although their step was decided (informational). */
export function staleCards(feishu: FakeFeishu, wecom: FakeWecom, exp: Expected): string[] {
  const stale: string[] = [];
  for (const [step, s] of exp.steps) {
    for (const holder of STEP_HOLDERS[s.label] ?? []) {
      for (const m of copiesOf(feishu, wecom, holder, step)) {
        const open =
          "msgType" in m
            ? hasDecisionButtons(m.card)
            : !m.card?.replace_text && ((m.card?.button_list as unknown[] | undefined) ?? []).length > 0;
        if (open) stale.push(`${holder.name}'s card of step ${step} (#${s.item} ${s.label})`);
      }
    }
  }
  return stale;
}

/**
 * The bot's state against its own ledger and against the plan: item status ↔ steps ↔ review_events,
 * tickets and crises as the workload left them, nothing stuck in the outbox.
 */
export function ledgerProblems(db: Database.Database, exp: Expected): string[] {
  const problems: string[] = [];
  const all = <T = Row>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[];
  const one = <T = Row>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T | undefined;
  const personOf = (p: Person) =>
    one<{ person_id: number }>(
      "select person_id from identities where platform = ? and user_id = ?",
      p.platform,
      p.id,
    )?.person_id;

  const stuck = all(
    "select id, platform, op, status, last_error from outbox where status not in ('done','superseded')",
  );
  for (const r of stuck)
    problems.push(`outbox ${r.id} (${r.platform} ${r.op}) is ${r.status}: ${r.last_error ?? ""}`);

  const items = all("select * from content_items where kind = 'content' order by id");
  if (items.length !== exp.items.size)
    problems.push(`${items.length} content items, the workload made ${exp.items.size}`);
  for (const item of items) {
    const id = Number(item.id);
    const steps = all("select * from review_steps where item_id = ? order by revision, position", id);
    const events = all("select * from review_events where item_id = ? order by id", id);
    const latest = steps.filter((s) => s.revision === item.revision);
    // No step decided twice: one approve/reject event per (revision, step).
    const decisions = events.filter((e) => e.type === "approve" || e.type === "reject");
    const seen = new Set<string>();
    for (const e of decisions) {
      const k = `${e.revision}/${e.step_key}`;
      if (seen.has(k)) problems.push(`#${id}: step ${k} decided twice in review_events`);
      seen.add(k);
    }
    for (const s of steps) {
      const ev = decisions.filter((e) => e.revision === s.revision && e.step_key === s.step_key);
      const decided = s.status === "approved" || s.status === "rejected";
      if (decided !== (ev.length === 1))
        problems.push(`#${id}: step ${s.id} is ${s.status} with ${ev.length} events`);
      const e = ev[0];
      if (
        decided &&
        e &&
        (e.type !== (s.status === "approved" ? "approve" : "reject") || e.actor_id !== s.decided_by)
      ) {
        problems.push(
          `#${id}: step ${s.id} ${s.status} by ${s.decided_by}, ledger says ${e.type} by ${e.actor_id}`,
        );
      }
      if (s.revision !== item.revision && s.status === "pending")
        problems.push(`#${id}: old step ${s.id} still pending`);
    }
    const status = String(item.status);
    if ((status === "approved" || status === "published") && !latest.every((s) => s.status === "approved")) {
      problems.push(`#${id} is ${status} but not every step of revision ${item.revision} is approved`);
    }
    if (status === "in_review" && latest.filter((s) => s.status === "pending").length !== 1) {
      problems.push(`#${id} is in review without exactly one pending step`);
    }
    const pubs = one<{ n: number }>("select count(*) n from publications where item_id = ?", id)?.n ?? 0;
    if ((status === "published") !== pubs > 0) problems.push(`#${id} is ${status} with ${pubs} publications`);
    const submits = events.filter((e) => e.type === "submit" || e.type === "resubmit");
    if (submits.length !== item.revision) {
      problems.push(`#${id}: revision ${item.revision} but ${submits.length} submit/resubmit events`);
    }

    const plan = exp.items.get(id);
    if (!plan) {
      problems.push(`#${id} (${item.title}) is not an item of the workload`);
      continue;
    }
    if (status !== plan.status || item.revision !== plan.revision || item.title !== plan.plan.title) {
      problems.push(
        `#${id}: ${item.title} ${status} rev ${item.revision}, planned ${plan.plan.title} ${plan.status} rev ${plan.revision}`,
      );
    }
  }
  for (const [step, s] of exp.steps) {
    const row = one("select * from review_steps where id = ?", step);
    const want = s.verdict === "approve" ? "approved" : "rejected";
    if (!row || row.status !== want || row.decided_by !== personOf(s.by) || row.item_id !== s.item) {
      problems.push(
        `step ${step} (#${s.item} ${s.label}): ${row?.status} by ${row?.decided_by}, planned ${want} by ${s.by.name}`,
      );
    }
  }

  const tickets = all("select * from tickets order by id");
  if (tickets.length !== exp.tickets.size)
    problems.push(`${tickets.length} tickets, the workload made ${exp.tickets.size}`);
  for (const t of tickets) {
    const plan = exp.tickets.get(Number(t.id));
    if (!plan) {
      problems.push(`T-${t.id} is not a ticket of the workload`);
      continue;
    }
    if (t.text !== plan.plan.text || t.status !== plan.status) {
      problems.push(`T-${t.id}: ${t.status}「${t.text}」, planned ${plan.status}「${plan.plan.text}」`);
    }
    const closes = one<{ n: number }>(
      "select count(*) n from ticket_events where ticket_id = ? and type = 'done'",
      t.id,
    )?.n;
    if (plan.status === "done") {
      if (!t.closed_at || t.closed_by !== personOf(plan.by as Person))
        problems.push(`T-${t.id} done without its closer`);
      if (closes !== 1) problems.push(`T-${t.id}: ${closes} 'done' events`);
    } else if (t.closed_at || closes) problems.push(`T-${t.id} is ${t.status} but has a close`);
  }

  const crises = all("select * from crises order by id");
  if (crises.length !== exp.crises.size)
    problems.push(`${crises.length} crises, the workload made ${exp.crises.size}`);
  for (const c of crises) {
    const plan = exp.crises.get(Number(c.id));
    if (!plan) {
      problems.push(`C-${c.id} is not a crisis of the workload`);
      continue;
    }
    const acks = one<{ n: number }>(
      "select count(*) n from crisis_events where crisis_id = ? and type = 'ack'",
      c.id,
    )?.n;
    const pages = one<{ n: number }>(
      "select count(*) n from crisis_events where crisis_id = ? and type = 'page'",
      c.id,
    )?.n;
    if (c.lead_id !== personOf(plan.lead) || !c.acked_at || acks !== 1) {
      problems.push(
        `C-${c.id}: lead ${c.lead_id} acked ${c.acked_at} with ${acks} acks, planned ${plan.lead.name}`,
      );
    }
    if (c.tier !== plan.plan.tier || c.description !== plan.plan.text)
      problems.push(`C-${c.id} is not ${plan.plan.key}`);
    if (pages !== c.pages || Number(c.pages) < 1)
      problems.push(`C-${c.id}: pages ${c.pages}, page events ${pages}`);
  }
  return problems;
}

/** Pages of each crisis that reached the crisis group: must equal the crisis's own page count. */
export function crisisPageProblems(db: Database.Database, feishu: FakeFeishu, group: string): string[] {
  const problems: string[] = [];
  for (const c of db.prepare("select id, pages from crises").all() as { id: number; pages: number }[]) {
    const cards = feishu.state.messages.filter(
      (m) =>
        m.chatId === group &&
        m.msgType === "interactive" &&
        new RegExp(`危机 C-${c.id} `).test(cardText(m.content)),
    );
    if (cards.length !== c.pages)
      problems.push(`C-${c.id}: ${cards.length} pages in the group, the bot paged ${c.pages}×`);
  }
  return problems;
}
