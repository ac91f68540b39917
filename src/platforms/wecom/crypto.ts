/**
 * WeCom callback crypto (docs/platforms.md → 企业微信自建应用 → Callbacks): `@wecom/crypto` signs and (de)crypts, and we add
 * the two checks it leaves out. Its `decrypt` neither checks the receiveid nor the PKCS#7 padding, and a
 * wrong EncodingAESKey yields garbage instead of an error, so:
 *  - padding, length field and trailing bytes are checked by encrypting the result again with the same
 *    random prefix: AES-CBC with WeCom's fixed IV is deterministic, so only a well-formed plaintext (pad
 *    1..32 bytes of its own length, nothing after the receiveid) reproduces the ciphertext byte for byte;
 *  - the receiveid must be our corp id, compared in constant time.
 */
import { timingSafeEqual } from "node:crypto";
import { decrypt, encrypt, getSignature } from "@wecom/crypto";

export interface WecomSecrets {
  token: string;
  encodingAesKey: string;
  corpId: string;
}

/** Constant-time string compare; different lengths are unequal without a per-byte early exit. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/** `sha1(sort([token, timestamp, nonce, encrypt]).join(""))` */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

export function verifyWecomSignature(
  s: Pick<WecomSecrets, "token">,
  q: { signature: string; timestamp: string; nonce: string },
  encrypted: string,
): boolean {
  if (!q.signature || !q.timestamp || !q.nonce || !encrypted) return false;
  const expected = wecomSignature(s.token, q.timestamp, q.nonce, encrypted);
  return safeEqual(expected, q.signature.toLowerCase());
}

export type Decrypted =
  | { ok: true; message: string }
  | { ok: false; reason: "bad_padding" | "bad_receiveid" };

/** Decrypts `encrypted` and checks padding and receiveid; never throws on hostile input. */
export function decryptWecom(
  s: Pick<WecomSecrets, "encodingAesKey" | "corpId">,
  encrypted: string,
): Decrypted {
  const cipher = Buffer.from(encrypted, "base64");
  // Whole AES blocks, at least random(16) + length(4) + one byte of padding.
  if (cipher.length < 32 || cipher.length % 16 !== 0) return { ok: false, reason: "bad_padding" };
  let plain: { message: string; id: string; random: Buffer };
  try {
    plain = decrypt(s.encodingAesKey, encrypted);
  } catch {
    return { ok: false, reason: "bad_padding" };
  }
  let again: Buffer;
  try {
    again = Buffer.from(encrypt(s.encodingAesKey, plain.message, plain.id, plain.random), "base64");
  } catch {
    return { ok: false, reason: "bad_padding" };
  }
  if (again.length !== cipher.length || !timingSafeEqual(again, cipher))
    return { ok: false, reason: "bad_padding" };
  if (!safeEqual(plain.id, s.corpId)) return { ok: false, reason: "bad_receiveid" };
  return { ok: true, message: plain.message };
}

/** The inverse, for passive replies and for the fake platform's callbacks. */
export function encryptWecom(
  s: Pick<WecomSecrets, "encodingAesKey" | "corpId">,
  message: string,
  random?: Buffer,
): string {
  return encrypt(s.encodingAesKey, message, s.corpId, random);
}
