import type { FeishuConfig } from "../../config.ts";
import { decryptFeishu, safeEqual, verifyFeishuSignature } from "./crypto.ts";

/**
 * How old a signed request may be. Feishu retries a failed event for up to ~7 h (15 s, 5 min, 1 h, 6 h),
 * so a day leaves room; de-duplication keys live 8 days, so a replay older than this window can never
 * find its key pruned and act again. A little clock skew into the future is tolerated.
 */
export const MAX_AGE_MS = 24 * 3_600_000;
export const MAX_FUTURE_MS = 5 * 60_000;

function fresh(timestamp: string | undefined, now: number): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  const t = Number(timestamp) * 1000;
  return t >= now - MAX_AGE_MS && t <= now + MAX_FUTURE_MS;
}

export type Verified =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400 | 401; reason: string };

/**
 * Checks a Feishu request before anything else reads it (docs/platforms.md → 飞书 → Callbacks):
 *  - with an Encrypt Key the body must be `{"encrypt": …}`; the signature over the raw bytes must match,
 *    except for the URL challenge, which Feishu sends unsigned (decrypting it with our key is the check);
 *  - the Verification Token, when configured, must match (`header.token` for 2.0 events, `token` for
 *    the challenge and 1.0 bodies), compared in constant time;
 *  - with neither secret configured we never get here (config fails closed).
 */
export function verifyFeishuRequest(
  cfg: Pick<FeishuConfig, "encryptKey" | "verificationToken">,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer,
  now: number,
): Verified {
  let outer: unknown;
  try {
    outer = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, status: 400, reason: "invalid_json" };
  }
  if (!outer || typeof outer !== "object") return { ok: false, status: 400, reason: "invalid_json" };
  let body = outer as Record<string, unknown>;

  if (cfg.encryptKey) {
    if (typeof body.encrypt !== "string") return { ok: false, status: 401, reason: "not_encrypted" };
    const h = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const sig = {
      timestamp: h("x-lark-request-timestamp"),
      nonce: h("x-lark-request-nonce"),
      signature: h("x-lark-signature"),
    };
    const signed = verifyFeishuSignature(sig, cfg.encryptKey, raw);
    let inner: unknown;
    try {
      inner = JSON.parse(decryptFeishu(body.encrypt, cfg.encryptKey));
    } catch {
      return { ok: false, status: 401, reason: "decrypt_failed" };
    }
    // A ciphertext of `null` decrypts and parses fine; reading `.type` off it threw, and the request
    // ended as a 500 instead of a refusal (test/security/callbacks-feishu.test.ts). Only objects are events.
    if (!inner || typeof inner !== "object") return { ok: false, status: 401, reason: "decrypt_failed" };
    body = inner as Record<string, unknown>;
    if (!signed && body.type !== "url_verification")
      return { ok: false, status: 401, reason: "bad_signature" };
    if (body.type !== "url_verification" && !fresh(sig.timestamp, now))
      return { ok: false, status: 401, reason: "stale_timestamp" };
  }

  if (cfg.verificationToken) {
    const header = body.header as Record<string, unknown> | undefined;
    const token = typeof header?.token === "string" ? header.token : body.token;
    if (typeof token !== "string" || !safeEqual(token, cfg.verificationToken)) {
      return { ok: false, status: 401, reason: "bad_token" };
    }
  }
  return { ok: true, body };
}
