import { mentionIndex } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { describeDuration, formatDateTime, formatShort } from "../time.ts";
import { UserError } from "../types.ts";
import { examStanding } from "./gate.ts";
import { answer, recordOffline, startExam } from "./quiz.ts";
import { type Attempt, attemptsOf, recentAttempts, scorePct } from "./repo.ts";
import { passMark } from "./settings.ts";

/** `/exam` (`/考试`): the 上岗考核 (《制度》第十四条(二)1). */

const USAGE = [
  "用法：/exam 开始或继续上岗考核",
  "/exam answer <题号> <选项>（例如 /exam answer 3 B）",
  "/exam results 查看考核结果",
  "/exam record @某人 <分数0-100> [说明] 录入线下考核成绩（管理员、市场部门负责人）",
].join("\n");

const isManager = (ctx: CommandContext) =>
  ctx.actor.isAdmin || ctx.services.people.hasRole(ctx.actor.personId, "marketing_head");

function attemptLine(services: Services, a: Attempt, withName: boolean): string {
  const who = withName ? `${services.people.name(a.personId)} ` : "";
  const when = formatShort(a.finishedAt ?? a.startedAt, services.tz);
  if (a.status === "open") {
    const answered = a.answers.filter((v) => v !== null).length;
    return `${when} ${who}进行中（已答 ${answered}/${a.total} 题）`;
  }
  const verdict = a.status === "passed" ? "✅ 通过" : "❌ 未通过";
  const how =
    a.kind === "offline"
      ? `线下考核 ${a.correct ?? 0} 分，${services.people.name(a.recordedBy ?? 0)} 录入${a.note ? `：${a.note}` : ""}`
      : `答对 ${a.correct ?? 0}/${a.total} 题（${scorePct(a)}%）`;
  return `${when} ${who}${verdict} · ${how} · 及格线 ${a.passPct}%`;
}

/** One line per ops holder: passed when (and refresher due), in grace, exempt or not yet passed. */
function holderLine(services: Services, personId: number, now: number): string {
  const name = services.people.name(personId);
  const s = examStanding(services, personId, now);
  const tries = attemptsOf(services.db, personId).filter((a) => a.status !== "open");
  switch (s.kind) {
    case "passed": {
      const due = s.at + services.policy.durationMs("exam.refresh");
      const refresh =
        due <= now
          ? `🔴 复训已到期（${formatShort(due, services.tz)}）`
          : `复训到期 ${formatShort(due, services.tz)}`;
      return `${name}：✅ ${formatDateTime(s.at, services.tz)} 通过 · ${refresh}`;
    }
    case "exempt":
      return `${name}：免考（考核上线前已在岗，按规则免考）`;
    case "grace":
      return `${name}：⏳ 未通过，宽限至 ${formatShort(s.until, services.tz)}（共考 ${tries.length} 次）`;
    default:
      return `${name}：❌ 未通过，不能提审（共考 ${tries.length} 次${tries[0] ? `，最近 ${scorePct(tries[0])}%` : ""}）`;
  }
}

function resultsText(ctx: CommandContext): string {
  const { services, now } = ctx;
  if (!isManager(ctx)) {
    const mine = attemptsOf(services.db, ctx.actor.personId);
    if (mine.length === 0) return "你还没有参加过上岗考核，发送 /exam 开始";
    return ["你的上岗考核记录：", ...mine.slice(0, 20).map((a) => attemptLine(services, a, false))].join(
      "\n",
    );
  }
  const holders = services.people.holders("ops");
  const lines = [
    `上岗考核结果（及格线 ${passMark(services)}%，复训周期 ${describeDuration(services.policy.durationMs("exam.refresh"))}）`,
    "— 运营专员 —",
    ...(holders.length ? holders.map((p) => holderLine(services, p, now)) : ["（还没有运营专员）"]),
  ];
  const recent = recentAttempts(services.db, 30);
  lines.push(
    "— 最近的考核记录 —",
    ...(recent.length ? recent.map((a) => attemptLine(services, a, true)) : ["（暂无）"]),
  );
  return lines.join("\n");
}

function record(ctx: CommandContext): void {
  if (!isManager(ctx)) throw new UserError("只有管理员或市场部门负责人可以录入线下考核成绩");
  const usage = "用法：/exam record @某人 <分数0-100> [说明]";
  const i = mentionIndex(ctx.args[1] ?? "");
  const m = i === undefined ? undefined : ctx.mentions[i];
  const scoreText = ctx.args[2] ?? "";
  if (!m || !/^\d{1,3}$/.test(scoreText) || Number(scoreText) > 100) throw new UserError(usage);
  const personId = ctx.services.people.ensure(ctx.chat.platform, m.userId, m.name);
  const note = ctx.args
    .slice(3)
    .join(" ")
    .replace(/@\{(\d+)\}/g, (t, n: string) => `@${ctx.mentions[Number(n)]?.name ?? t}`)
    .slice(0, 200);
  const a = recordOffline(ctx.services, personId, Number(scoreText), ctx.actor.personId, note);
  const name = ctx.services.people.name(personId);
  ctx.reply(
    `已录入 ${name} 的线下上岗考核：${a.correct} 分，${a.status === "passed" ? "✅ 通过" : "❌ 未通过"}（及格线 ${a.passPct}%）`,
  );
}

export const examCommand: CommandDef = {
  name: "exam",
  aliases: ["考试", "考核上岗"],
  usage: USAGE,
  summary: "上岗考核（考核合格后方可提审）",
  audience: ["ops", "ops_lead", "marketing_head"],
  mentionArgs: true,
  run(ctx) {
    const sub = (ctx.args[0] ?? "").toLowerCase();
    if (sub === "" || sub === "start" || sub === "开始") {
      ctx.reply(startExam(ctx.services, ctx.actor));
      return;
    }
    if (sub === "answer" || sub === "答" || sub === "作答") {
      const usage = "用法：/exam answer <题号> <选项>，例如 /exam answer 3 B";
      const n = ctx.args[1] ?? "";
      if (!/^\d{1,3}$/.test(n) || !ctx.args[2] || ctx.args.length > 3) throw new UserError(usage);
      const r = answer(ctx.services, ctx.actor, { n: Number(n), choice: ctx.args[2] });
      // The next question (or the result) goes to the person's DM; in a group, say where it went.
      if (ctx.chat.chatType === "group") ctx.reply(`${r.toast}，下一步已私信发送`);
      return;
    }
    if (sub === "results" || sub === "成绩" || sub === "结果") {
      if (ctx.args.length > 1) throw new UserError(USAGE);
      ctx.reply(resultsText(ctx));
      return;
    }
    if (sub === "record" || sub === "录入") return record(ctx);
    throw new UserError(USAGE);
  },
};
