import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { ReviewEngine } from "../review/engine.ts";
import { formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { activeGrants, readsAll } from "./access.ts";
import { accessLogText, listMarks, markScope, verifyCommand } from "./admin.ts";
import { submitRequest } from "./request.ts";
import { parseScope, SCOPE_HELP, type Scope, scopeLabel } from "./scope.ts";
import { searchArchive, showRecord } from "./search.ts";

const USAGE = [
  "用法：/archive search <关键词> [范围]｜/archive show <记录号>",
  "/archive request <范围> <理由> [#外部]｜/archive mark <范围> 重大｜/archive verify｜/archive log",
  SCOPE_HELP,
].join("\n");

const SUBS: Record<string, string> = {
  search: "search", 查阅: "search", 搜索: "search", 查询: "search",
  show: "show", 查看: "show",
  request: "request", 申请: "request",
  mark: "mark", 标记: "mark",
  verify: "verify", 校验: "verify",
  log: "log", 记录: "log",
}; // biome-ignore format: synonyms side by side

const EXTERNAL = /^[#＃]外部$/;

function scopeArg(token: string | undefined, usage: string): Scope | undefined {
  if (token === undefined) return undefined;
  const scope = parseScope(token);
  if (!scope) throw new UserError(`无法识别范围「${token}」。${SCOPE_HELP}\n${usage}`);
  return scope;
}

function request(ctx: CommandContext, review: ReviewEngine): string {
  const usage = "用法：/archive request <范围> <理由> [#外部]";
  const scope = scopeArg(ctx.args[1], usage);
  const external = ctx.args.some((a) => EXTERNAL.test(a));
  const reason = ctx.rest
    .replace(/^\S+\s+\S+\s*/, "")
    .split(/\s+/)
    .filter((w) => w && !EXTERNAL.test(w))
    .join(" ");
  if (!scope || !reason) throw new UserError(`${usage}\n${SCOPE_HELP}`);
  return submitRequest(ctx.services, review, ctx.actor, scope, reason, external, ctx.now);
}

/** `/archive` alone: what I may read right now, and how to ask. */
function status(ctx: CommandContext): string {
  if (readsAll(ctx.services, ctx.actor)) return `你可以直接查阅全部档案。\n${USAGE}`;
  const grants = activeGrants(ctx.services, ctx.actor.personId, ctx.now);
  const lines = grants.map(
    (g) => `· ${scopeLabel(g.scope)}（申请 #${g.itemId}）至 ${formatDateTime(g.expiresAt, ctx.services.tz)}`,
  );
  return [grants.length ? "你当前可查阅：" : "你当前没有档案查阅授权。", ...lines, USAGE].join("\n");
}

/** `/archive`; a 查阅申请 goes through the review chain of `review`. */
export const archiveCommand = (review: ReviewEngine): CommandDef => ({
  name: "archive",
  aliases: ["档案"],
  usage: USAGE,
  summary: "运营档案：查阅、查阅申请、重大标记、完整性校验",
  audience: [],
  run(ctx) {
    const sub = SUBS[(ctx.args[0] ?? "").toLowerCase()];
    if (!ctx.args[0]) return ctx.reply(status(ctx));
    switch (sub) {
      case "search": {
        const keyword = ctx.args[1];
        if (!keyword || ctx.args.length > 3)
          throw new UserError(
            `用法：/archive search <关键词> [范围]（关键词写 * 列出范围内全部）\n${SCOPE_HELP}`,
          );
        return ctx.reply(
          searchArchive(ctx.services, ctx.actor, keyword, scopeArg(ctx.args[2], USAGE), ctx.now),
        );
      }
      case "show":
        return ctx.reply(showRecord(ctx.services, ctx.actor, ctx.args[1], ctx.now));
      case "request":
        return ctx.reply(request(ctx, review));
      case "mark": {
        if (!ctx.args[1]) return ctx.reply(listMarks(ctx.services));
        const scope = scopeArg(ctx.args[1], USAGE) as Scope;
        return ctx.reply(markScope(ctx.services, ctx.actor, scope, ctx.args[2], ctx.now));
      }
      case "verify":
        return ctx.reply(verifyCommand(ctx.services, ctx.actor));
      case "log":
        return ctx.reply(accessLogText(ctx.services, ctx.actor));
      default:
        throw new UserError(USAGE);
    }
  },
});
