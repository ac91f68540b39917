import { auditLog } from "../../store/schema/index.ts";
import { mentionIndex } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { catalog, findRole, roleLabel } from "../people/catalog.ts";
import { UserError } from "../types.ts";
import { requireRoleManager } from "./guard.ts";

const USAGE = "用法：/role add <角色> @某人 [@某人…]｜/role remove <角色> @某人｜/role list";

/** The people @-mentioned after the role word, created on first sight with the name the platform gave. */
function mentioned(ctx: CommandContext, tokens: string[]): number[] {
  const ids: number[] = [];
  for (const t of tokens) {
    const i = mentionIndex(t);
    const m = i === undefined ? undefined : ctx.mentions[i];
    if (!m) throw new UserError(`「${t}」不是 @ 提及。${USAGE}`);
    ids.push(ctx.services.people.ensure(ctx.chat.platform, m.userId, m.name));
  }
  if (ids.length === 0) throw new UserError(USAGE);
  return ids;
}

export const roleCommand: CommandDef = {
  name: "role",
  mentionArgs: true,
  aliases: ["角色"],
  usage: USAGE,
  summary: "设置或查看角色",
  audience: ["marketing_head"],
  run(ctx) {
    const [sub, roleText, ...rest] = ctx.args;
    if (sub === "list" || sub === "列表") return ctx.reply(listRoles(ctx));
    if ((sub !== "add" && sub !== "remove") || !roleText) throw new UserError(USAGE);
    const role = findRole(roleText);
    if (!role)
      throw new UserError(
        `没有角色「${roleText}」。可选：${catalog.roles.map((r) => `${r.key} ${r.label}`).join("、")}`,
      );
    requireRoleManager(ctx.services, ctx.actor, role.key);
    const people = mentioned(ctx, rest);
    const changed: string[] = [];
    const unchanged: string[] = [];
    for (const pid of people) {
      const did =
        sub === "add"
          ? ctx.services.people.grant(pid, role.key, ctx.actor.personId)
          : ctx.services.people.revoke(pid, role.key);
      (did ? changed : unchanged).push(ctx.services.people.name(pid));
    }
    ctx.services.db
      .insert(auditLog)
      .values({
        actorId: ctx.actor.personId,
        action: `role.${sub}`,
        detail: { role: role.key, people },
        at: ctx.now,
      })
      .run();
    const verb = sub === "add" ? "添加为" : "移出";
    const lines = [];
    if (changed.length) lines.push(`已将 ${changed.join("、")} ${verb}「${role.label}」`);
    if (unchanged.length)
      lines.push(`${unchanged.join("、")} ${sub === "add" ? "已是" : "本来就不是"}「${role.label}」，未变更`);
    ctx.reply(lines.join("\n"));
  },
};

function listRoles(ctx: CommandContext): string {
  const grants = ctx.services.people.allGrants();
  const lines = catalog.roles.map((r) => {
    const names = grants.filter((g) => g.role === r.key).map((g) => g.name);
    return `${r.label}（${r.key}）：${names.length ? names.join("、") : "—"}`;
  });
  return ["角色列表：", ...lines].join("\n");
}

export { roleLabel };
