import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { parseMonthArg, periodText } from "../reports/period.ts";
import { describeDuration } from "../time.ts";
import { UserError } from "../types.ts";
import { computeKpi, kpiLine, kpiLines, kpiOf } from "./kpi.ts";

/**
 * `/kpi [@某人|部门] [YYYY-MM]` (`/考核`): the KPI of 《制度》第十五条 per person for a month (default: this
 * month so far). Everyone sees their own; the leads (运营团队负责人, 市场部门负责人, 管理层) and admins see
 * anyone's and the department's.
 */

export const KPI_USAGE =
  "用法：/kpi [@某人|部门] [YYYY-MM]（/考核），默认本月；例如 /kpi @小王 2026-11、/kpi 部门 上月";
const VIEWERS = ["ops_lead", "marketing_head", "management"];
const DEPARTMENT = new Set(["部门", "团队", "全部", "all", "team"]);
const MONTH = /^(\d{4}-\d{1,2}|本月|上月|this|last)$/i;
/** Per-person lines in the department view; more are counted, never cut silently. */
const MAX_PEOPLE = 30;

function run(ctx: CommandContext): void {
  const { services, actor } = ctx;
  const args = [...ctx.args];
  let target: "self" | "department" | number = "self";
  let monthArg: string | undefined;
  for (const a of args) {
    const m = /^@\{(\d+)\}$/.exec(a);
    if (m && target === "self") {
      const mention = ctx.mentions[Number(m[1])];
      if (!mention) throw new UserError(KPI_USAGE);
      target = services.people.canonical(
        services.people.ensure(ctx.chat.platform, mention.userId, mention.name),
      );
    } else if (DEPARTMENT.has(a.toLowerCase()) && target === "self") target = "department";
    else if (MONTH.test(a) && monthArg === undefined) monthArg = a.toLowerCase();
    else throw new UserError(KPI_USAGE);
  }
  // parseMonthArg answers the report's usage for a bad month; check the range here to answer ours.
  const mm = /^\d{4}-(\d{1,2})$/.exec(monthArg ?? "");
  if (mm && (Number(mm[1]) < 1 || Number(mm[1]) > 12)) throw new UserError(KPI_USAGE);
  const period = parseMonthArg(monthArg, ctx.now, services.tz);

  const me = services.people.canonical(actor.personId);
  const isViewer = actor.isAdmin || VIEWERS.some((r) => services.people.hasRole(actor.personId, r));
  if (target === "self" && isViewer && !ctx.args.some((a) => a.startsWith("@"))) target = "department";
  if (target !== "self" && target !== me && !isViewer)
    throw new UserError(
      "只能查看自己的考核指标；运营团队负责人、市场部门负责人、管理层和管理员可以查看他人和部门",
    );

  const kpi = computeKpi(services, period, ctx.now);
  const head = `📊 考核指标 ${periodText(period)} · 《制度》第十五条`;
  if (target === "department") {
    const shown = kpi.people.slice(0, MAX_PEOPLE);
    const lines = [
      head,
      `部门合计：${kpiLine(kpi.total)}`,
      ...(shown.length === 0 ? ["本月还没有可考核的事项"] : shown.map((p) => `${p.name}：${kpiLine(p.row)}`)),
    ];
    if (kpi.people.length > shown.length) lines.push(`…另有 ${kpi.people.length - shown.length} 人`);
    lines.push(note(ctx));
    ctx.reply(lines.join("\n"));
    return;
  }
  const pid = target === "self" ? me : target;
  ctx.reply([`${head} · ${services.people.name(pid)}`, ...kpiLines(kpiOf(kpi, pid)), note(ctx)].join("\n"));
}

/** How each number is counted, in one line people can check against their own records. */
const note = (ctx: CommandContext) =>
  `说明：晚于计划发布时间 ${describeDuration(ctx.services.policy.durationMs("kpi.publish.grace"))}以内发布算按时，没有计划时间的不计；违规内容为每日抽查判定不合格的内容；危机处置及时率不含演练；— 表示没有可考核的事项`;

export const kpiCommand: CommandDef = {
  name: "kpi",
  aliases: ["考核"],
  usage: KPI_USAGE,
  summary: "考核指标（发布及时率、一次通过率等）",
  audience: [],
  mentionArgs: true,
  run,
};
