import type { Context } from "koa";
import getRawBody from "raw-body";
import { metrics } from "./metrics.ts";

/** Callback bodies over 1 MiB are refused with 413 before they are parsed (docs/reliability.md). */
export const BODY_LIMIT = 1024 * 1024;

/** Reads the exact bytes (signatures are over raw bytes). Answers 413/400 itself and returns undefined. */
export async function readRawBody(ctx: Context, platform = "other"): Promise<Buffer | undefined> {
  try {
    return await getRawBody(ctx.req, { limit: BODY_LIMIT, length: ctx.get("content-length") || null });
  } catch (err) {
    const status = (err as { status?: number }).status === 413 ? 413 : 400;
    metrics.callbacksRejected.inc({ platform, reason: status === 413 ? "size" : "body" });
    ctx.status = status;
    ctx.body = { code: status, msg: status === 413 ? "payload too large" : "bad request" };
    return undefined;
  }
}
