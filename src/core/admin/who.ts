import type { CommandDef } from "../commands/registry.ts";
import { catalog, findRole } from "../people/catalog.ts";
import type { People } from "../people/people.ts";
import { UserError } from "../types.ts";

const USAGE = `用法：/who [角色]，如 /who 法务。角色：${catalog.roles.map((r) => r.label).join("、")}`;

function holdersLine(people: People, role: { key: string; label: string }): string {
  const names = people.holders(role.key).map((id) => people.name(id));
  return `${role.label}：${names.length > 0 ? names.join("、") : "（暂无）"}`;
}

/**
 * Who holds a role, so staff know whom to ask (谁是法务？谁能审批？). Reads only: answers, changes nothing.
 * Without a role it lists every role and its holders.
 */
export const whoCommand: CommandDef = {
  name: "who",
  aliases: ["谁是"],
  usage: USAGE,
  summary: "查看各角色由谁担任",
  audience: [],
  run(ctx) {
    const { people } = ctx.services;
    if (ctx.args.length === 0) {
      ctx.reply(catalog.roles.map((r) => holdersLine(people, r)).join("\n"));
      return;
    }
    const role = findRole(ctx.rest);
    if (!role) throw new UserError(`没有「${ctx.rest}」这个角色。${USAGE}`);
    ctx.reply(holdersLine(people, role));
  },
};
