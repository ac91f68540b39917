import { parseItemNo } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { formatDateTime, fromWallTime, wallTime } from "../time.ts";
import { UserError } from "../types.ts";
import { decideSpot, requireChecker } from "./decide.ts";
import { sampleOne, sampleRange } from "./sample.ts";

/** `/spotcheck` (`/抽查`): 每日抽查 on demand, and the text form of 合格 / 不合格. */

const USAGE = [
  "用法：/spotcheck 抽查最近 24 小时｜/spotcheck YYYY-MM-DD 抽查某天｜/spotcheck #编号 或 T-编号 抽查一项",
  "/spotcheck 合格 <S-编号>｜/spotcheck 不合格 <S-编号> <原因>",
].join("\n");

const pad = (n: number) => String(n).padStart(2, "0");
export const dayOf = (ms: number, tz: string) => {
  const w = wallTime(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
};

/** "2026-11-16" → [00:00, next 00:00) in tz, or undefined when not a real day. */
export function dayRange(day: string, tz: string): [number, number] | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = fromWallTime({ year: y, month: mo, day: d, hour: 0, minute: 0 }, tz);
  const back = wallTime(start, tz);
  if (back.month !== mo || back.day !== d) return undefined;
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  return [
    start,
    fromWallTime(
      {
        year: next.getUTCFullYear(),
        month: next.getUTCMonth() + 1,
        day: next.getUTCDate(),
        hour: 0,
        minute: 0,
      },
      tz,
    ),
  ];
}

export function sampledReply(
  label: string,
  r: { content: number; ticket: number; numbers: string[] },
): string {
  const n = r.content + r.ticket;
  if (n === 0) return `${label} 没有可抽查的已发布内容或已处理工单（已抽查过的不再重复）`;
  return `🔍 已抽查 ${label}：${n} 项（内容 ${r.content}、工单 ${r.ticket}）：${r.numbers.join("、")}，卡片已私信发送`;
}

function verdict(ctx: CommandContext, v: "pass" | "fail"): void {
  const usage = v === "pass" ? "用法：/spotcheck 合格 <S-编号>" : "用法：/spotcheck 不合格 <S-编号> <原因>";
  const id = parseItemNo(ctx.args[1], "S");
  if (id === undefined) throw new UserError(usage);
  const reason = [ctx.rest.replace(/^\S+\s+\S+\s*/, "").trim(), ctx.body.trim()].filter(Boolean).join("\n");
  if (v === "pass" && ctx.args.length > 2) throw new UserError(usage);
  if (v === "fail" && !reason) throw new UserError(usage);
  ctx.reply(decideSpot(ctx.services, ctx.actor, { id, verdict: v, reason }).text);
}

export const spotcheckCommand: CommandDef = {
  name: "spotcheck",
  aliases: ["抽查"],
  usage: USAGE,
  summary: "每日抽查（内容、发布、回应）",
  audience: ["marketing_head"],
  run(ctx) {
    const [first, ...more] = ctx.args;
    const word = (first ?? "").toLowerCase();
    if (word === "合格" || word === "pass" || word === "ok") return verdict(ctx, "pass");
    if (word === "不合格" || word === "fail") return verdict(ctx, "fail");
    if (more.length > 0) throw new UserError(USAGE);
    const { services, now } = ctx;
    const tz = services.tz;
    if (first === undefined) {
      requireChecker(services, ctx.actor);
      const r = sampleRange(services, {
        start: now - 86_400_000,
        end: now,
        day: dayOf(now, tz),
        count: services.policy.count("spotcheck.count"),
        source: "manual",
        requestedBy: ctx.actor.personId,
      });
      return ctx.reply(sampledReply(`最近 24 小时（至 ${formatDateTime(now, tz)}）`, r));
    }
    const range = dayRange(first, tz);
    if (range) {
      requireChecker(services, ctx.actor);
      if (range[0] > now) throw new UserError("不能抽查将来的日期");
      const r = sampleRange(services, {
        start: range[0],
        end: range[1],
        day: first,
        count: services.policy.count("spotcheck.count"),
        source: "manual",
        requestedBy: ctx.actor.personId,
      });
      return ctx.reply(sampledReply(first, r));
    }
    const ticket = /^t-?\d/i.test(first) ? parseItemNo(first, "T") : undefined;
    const item = ticket === undefined ? parseItemNo(first) : undefined;
    if (ticket === undefined && item === undefined) throw new UserError(USAGE);
    requireChecker(services, ctx.actor);
    const no = sampleOne(
      services,
      ticket !== undefined ? "ticket" : "content",
      ticket ?? item ?? 0,
      dayOf(now, tz),
      ctx.actor.personId,
    );
    ctx.reply(`🔍 已生成抽查 ${no}，卡片已私信发送`);
  },
};
