/**
 * Feishu callback crypto (docs/platforms.md → 飞书 → Callbacks). Pure functions over node:crypto.
 *
 * We do this ourselves instead of using the SDK's EventDispatcher because the SDK hashes
 * `JSON.stringify(parsedBody)` instead of the raw bytes, compares with `===`, and checks nothing at all
 * when no encrypt key is set.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `hex(sha256(timestamp + nonce + encryptKey + rawBody))` — plain SHA-256 (not HMAC) over the raw bytes. */
export function feishuSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer | string,
): string {
  return createHash("sha256")
    .update(timestamp, "utf8")
    .update(nonce, "utf8")
    .update(encryptKey, "utf8")
    .update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody)
    .digest("hex");
}

/** Constant-time string compare; different lengths are unequal without leaking where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  if (x.length !== y.length) {
    // Still spend a compare so the early exit does not stand out more than necessary.
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

export interface FeishuSignatureHeaders {
  timestamp?: string | undefined;
  nonce?: string | undefined;
  signature?: string | undefined;
}

/** Checks `X-Lark-Signature` against the raw request body. Missing headers → false (fail closed). */
export function verifyFeishuSignature(
  headers: FeishuSignatureHeaders,
  encryptKey: string,
  rawBody: Buffer,
): boolean {
  const { timestamp, nonce, signature } = headers;
  if (!timestamp || !nonce || !signature || !encryptKey) return false;
  const expected = feishuSignature(timestamp, nonce, encryptKey, rawBody);
  // Hex is case-insensitive; Feishu sends lower case, but do not reject on case alone.
  return safeEqual(expected, signature.toLowerCase());
}

/** AES-256 key = sha256(encrypt_key), 32 bytes. */
function aesKey(encryptKey: string): Buffer {
  return createHash("sha256").update(encryptKey, "utf8").digest();
}

/**
 * AES-256-CBC, IV = first 16 bytes of the base64-decoded `encrypt`, PKCS#7 padding.
 * Official vector: key `test key`, `P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=` → `hello world`.
 */
export function decryptFeishu(encrypt: string, encryptKey: string): string {
  const data = Buffer.from(encrypt, "base64");
  // At least IV + one block, and whole blocks only; anything else cannot be a Feishu payload.
  if (data.length < 32 || data.length % 16 !== 0) {
    throw new Error("feishu decrypt: ciphertext is not IV + whole AES blocks");
  }
  const decipher = createDecipheriv("aes-256-cbc", aesKey(encryptKey), data.subarray(0, 16));
  try {
    const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
    return plain.toString("utf8");
  } catch {
    // OpenSSL's message ("bad decrypt") says nothing useful; a wrong key shows up as bad padding.
    throw new Error("feishu decrypt: bad padding (wrong encrypt key or corrupted payload)");
  }
}

/** The inverse of `decryptFeishu`; used by the fake platform to build encrypted callbacks. */
export function encryptFeishu(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  if (iv.length !== 16) throw new Error("feishu encrypt: IV must be 16 bytes");
  const cipher = createCipheriv("aes-256-cbc", aesKey(encryptKey), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, body]).toString("base64");
}
