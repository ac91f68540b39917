import { decryptWecom, verifyWecomSignature, type WecomSecrets } from "./crypto.ts";
import { parseXml } from "./xml.ts";

export type Rejection = { ok: false; status: 400 | 401; reason: string };

/** How far the signed `timestamp` may lie in the past: far inside the 8 days de-dup keys are kept. */
export const MAX_AGE_MS = 60 * 60_000;
const MAX_SKEW_MS = 5 * 60_000;

export interface WecomQuery {
  signature: string;
  timestamp: string;
  nonce: string;
}

/** Koa decodes `+` in a query string as a space; base64 has no spaces, so they were pluses. */
export const unplus = (s: string) => s.replace(/ /g, "+");

function fresh(q: WecomQuery, now: number): boolean {
  const t = Number(q.timestamp) * 1000;
  return Number.isFinite(t) && t > now - MAX_AGE_MS && t < now + MAX_SKEW_MS;
}

/**
 * GET URL verification: `msg_signature` over the echostr, then the decrypted echostr is the answer.
 * The same checks as a callback (signature, padding, receiveid); no freshness check, since an admin may
 * press 保存 on a URL at any time and a replay only gets back a value the attacker already sent.
 */
export function verifyEcho(
  s: WecomSecrets,
  q: WecomQuery,
  echostr: string,
): { ok: true; echo: string } | Rejection {
  const encrypted = unplus(echostr);
  if (!verifyWecomSignature(s, q, encrypted)) return { ok: false, status: 401, reason: "bad_signature" };
  const plain = decryptWecom(s, encrypted);
  if (!plain.ok) return { ok: false, status: 401, reason: plain.reason };
  return { ok: true, echo: plain.message };
}

/**
 * POST callback: outer XML `<Encrypt>`, signature over it (constant time), a signed timestamp no older
 * than an hour, decryption with padding and receiveid checked, then the inner XML's fields.
 */
export function verifyCallback(
  s: WecomSecrets,
  q: WecomQuery,
  raw: Buffer,
  now: number,
): { ok: true; fields: Record<string, string> } | Rejection {
  const outer = parseXml(raw.toString("utf8"));
  const encrypted = outer?.Encrypt;
  if (!encrypted) return { ok: false, status: 400, reason: "no_encrypt" };
  if (!verifyWecomSignature(s, q, encrypted)) return { ok: false, status: 401, reason: "bad_signature" };
  if (!fresh(q, now)) return { ok: false, status: 401, reason: "stale_timestamp" };
  const plain = decryptWecom(s, encrypted);
  if (!plain.ok) return { ok: false, status: 401, reason: plain.reason };
  const fields = parseXml(plain.message);
  if (!fields) return { ok: false, status: 400, reason: "bad_xml" };
  return { ok: true, fields };
}
