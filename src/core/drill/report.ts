import { asc, desc, eq, sql } from "drizzle-orm";
import { crisisDrills, drillAcks, roleGrants } from "../../store/schema/index.ts";
import { containDeadline } from "../crisis/contain.ts";
import { DRILL_MARK } from "../crisis/drill-mark.ts";
import { crisisNo, STAGE_LABEL, STAGES, TIER_NAME, windowText } from "../crisis/model.ts";
import { eventsOf, getCrisis } from "../crisis/repo.ts";
import type { Services } from "../services.ts";
import { describeDuration, formatDateTime, formatShort } from "../time.ts";

/**
 * The drill report (《制度》第十四条(二)4：提升危机小组应急处置能力): who pressed 收到 and how long after
 * the first page, how long each stage took, how the page repeated and escalated, and whether the real
 * time limits would have been met. Sent to the crisis group(s) and kept with the drill (archived).
 */

export interface DrillNumbers {
  pages: number;
  firstAckMs: number | undefined;
  acks: { personId: number; ms: number | undefined }[];
  stages: { label: string; ms: number }[];
  totalMs: number;
  escalations: string[];
  containedInTime: boolean | undefined;
}

const STAGE_BY_LABEL = new Map(STAGES.map((s) => [STAGE_LABEL[s], s]));

/** The stage a timeline event moved to: "进入「评估定级」" or "「核实取证」→「制定方案」：…". */
function stageOf(detail: string): string | undefined {
  const m = /^(?:「[^」]+」→|进入)「([^」]+)」/.exec(detail);
  return m && STAGE_BY_LABEL.has(m[1] ?? "") ? m[1] : undefined;
}

export function drillNumbers(services: Services, crisisId: number, end: number): DrillNumbers {
  const c = getCrisis(services.db, crisisId);
  const events = eventsOf(services.db, crisisId);
  const start = c.reportedAt;
  const acked = services.db
    .select()
    .from(drillAcks)
    .where(eq(drillAcks.crisisId, crisisId))
    .orderBy(asc(drillAcks.at))
    .all();
  const members = services.people.holders("crisis");
  const people = [...new Set([...members, ...acked.map((a) => a.personId)])];
  const acks = people
    .map((p) => {
      const a = acked.find((x) => x.personId === p);
      return { personId: p, ms: a ? a.at - start : undefined };
    })
    .sort((x, y) => (x.ms ?? Number.POSITIVE_INFINITY) - (y.ms ?? Number.POSITIVE_INFINITY));
  // Stage spans: 上报 from the report, then each move, until the end (结案).
  const moves: { label: string; at: number }[] = [{ label: STAGE_LABEL.report, at: start }];
  for (const e of events) {
    const label =
      e.type === "stage" ? stageOf(e.detail) : e.type === "close" ? STAGE_LABEL.closed : undefined;
    if (label) moves.push({ label, at: e.at });
  }
  const stages = moves
    .map((m, i) => ({ label: m.label, ms: (moves[i + 1]?.at ?? end) - m.at }))
    .filter((s) => s.label !== STAGE_LABEL.closed);
  const escalations = events
    .filter((e) => e.type === "escalate" || e.type === "escalate_skipped")
    .map((e) => `${formatShort(e.at, services.tz)} ${e.detail}`);
  return {
    pages: events.filter((e) => e.type === "page").length,
    firstAckMs: acks[0]?.ms,
    acks,
    stages,
    totalMs: end - start,
    escalations,
    containedInTime: c.containedAt === null ? undefined : c.containedAt <= containDeadline(services, c),
  };
}

export function drillReportText(services: Services, crisisId: number, end: number): string {
  const c = getCrisis(services.db, crisisId);
  const drill = services.db.select().from(crisisDrills).where(eq(crisisDrills.crisisId, crisisId)).get();
  const n = drillNumbers(services, crisisId, end);
  const no = crisisNo(crisisId);
  const ms = (x: number | undefined) => (x === undefined ? "未收到" : describeDuration(x));
  const window = services.policy.durationMs(`crisis.contain.${c.tier}`);
  return [
    `${DRILL_MARK}危机演练报告 ${no}（${TIER_NAME[c.tier]}）`,
    `说明：${drill?.note ?? "—"}`,
    `发起：${services.people.name(drill?.startedBy ?? c.reporterId)} ${formatDateTime(c.reportedAt, services.tz)}；结束：${formatDateTime(end, services.tz)}；总用时 ${describeDuration(n.totalMs)}`,
    `呼叫 ${n.pages} 次；首个收到：${ms(n.firstAckMs)}${c.leadId ? `（${services.people.name(c.leadId)}，成为负责人）` : ""}`,
    "— 每人收到用时（自首次呼叫）—",
    ...n.acks.map((a) => `${services.people.name(a.personId)}：${ms(a.ms)}`),
    "— 各阶段用时 —",
    ...n.stages.map((s) => `${s.label}：${describeDuration(s.ms)}`),
    ...(n.escalations.length ? ["— 升级 —", ...n.escalations] : []),
    `处置时限（${windowText(window)}）：${n.containedInTime === undefined ? "未达到处置目标" : n.containedInTime ? "按时达到处置目标" : "超时"}`,
    `总结：${c.summary ?? "—"}`,
    "演练不计入危机统计与报表。",
  ].join("\n");
}

/**
 * When the latest drill started, or — with none yet — when the team was set up on the bot (its first
 * role grant), so a new install is not told at once that it is a year late.
 */
export function lastDrillOrSetup(services: Services): { at: number; drill: boolean } | undefined {
  const last = services.db.select().from(crisisDrills).orderBy(desc(crisisDrills.startedAt)).get();
  if (last) return { at: last.startedAt, drill: true };
  const first = services.db
    .select({ at: sql<number | null>`min(${roleGrants.grantedAt})` })
    .from(roleGrants)
    .get()?.at;
  return first == null ? undefined : { at: first, drill: false };
}
