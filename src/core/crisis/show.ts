import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { drillText } from "./drill-mark.ts";
import { ticketsOfCrisis } from "./incident.ts";
import { crisisNo, STAGE_LABEL, TIER_LABEL, TIER_NAME, windowText } from "./model.ts";
import { type Crisis, eventsOf, evidenceCount, getCrisis, openCrises, recentCrises } from "./repo.ts";
import { containLine, leadLine, reportLine, statementLine } from "./views.ts";

/** Text views: `/crisis show` (the whole timeline), `/crisis list`, and the one line per crisis. */

/** "C-7 三级 · 核实取证 · 负责人 林哥 · 处置时限 11-19 10:00（已用 23%）" */
export function crisisLine(services: Services, c: Crisis, now: number): string {
  const lead = c.leadId ? services.people.name(c.leadId) : "未确认";
  const stage = STAGE_LABEL[c.stage];
  if (c.stage === "closed") {
    return `${drillText(services.db, c.id, crisisNo(c.id))} ${TIER_NAME[c.tier]} · 已结案 ${formatShort(c.closedAt ?? now, services.tz)} · 负责人 ${lead}`;
  }
  return `${drillText(services.db, c.id, crisisNo(c.id))} ${TIER_NAME[c.tier]} · ${stage} · 负责人 ${lead} · 处置时限 ${containLine(services, c, now)}`;
}

export function listText(services: Services, now: number, all: boolean): string {
  const open = openCrises(services.db);
  const lines = open.length
    ? [
        `进行中的危机（${open.length}）：`,
        ...open.map((c) => `${crisisLine(services, c, now)}\n  ${c.description.slice(0, 40)}`),
      ]
    : ["目前没有进行中的危机 👍"];
  if (all) {
    const closed = recentCrises(services.db, 20).filter((c) => c.stage === "closed");
    if (closed.length) lines.push("— 最近结案 —", ...closed.map((c) => crisisLine(services, c, now)));
  } else {
    lines.push("查看详情：/crisis show <编号>；含已结案：/crisis list all");
  }
  return lines.join("\n");
}

/** The whole record: facts, then every page, escalation, ack, stage, message and evidence with its time. */
export function showText(services: Services, id: number, now: number): string {
  const c = getCrisis(services.db, id);
  const lines = [
    `${crisisNo(c.id)} ${TIER_LABEL[c.tier]} · ${STAGE_LABEL[c.stage]}`,
    `描述：${c.description}`,
    `上报：${reportLine(services, c)}（时限 ${windowText(c.reportWindowMs)}）`,
    `负责人：${leadLine(services, c)}`,
    `处置时限：${containLine(services, c, now)}`,
  ];
  if (c.store) lines.push(`门店：${c.store}${c.ticketId ? `（工单 T-${c.ticketId}）` : ""}`);
  const linked = ticketsOfCrisis(services, c.id);
  if (linked.length > 1) {
    lines.push(
      `相关工单 ${linked.length} 条：${linked.map((t) => `T-${t.id}`).join("、")}（顾客原话见时间线）`,
    );
  }
  const statement = statementLine(services, c, true);
  if (statement) lines.push(`官方声明：${statement}`);
  const evidence = evidenceCount(services.db, c.id);
  if (evidence) lines.push(`证据：${evidence} 张图片`);
  if (c.summary) lines.push(`结案总结：${c.summary}`);
  const events = eventsOf(services.db, c.id);
  const names = services.people.names(events.flatMap((e) => (e.actorId ? [e.actorId] : [])));
  lines.push("— 时间线 —");
  for (const e of events) {
    const who = e.actorId ? `${names.get(e.actorId) ?? "?"} ` : "";
    lines.push(`${formatShort(e.at, services.tz)} ${who}${e.detail}`);
  }
  return lines.join("\n");
}
