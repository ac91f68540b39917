import { and, inArray, lt } from "drizzle-orm";
import type { Db } from "./db.ts";
import { inboundSeen, outbox } from "./schema/index.ts";

/** Dedupe keys are kept 8 days: Feishu's last retry comes ~7 h after the first try, WeCom's within minutes. */
export const INBOUND_KEEP_MS = 8 * 86_400_000;

export function pruneInbound(db: Db, now: number): number {
  return db
    .delete(inboundSeen)
    .where(lt(inboundSeen.seenAt, now - INBOUND_KEEP_MS))
    .run().changes;
}

/**
 * Finished outbox rows are kept 30 days, then deleted, so the table (and the cost of writing to its
 * indexes on every click) stays bounded. Nothing needs them longer: Feishu lets a card be edited for 14
 * days and a WeCom response code lives 72 h, so older copies can no longer be updated anyway; dead letters
 * stay listed by /outbox for a month. Pending rows are never pruned.
 */
export const OUTBOX_KEEP_MS = 30 * 86_400_000;

export function pruneOutbox(db: Db, now: number): number {
  return db
    .delete(outbox)
    .where(
      and(inArray(outbox.status, ["done", "superseded", "dead"]), lt(outbox.doneAt, now - OUTBOX_KEEP_MS)),
    )
    .run().changes;
}
