import { parseItemNo } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { formatShort, parseDateTime, parseDuration } from "../time.ts";
import { UserError } from "../types.ts";
import { confirmRect, doneRect, openRect, reopenRect } from "./lifecycle.ts";
import { eventsOfRect, getRect, mineOpen, rectNo, unconfirmed } from "./repo.ts";
import { rectLine } from "./views.ts";

/** `/rectify` (`/整改`): 整改通知 R-n (《制度》第十三条(三)). */

const USAGE = [
  "用法：/rectify @某人 <事项> [期限：3d、48h 或 YYYY-MM-DD]",
  "/rectify done <R-编号> <整改说明>（整改人）",
  "/rectify confirm <R-编号>｜/rectify reopen <R-编号> <原因>（下发人）",
  "/rectify list｜/rectify show <R-编号>",
].join("\n");

/** Who may issue a notice: the 运营团队负责人 (第十三条(三)), the 市场部门负责人, admins. */
const ISSUERS = ["ops_lead", "marketing_head"];

const rectArg = (token: string | undefined, usage: string) => {
  const id = parseItemNo(token, "R");
  if (id === undefined) throw new UserError(usage);
  return id;
};

/** Text after the first `skip` words of the line, plus the lines below. */
function textAfter(ctx: CommandContext, skip: number): string {
  let rest = ctx.rest;
  for (let i = 0; i < skip; i++) rest = rest.replace(/^\S+\s*/, "");
  return [rest.trim(), ctx.body.trim()].filter(Boolean).join("\n");
}

/**
 * The deadline at the end of the words, if any: a duration (3d, 48h) from now, a day (YYYY-MM-DD, until
 * 23:59 that day) or a day and time (YYYY-MM-DD HH:mm). Returns the words without it.
 */
function takeDeadline(words: string[], now: number, tz: string): { words: string[]; dueAt?: number } {
  const last = words.at(-1) ?? "";
  const two = words.slice(-2).join(" ");
  if (words.length >= 3 && /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}$/.test(two)) {
    const at = parseDateTime(two, tz);
    if (at === undefined) throw new UserError(`期限「${two}」不是有效的时间`);
    return { words: words.slice(0, -2), dueAt: at };
  }
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(last)) {
    const start = parseDateTime(`${last} 23:59`, tz);
    if (start === undefined) throw new UserError(`期限「${last}」不是有效的日期`);
    return { words: words.slice(0, -1), dueAt: start };
  }
  const ms = /^\d+(\.\d+)?[smhd]$/i.test(last) ? parseDuration(last) : undefined;
  if (ms !== undefined && words.length > 1) return { words: words.slice(0, -1), dueAt: now + ms };
  return { words };
}

function issue(ctx: CommandContext): void {
  const { services, actor } = ctx;
  const m = /^@\{(\d+)\}$/.exec(ctx.args[0] ?? "");
  const mention = m ? ctx.mentions[Number(m[1])] : undefined;
  if (!mention) throw new UserError(USAGE);
  if (!actor.isAdmin && !ISSUERS.some((r) => services.people.hasRole(actor.personId, r)))
    throw new UserError("只有运营团队负责人、市场部门负责人或管理员可以下发整改通知");
  const words = ctx.args
    .slice(1)
    .map((w) => w.replace(/@\{(\d+)\}/g, (t, n: string) => `@${ctx.mentions[Number(n)]?.name ?? t}`));
  const { words: matterWords, dueAt } = takeDeadline(words, ctx.now, services.tz);
  const matter = [matterWords.join(" "), ctx.body.trim()].filter(Boolean).join("\n");
  if (!matter) throw new UserError(USAGE);
  if (matter.length > 1000) throw new UserError("整改事项请控制在 1000 字以内");
  const ownerId = services.people.ensure(ctx.chat.platform, mention.userId, mention.name);
  const r = openRect(services, {
    ownerId,
    issuerId: actor.personId,
    matter,
    ...(dueAt !== undefined ? { dueAt } : {}),
  });
  ctx.reply(
    `已下发整改通知 ${rectNo(r.id)} 给 ${services.people.name(ownerId)}，截止 ${formatShort(r.dueAt, services.tz)}`,
  );
}

export const rectifyCommand: CommandDef = {
  name: "rectify",
  aliases: ["整改"],
  usage: USAGE,
  summary: "整改通知（下发、提交、确认）",
  audience: [],
  mentionArgs: true,
  run(ctx) {
    const sub = (ctx.args[0] ?? "").toLowerCase();
    const { services } = ctx;
    switch (sub) {
      case "done":
      case "完成": {
        const id = rectArg(ctx.args[1], "用法：/rectify done <R-编号> <整改说明>");
        const r = doneRect(services, ctx.actor, id, textAfter(ctx, 2));
        return ctx.reply(`已提交 ${rectNo(id)} 的整改结果，等待 ${services.people.name(r.issuerId)} 确认`);
      }
      case "confirm":
      case "确认": {
        const id = rectArg(ctx.args[1], "用法：/rectify confirm <R-编号>");
        if (ctx.args.length > 2) throw new UserError("用法：/rectify confirm <R-编号>");
        confirmRect(services, ctx.actor, id);
        return ctx.reply(`已确认 ${rectNo(id)} 整改完成`);
      }
      case "reopen":
      case "退回": {
        const usage = "用法：/rectify reopen <R-编号> <原因>";
        const id = rectArg(ctx.args[1], usage);
        const reason = textAfter(ctx, 2);
        if (!reason) throw new UserError(usage);
        reopenRect(services, ctx.actor, id, reason);
        return ctx.reply(
          `已退回 ${rectNo(id)}，新截止 ${formatShort(getRect(services.db, id).dueAt, services.tz)}`,
        );
      }
      case "list":
      case "列表": {
        if (ctx.args.length > 1) throw new UserError(USAGE);
        const all = unconfirmed(services.db);
        const mine = mineOpen(services.db, ctx.actor.personId);
        const lines = all.length
          ? all.map((r) => rectLine(services, r, ctx.now))
          : ["目前没有未完成的整改通知 👍"];
        if (mine.length) lines.push(`其中你负责的：${mine.map((r) => rectNo(r.id)).join("、")}`);
        return ctx.reply(lines.join("\n"));
      }
      case "show":
      case "查看": {
        const id = rectArg(ctx.args[1], "用法：/rectify show <R-编号>");
        const r = getRect(services.db, id);
        const events = eventsOfRect(services.db, id);
        const names = services.people.names(events.flatMap((e) => (e.actorId ? [e.actorId] : [])));
        return ctx.reply(
          [
            rectLine(services, r, ctx.now),
            `事项：${r.matter}`,
            ...(r.doneNote ? [`整改说明：${r.doneNote}`] : []),
            "— 记录 —",
            ...events.map(
              (e) =>
                `${formatShort(e.at, services.tz)} ${e.actorId ? `${names.get(e.actorId) ?? "?"} ` : ""}${e.detail}`,
            ),
          ].join("\n"),
        );
      }
      default:
        return issue(ctx);
    }
  },
};
