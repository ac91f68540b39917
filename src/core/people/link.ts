import { auditLog } from "../../store/schema/index.ts";
import { requireAdmin } from "../admin/guard.ts";
import { mentionIndex } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { UserError } from "../types.ts";
import { roleLabel } from "./catalog.ts";
import { accountExamples, chatPlatform, chatPlatformNamed } from "./chat-platforms.ts";

/**
 * `/link` (/关联): an admin declares that two accounts are one person — e.g. 张总's Feishu account and
 * his 企业微信 userid. Accounts are named by @-mention (on the platform the command is sent from) or
 * as `platform:userId` (`feishu:ou_…`, `wecom:zhangsan`, `wechat:…`), so an admin on Feishu can link a
 * WeCom account that has never written to the bot. The first account's person is kept (its name and
 * history); the second's roles and accounts join it. Only BOT_ADMINS: a link lets one account act with
 * another's roles.
 */

const USAGE = `用法：/link <账号> <账号>，账号写 @某人 或 平台:用户ID（${accountExamples()}）`;

function account(ctx: CommandContext, token: string): number {
  const i = mentionIndex(token);
  if (i !== undefined) {
    const m = ctx.mentions[i];
    if (!m) throw new UserError(USAGE);
    return ctx.services.people.ensure(ctx.chat.platform, m.userId, m.name);
  }
  const colon = token.search(/[:：]/);
  // Aliases from policy/chat-platforms.json (an object lookup once let "constructor" reach SQLite).
  const platform = colon > 0 ? chatPlatformNamed(token.slice(0, colon)) : undefined;
  const userId = token.slice(colon + 1).trim();
  if (!platform || !userId || userId.length > 128) throw new UserError(`「${token}」不是账号。${USAGE}`);
  return ctx.services.people.ensure(platform, userId);
}

function describe(ctx: CommandContext, personId: number): string {
  const p = ctx.services.people;
  const ids = p.identitiesOf(personId).map((i) => `${chatPlatform(i.platform).label} ${i.userId}`);
  const roles = p.rolesOf(personId).map(roleLabel);
  return `${p.name(personId)} = ${ids.join("、")}${roles.length ? `（角色：${roles.join("、")}）` : ""}`;
}

export const linkCommand: CommandDef = {
  name: "link",
  mentionArgs: true,
  aliases: ["关联"],
  usage: USAGE,
  summary: "把不同平台的账号关联为同一人",
  audience: ["marketing_head"],
  run(ctx) {
    requireAdmin(ctx.actor, "关联账号");
    if (ctx.args.length !== 2) throw new UserError(USAGE);
    const [a, b] = ctx.args as [string, string];
    const keep = account(ctx, a);
    const fold = account(ctx, b);
    if (!ctx.services.people.link(keep, fold, ctx.actor.personId)) {
      return ctx.reply(`已是同一人，未变更：${describe(ctx, keep)}`);
    }
    ctx.services.db
      .insert(auditLog)
      .values({ actorId: ctx.actor.personId, action: "people.link", detail: { keep, fold }, at: ctx.now })
      .run();
    ctx.reply(`已关联：${describe(ctx, keep)}`);
  },
};
