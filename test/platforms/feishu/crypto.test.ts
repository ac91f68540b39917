import { describe, expect, it } from "vitest";
import {
  decryptFeishu,
  encryptFeishu,
  feishuSignature,
  safeEqual,
  verifyFeishuSignature,
} from "../../../src/platforms/feishu/crypto.ts";

describe("feishu crypto", () => {
  it("decrypts the official test vector", () => {
    expect(decryptFeishu("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=", "test key")).toBe("hello world");
  });

  it("round-trips through encrypt/decrypt, including non-ASCII and block-sized input", () => {
    for (const text of ["", "a", "0123456789abcdef", '{"challenge":"审核流程 ✓"}']) {
      const enc = encryptFeishu(text, "k-123");
      expect(decryptFeishu(enc, "k-123")).toBe(text);
    }
  });

  it("uses the given IV, so a fixed IV gives a fixed ciphertext", () => {
    const iv = Buffer.alloc(16, 7);
    expect(encryptFeishu("x", "k", iv)).toBe(encryptFeishu("x", "k", iv));
    expect(() => encryptFeishu("x", "k", Buffer.alloc(8))).toThrow(/IV/);
  });

  it("throws a clear error on a wrong key or garbage", () => {
    const enc = encryptFeishu('{"a":1}', "right key", Buffer.alloc(16, 1));
    expect(() => decryptFeishu(enc, "wrong key")).toThrow(/feishu decrypt/);
    expect(() => decryptFeishu("bm90IGVub3VnaA==", "k")).toThrow(/feishu decrypt/);
  });

  it("signs sha256(timestamp + nonce + key + body) over raw bytes", () => {
    const body = Buffer.from('{"encrypt":"abc"}');
    const sig = feishuSignature("1700000000", "n1", "key", body);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(feishuSignature("1700000000", "n1", "key", body.toString())).toBe(sig);
    expect(verifyFeishuSignature({ timestamp: "1700000000", nonce: "n1", signature: sig }, "key", body)).toBe(
      true,
    );
  });

  it("rejects tampered signatures, bodies and missing headers", () => {
    const body = Buffer.from('{"encrypt":"abc"}');
    const sig = feishuSignature("1", "n", "key", body);
    const flipped = (sig[0] === "a" ? "b" : "a") + sig.slice(1);
    expect(verifyFeishuSignature({ timestamp: "1", nonce: "n", signature: flipped }, "key", body)).toBe(
      false,
    );
    expect(
      verifyFeishuSignature({ timestamp: "1", nonce: "n", signature: sig }, "key", Buffer.from("{}")),
    ).toBe(false);
    expect(verifyFeishuSignature({ timestamp: "1", nonce: "n", signature: "short" }, "key", body)).toBe(
      false,
    );
    expect(verifyFeishuSignature({ timestamp: "1", signature: sig }, "key", body)).toBe(false);
    expect(verifyFeishuSignature({ timestamp: "1", nonce: "n", signature: sig }, "other", body)).toBe(false);
  });

  it("compares strings in constant time with correct results", () => {
    expect(safeEqual("token", "token")).toBe(true);
    expect(safeEqual("token", "tokem")).toBe(false);
    expect(safeEqual("token", "token2")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
