import { lt } from "drizzle-orm";
import type { Db } from "./db.ts";
import { inboundSeen } from "./schema/index.ts";

/** Dedupe keys are kept 8 days: Feishu's last retry comes ~7 h after the first try, WeCom's within minutes. */
export const INBOUND_KEEP_MS = 8 * 86_400_000;

export function pruneInbound(db: Db, now: number): number {
  return db
    .delete(inboundSeen)
    .where(lt(inboundSeen.seenAt, now - INBOUND_KEEP_MS))
    .run().changes;
}
