import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { UserError } from "../types.ts";
import { buildReport } from "./build.ts";
import { MONTH_USAGE, type Period, parseMonthArg, parseWeekArg, REPORT_USAGE, WEEK_USAGE } from "./period.ts";
import { csvMessage, prepareReport, recordSent, reportMessages } from "./send.ts";

/** `/report week|month …`, `/周报 …`, `/月报 …` (SPEC §8): the report in this chat, or its CSV. */
function run(ctx: CommandContext, kind: "week" | "month", args: string[]): void {
  const csv = args.some((a) => a.toLowerCase() === "csv");
  const rest = args.filter((a) => a.toLowerCase() !== "csv");
  const usage = kind === "week" ? WEEK_USAGE : MONTH_USAGE;
  if (rest.length > 1) throw new UserError(usage);
  const period: Period =
    kind === "week"
      ? parseWeekArg(rest[0], ctx.now, ctx.core.tz)
      : parseMonthArg(rest[0], ctx.now, ctx.core.tz);
  if (csv) {
    // The CSV carries the numbers only: no chart is drawn for it.
    const p = { data: buildReport(ctx.core.reviewDeps, period), png: undefined };
    ctx.reply(csvMessage(p));
    ctx.reply(`已生成 ${period.label} ${kind === "week" ? "周报" : "月报"} CSV`);
    return;
  }
  const p = prepareReport(ctx.core, period);
  for (const m of reportMessages(p, ctx.core.outbound.can(ctx.chat.platform, "richCards"))) ctx.reply(m);
  recordSent(ctx.core, p, "command", ctx.actor.personId);
}

const report: CommandDef = {
  name: "report",
  aliases: ["报表"],
  usage: REPORT_USAGE,
  summary: "周报 / 月报（含图表，可导出 CSV）",
  audience: ["ops", "ops_lead", "marketing_head", "management"],
  run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub === "week" || sub === "周" || sub === "周报") return run(ctx, "week", rest);
    if (sub === "month" || sub === "月" || sub === "月报") return run(ctx, "month", rest);
    throw new UserError(this.usage);
  },
};

const weekly: CommandDef = {
  name: "周报",
  aliases: ["weekly"],
  usage: WEEK_USAGE,
  summary: "本周（或指定周）的运营周报",
  audience: ["ops", "ops_lead", "marketing_head", "management"],
  run: (ctx) => run(ctx, "week", ctx.args),
};

const monthly: CommandDef = {
  name: "月报",
  aliases: ["monthly"],
  usage: MONTH_USAGE,
  summary: "本月（或指定月）的运营月报",
  audience: ["ops", "ops_lead", "marketing_head", "management"],
  run: (ctx) => run(ctx, "month", ctx.args),
};

export const reportCommands: CommandDef[] = [report, weekly, monthly];
