import type { CommandDef } from "../commands/registry.ts";
import { roleLabel } from "../people/catalog.ts";

/**
 * /help lists the commands of the person's roles, one line each with what it does. When that list
 * would not fit one message on the narrowest channel (WeCom texts are cut at 2,048 bytes: an admin sees
 * every command), it becomes the command names only, and `/help <命令>` tells what one does and how.
 */
const ONE_MESSAGE_BYTES = 1_900;
const NAMES_PER_LINE = 6;

/** `/help`, listing `commands` (every registered command, in the order the features registered them). */
export const helpCommand = (commands: () => readonly CommandDef[]): CommandDef => ({
  name: "help",
  aliases: ["帮助"],
  usage: "用法：/help 或 /help <命令名>（如 /help submit）",
  summary: "查看命令",
  audience: [],
  run(ctx) {
    const all = commands();
    const asked = ctx.args[0]?.replace(/^[/／]/, "").toLowerCase();
    if (asked !== undefined) {
      const def = all.find((c) => c.name === asked || c.aliases.includes(asked));
      ctx.reply(
        def === undefined
          ? `没有「${asked}」这个命令。发送 /help 查看可用命令`
          : [`${label(def)} ${def.summary}`, def.usage].join("\n"),
      );
      return;
    }
    const roles = new Set(ctx.services.people.rolesOf(ctx.actor.personId));
    const mine = all.filter(
      (c) => ctx.actor.isAdmin || c.audience.length === 0 || c.audience.some((r) => roles.has(r)),
    );
    const hidden = all.length - mine.length;
    const head = `你的角色：${roleLine(
      ctx.actor.isAdmin,
      [...roles].map((r) => roleLabel(r)),
    )}`;
    const tail = hidden ? `另有 ${hidden} 个命令属于其他角色` : "";
    const full = [head, ...mine.map((c) => `${label(c)} ${c.summary}`), tail].filter(Boolean).join("\n");
    if (Buffer.byteLength(full) <= ONE_MESSAGE_BYTES) {
      ctx.reply(full);
      return;
    }
    const names: string[] = [];
    for (let i = 0; i < mine.length; i += NAMES_PER_LINE)
      names.push(
        mine
          .slice(i, i + NAMES_PER_LINE)
          .map((c) => `/${c.name}`)
          .join("  "),
      );
    ctx.reply(
      [head, "可用命令（发送 /help 命令名 查看说明和用法）：", ...names, tail].filter(Boolean).join("\n"),
    );
  },
});

const label = (c: CommandDef) => `/${c.name}${c.aliases.length ? `（/${c.aliases[0]}）` : ""}`;

function roleLine(isAdmin: boolean, labels: string[]): string {
  const roles = labels.join("、");
  if (isAdmin) return roles ? `${roles}（管理员）` : "管理员";
  return roles || "暂无（请联系管理员分配角色）";
}
