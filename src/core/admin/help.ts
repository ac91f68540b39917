import type { CommandDef } from "../commands/registry.ts";

export const helpCommand: CommandDef = {
  name: "help",
  aliases: ["帮助"],
  usage: "用法：/help",
  summary: "查看命令",
  audience: [],
  run(ctx) {
    const roles = new Set(ctx.core.people.rolesOf(ctx.actor.personId));
    const all = ctx.core.commands.all;
    const mine = all.filter(
      (c) => ctx.actor.isAdmin || c.audience.length === 0 || c.audience.some((r) => roles.has(r)),
    );
    const lines = mine.map((c) => `/${c.name}${c.aliases.length ? `（/${c.aliases[0]}）` : ""} ${c.summary}`);
    const hidden = all.length - mine.length;
    ctx.reply(
      [
        `你的角色：${roleLine(
          ctx.actor.isAdmin,
          [...roles].map((r) => ctx.core.roleLabel(r)),
        )}`,
        ...lines,
        hidden ? `另有 ${hidden} 个命令属于其他角色` : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  },
};

function roleLine(isAdmin: boolean, labels: string[]): string {
  const roles = labels.join("、");
  if (isAdmin) return roles ? `${roles}（管理员）` : "管理员";
  return roles || "暂无（请联系管理员分配角色）";
}
