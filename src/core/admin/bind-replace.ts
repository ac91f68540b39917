import { and, eq, like, sql } from "drizzle-orm";
import { auditLog, groupBindings, wecomRobots } from "../../store/schema/index.ts";
import type { CommandContext } from "../commands/registry.ts";

/** The last word of `/bind <用途> 替换`: the group replaces the group robots bound for that purpose. */
export const REPLACE_WORD = "替换";

export function takeReplaceFlag(args: string[]): { args: string[]; replace: boolean } {
  const replace = args.length > 1 && args.at(-1) === REPLACE_WORD;
  return { args: replace ? args.slice(0, -1) : args, replace };
}

/**
 * A WeCom group bound through the 智能机器人 may take over from send-only group robots (webhooks) bound
 * for the same purpose earlier: without `替换` the admin is told they are still there (posts go to both);
 * with it they are unbound. Returns the sentence added to the /bind answer ("" when there are none).
 */
export function webhookTwins(ctx: CommandContext, purpose: string, replace: boolean): string {
  const db = ctx.services.db;
  const twins = db
    .select({ chatId: groupBindings.chatId, key: wecomRobots.webhookKey })
    .from(groupBindings)
    .leftJoin(wecomRobots, sql`'robot:' || ${wecomRobots.id} = ${groupBindings.chatId}`)
    .where(
      and(
        eq(groupBindings.platform, ctx.chat.platform),
        eq(groupBindings.purpose, purpose),
        like(groupBindings.chatId, "robot:%"),
      ),
    )
    .all();
  if (twins.length === 0) return "";
  const names = twins.map((t) => `群机器人（key 末四位 ${(t.key ?? "").slice(-4)}）`).join("、");
  if (!replace)
    return `。该用途还登记了${names}，通知会两边都发；只用本群请在本群发送 /bind ${purpose} ${REPLACE_WORD}`;
  for (const t of twins) {
    db.delete(groupBindings)
      .where(
        and(
          eq(groupBindings.platform, ctx.chat.platform),
          eq(groupBindings.chatId, t.chatId),
          eq(groupBindings.purpose, purpose),
        ),
      )
      .run();
  }
  db.insert(auditLog)
    .values({
      actorId: ctx.actor.personId,
      action: "group.unbind",
      detail: { purpose, replaced: twins.map((t) => t.chatId), by: ctx.chat.chatId },
      at: ctx.now,
    })
    .run();
  return `，并停用了该用途的${names}`;
}
