import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { ReportSection } from "../registry.ts";
import { UserError } from "../types.ts";
import { buildReport } from "./build.ts";
import { MONTH_USAGE, type Period, parseMonthArg, parseWeekArg, REPORT_USAGE, WEEK_USAGE } from "./period.ts";
import { csvMessage, prepareReport, recordSent, reportMessages } from "./send.ts";

type Sections = readonly ReportSection[];

/** `/report week|month …`, `/周报 …`, `/月报 …` (docs/metrics-reports.md): the report in this chat, or its CSV. */
function run(ctx: CommandContext, kind: "week" | "month", args: string[], sections: Sections): void {
  const csv = args.some((a) => a.toLowerCase() === "csv");
  const rest = args.filter((a) => a.toLowerCase() !== "csv");
  const usage = kind === "week" ? WEEK_USAGE : MONTH_USAGE;
  if (rest.length > 1) throw new UserError(usage);
  const period: Period =
    kind === "week"
      ? parseWeekArg(rest[0], ctx.now, ctx.services.tz)
      : parseMonthArg(rest[0], ctx.now, ctx.services.tz);
  if (csv) {
    // The CSV carries the numbers only: no chart is drawn for it.
    const p = { data: buildReport(ctx.services, period), png: undefined };
    ctx.reply(csvMessage(p));
    ctx.reply(`已生成 ${period.label} ${kind === "week" ? "周报" : "月报"} CSV`);
    return;
  }
  const p = prepareReport(ctx.services, period, sections);
  for (const m of reportMessages(p, ctx.services.outbound.can(ctx.chat.platform, "richCards"))) ctx.reply(m);
  recordSent(ctx.services, p, "command", ctx.actor.personId);
}

const report = (sections: Sections): CommandDef => ({
  name: "report",
  aliases: ["报表"],
  usage: REPORT_USAGE,
  summary: "周报 / 月报（含图表，可导出 CSV）",
  audience: ["ops", "ops_lead", "marketing_head", "management"],
  run(ctx) {
    const [sub, ...rest] = ctx.args;
    if (sub === "week" || sub === "周" || sub === "周报") return run(ctx, "week", rest, sections);
    if (sub === "month" || sub === "月" || sub === "月报") return run(ctx, "month", rest, sections);
    throw new UserError(this.usage);
  },
});

const weekly = (sections: Sections): CommandDef => ({
  name: "周报",
  aliases: ["weekly"],
  usage: WEEK_USAGE,
  summary: "本周（或指定周）的运营周报",
  audience: ["ops", "ops_lead", "marketing_head", "management"],
  run: (ctx) => run(ctx, "week", ctx.args, sections),
});

const monthly = (sections: Sections): CommandDef => ({
  name: "月报",
  aliases: ["monthly"],
  usage: MONTH_USAGE,
  summary: "本月（或指定月）的运营月报",
  audience: ["ops", "ops_lead", "marketing_head", "management"],
  run: (ctx) => run(ctx, "month", ctx.args, sections),
});

/** The report commands; `sections` are the other features' report sections (read when a report is made). */
export const reportCommands = (sections: Sections): CommandDef[] => [
  report(sections),
  weekly(sections),
  monthly(sections),
];
