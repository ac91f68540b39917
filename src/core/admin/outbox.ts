import { and, desc, eq, sql } from "drizzle-orm";
import { causeOf, recipient } from "../../outbox/dead-letter.ts";
import { auditLog, outbox } from "../../store/schema/index.ts";
import type { CommandDef } from "../commands/registry.ts";
import { formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { requireAdmin } from "./guard.ts";

const USAGE = "用法：/outbox 查看投递积压与失败｜/outbox retry <编号|all> 重新投递已停止重试的消息";
const SHOWN = 10;

/**
 * Dead letters (docs/reliability.md): a message the platform refused for good (a chat the bot left, a revoked
 * permission) stops retrying and the admins are told. Once the cause is fixed (the bot re-added to the
 * group, the scope granted), `/outbox retry` puts those messages back in the queue: same rows, same
 * idempotency keys, so a message that did get through in the end is still not shown twice.
 */
export const outboxCommand: CommandDef = {
  name: "outbox",
  aliases: ["投递"],
  usage: USAGE,
  summary: "查看投递积压与失败，重新投递（管理员）",
  audience: ["admin"],
  run(ctx) {
    requireAdmin(ctx.actor, "查看和重试消息投递");
    const { db } = ctx.services;
    const [sub, which] = ctx.args;
    if (!sub) {
      const counts = db
        .select({ status: outbox.status, n: sql<number>`count(*)` })
        .from(outbox)
        .where(sql`${outbox.status} in ('pending', 'dead')`)
        .groupBy(outbox.status)
        .all();
      const n = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
      const dead = db
        .select()
        .from(outbox)
        .where(eq(outbox.status, "dead"))
        .orderBy(desc(outbox.id))
        .limit(SHOWN)
        .all();
      const lines = [`待投递 ${n("pending")} 条｜已停止重试 ${n("dead")} 条`];
      for (const r of dead) {
        const when = formatDateTime(r.doneAt ?? r.createdAt, ctx.services.tz);
        // As a person reads it: who did not get it and why (the raw error is in the log).
        lines.push(
          `#${r.id} ${recipient(db, r.platform, r.target)} ${when} ${causeOf(r.platform, r.lastError)}`,
        );
      }
      if (n("dead") > SHOWN) lines.push(`…只列出最近 ${SHOWN} 条`);
      if (n("dead") > 0) lines.push("原因排除后发送 /outbox retry all（或 /outbox retry <编号>）重新投递");
      return ctx.reply(lines.join("\n"));
    }
    if (sub !== "retry" || !which) throw new UserError(USAGE);
    const id = which === "all" || which === "全部" ? undefined : /^#?(\d{1,12})$/.exec(which)?.[1];
    if (which !== "all" && which !== "全部" && id === undefined) throw new UserError(USAGE);
    const res = db
      .update(outbox)
      // createdAt restarts the 24 h retry budget; otherwise one more timeout would dead-letter it at once.
      .set({ status: "pending", attempts: 0, nextAttemptAt: ctx.now, createdAt: ctx.now, doneAt: null })
      .where(and(eq(outbox.status, "dead"), id === undefined ? undefined : eq(outbox.id, Number(id))))
      .run();
    if (res.changes === 0) {
      throw new UserError(id === undefined ? "没有已停止重试的消息" : `#${id} 不是已停止重试的消息`);
    }
    db.insert(auditLog)
      .values({
        actorId: ctx.actor.personId,
        action: "outbox.retry",
        detail: { which, count: res.changes },
        at: ctx.now,
      })
      .run();
    ctx.reply(`已重新排队 ${res.changes} 条消息，将按频率限制投递`);
  },
};
