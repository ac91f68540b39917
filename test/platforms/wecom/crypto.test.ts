/**
 * Tencent's official callback sample (WeCom doc 加解密方案说明 and the WXBizMsgCrypt
 * samples) verifies and decrypts byte for byte; a wrong key, a wrong corp id, a tampered signature, bad
 * padding are each rejected.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decryptWecom,
  encryptWecom,
  verifyWecomSignature,
  wecomSignature,
} from "../../../src/platforms/wecom/crypto.ts";
import { verifyCallback, verifyEcho } from "../../../src/platforms/wecom/verify.ts";
import { buildXml, parseXml } from "../../../src/platforms/wecom/xml.ts";

const SAMPLE = {
  token: "QDG6eK",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  corpId: "wx5823bf96d3bd56c7",
};
const GET = {
  signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
  timestamp: "1409659589",
  nonce: "263014780",
  echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
};
const POST = {
  signature: "477715d11cdb4164915debcba66cb864d751f3e6",
  timestamp: "1409659813",
  nonce: "1372623149",
  encrypt:
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
};
const POST_BODY = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${POST.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
const POST_TIME = Number(POST.timestamp) * 1000;

describe("WeCom callback crypto: the official sample", () => {
  it("verifies the GET signature and decrypts the echostr to 1616140317555161061", () => {
    expect(wecomSignature(SAMPLE.token, GET.timestamp, GET.nonce, GET.echostr)).toBe(GET.signature);
    const r = verifyEcho(SAMPLE, GET, GET.echostr);
    expect(r).toEqual({ ok: true, echo: "1616140317555161061" });
    // Koa turns an unencoded "+" into a space: still the same echostr.
    expect(verifyEcho(SAMPLE, GET, GET.echostr.replaceAll("+", " "))).toEqual(r);
  });

  it("verifies the POST signature and decrypts the text message from mycreate", () => {
    const r = verifyCallback(SAMPLE, POST, Buffer.from(POST_BODY), POST_TIME + 1000);
    if (!r.ok) throw new Error(r.reason);
    expect(r.fields).toMatchObject({
      ToUserName: "wx5823bf96d3bd56c7",
      FromUserName: "mycreate",
      MsgType: "text",
      Content: "hello",
      MsgId: "4561255354251345929",
      AgentID: "218",
    });
    // Byte-exact: encrypting the plaintext again with the sample's random prefix gives the sample back.
    const key = Buffer.from(`${SAMPLE.encodingAesKey}=`, "base64");
    const d = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(POST.encrypt, "base64")), d.final()]);
    const decrypted = decryptWecom(SAMPLE, POST.encrypt);
    if (!decrypted.ok) throw new Error(decrypted.reason);
    expect(encryptWecom(SAMPLE, decrypted.message, plain.subarray(0, 16))).toBe(POST.encrypt);
  });

  it("rejects a wrong EncodingAESKey, a wrong corp id and a tampered signature", () => {
    const wrongKey = { ...SAMPLE, encodingAesKey: "kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C" };
    expect(verifyCallback(wrongKey, POST, Buffer.from(POST_BODY), POST_TIME)).toMatchObject({
      ok: false,
      status: 401,
      reason: "bad_padding",
    });
    expect(verifyEcho(wrongKey, GET, GET.echostr)).toMatchObject({ ok: false, reason: "bad_padding" });
    const otherCorp = { ...SAMPLE, corpId: "wx5823bf96d3bd56c8" };
    expect(verifyCallback(otherCorp, POST, Buffer.from(POST_BODY), POST_TIME)).toMatchObject({
      ok: false,
      reason: "bad_receiveid",
    });
    expect(verifyEcho(otherCorp, GET, GET.echostr)).toMatchObject({ ok: false, reason: "bad_receiveid" });
    const tampered = { ...POST, signature: `${POST.signature.slice(0, -1)}7` };
    expect(verifyCallback(SAMPLE, tampered, Buffer.from(POST_BODY), POST_TIME)).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    expect(verifyWecomSignature(SAMPLE, { ...POST, signature: "" }, POST.encrypt)).toBe(false);
    // A signature over another token, or a body changed after signing, are the same failure.
    expect(
      verifyCallback({ ...SAMPLE, token: "QDG6eL" }, POST, Buffer.from(POST_BODY), POST_TIME),
    ).toMatchObject({
      reason: "bad_signature",
    });
    const other = POST_BODY.replace("RypEvHKD", "RypEvHKE");
    expect(verifyCallback(SAMPLE, POST, Buffer.from(other), POST_TIME)).toMatchObject({
      reason: "bad_signature",
    });
  });

  it("rejects a callback signed long ago (a replay after the de-dup keys are gone)", () => {
    const r = verifyCallback(SAMPLE, POST, Buffer.from(POST_BODY), POST_TIME + 2 * 3_600_000);
    expect(r).toMatchObject({ ok: false, status: 401, reason: "stale_timestamp" });
  });

  it("rejects bad PKCS#7 padding that @wecom/crypto alone would accept", () => {
    const key = Buffer.from(`${SAMPLE.encodingAesKey}=`, "base64");
    const iv = key.subarray(0, 16);
    const raw = (plain: Buffer) => {
      const c = createCipheriv("aes-256-cbc", key, iv).setAutoPadding(false);
      return Buffer.concat([c.update(plain), c.final()]).toString("base64");
    };
    const msg = Buffer.from("<xml><Content>hi</Content></xml>");
    const body = Buffer.concat([
      Buffer.alloc(16, 7),
      Buffer.from([0, 0, 0, msg.length]),
      msg,
      Buffer.from(SAMPLE.corpId),
    ]);
    const pad = 32 - (body.length % 32);
    const good = Buffer.concat([body, Buffer.alloc(pad, pad)]);
    expect(decryptWecom(SAMPLE, raw(good))).toEqual({ ok: true, message: msg.toString() });
    // Pad bytes that disagree with the pad length.
    const mixed = Buffer.from(good);
    mixed[mixed.length - 2] = (pad + 1) % 256;
    expect(decryptWecom(SAMPLE, raw(mixed))).toMatchObject({ ok: false, reason: "bad_padding" });
    // A pad length of 0 (the library returns the data unchanged).
    const zero = Buffer.from(good);
    zero[zero.length - 1] = 0;
    expect(decryptWecom(SAMPLE, raw(zero))).toMatchObject({ ok: false, reason: "bad_padding" });
    // Not whole blocks, and too short.
    expect(decryptWecom(SAMPLE, "AAAA")).toMatchObject({ ok: false, reason: "bad_padding" });
    expect(decryptWecom(SAMPLE, Buffer.alloc(16).toString("base64"))).toMatchObject({ ok: false });
  });
});

describe("WeCom XML", () => {
  it("reads CDATA, numbers, entities, and CDATA that looks like a closing tag", () => {
    const xml = buildXml({ A: "x]]>y</A>", N: 5, E: "" });
    expect(parseXml(xml)).toEqual({ A: "x]]>y</A>", N: "5", E: "" });
    expect(parseXml("<xml><T>a &lt;b&gt; &amp;</T></xml>")).toEqual({ T: "a <b> &" });
    expect(parseXml("<xml><S><I>1</I></S></xml>")).toEqual({ S: "<I>1</I>" });
    expect(parseXml("not xml")).toBeUndefined();
    expect(parseXml("<xml><A>unclosed</xml>")).toBeUndefined();
  });
});
