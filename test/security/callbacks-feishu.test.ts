/**
 * POST /webhooks/feishu under attack (docs/reliability.md): whatever arrives that Feishu did not sign — forged,
 * re-signed over other bytes, cut short, oversized, garbage, or decrypting to something that is not an
 * event — is refused with a 4xx, never a 500, and leaves every table and every chat exactly as it was.
 * A genuine request replayed is handled once. test/e2e/security.test.ts has the first-line cases (one
 * forged signature, one wrong key, the challenge); this file goes through the rest systematically.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encryptFeishu, feishuSignature } from "../../src/platforms/feishu/crypto.ts";
import {
  buildFeishuCallback,
  cardActionEvent,
  messageEvent,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import {
  ENCRYPT_KEY,
  type Harness,
  p2p,
  seedRoles,
  startHarness,
  VERIFICATION_TOKEN,
} from "../support/harness.ts";
import { chunk, countDelta, feishuSent, LAST_CHUNK, rawHttp, tableCounts } from "./support.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const MiB = 1024 * 1024;
const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** A /submit from 小王: if any rejected variant of it got through, content_items would grow. */
const submitPayload = (token = VERIFICATION_TOKEN) =>
  messageEvent({
    token,
    chatId: p2p("ou_wang"),
    chatType: "p2p",
    senderOpenId: "ou_wang",
    text: "/submit 抖音 周末新本\n欢迎预约",
  });

/** Runs `attack`, then asserts nothing at all changed: no row anywhere, nothing sent to anyone. */
async function expectNoEffect(attack: () => Promise<void>): Promise<void> {
  await h.settle();
  const rows = tableCounts(h.app.db.$client);
  const sent = feishuSent(h.fake);
  await attack();
  await h.settle();
  expect(countDelta(rows, tableCounts(h.app.db.$client))).toEqual({});
  expect(feishuSent(h.fake)).toBe(sent);
}

/** Body and headers of a correctly signed request carrying `plaintext` (any string, even non-JSON). */
function signedCiphertext(encrypt: string, key = ENCRYPT_KEY) {
  const body = JSON.stringify({ encrypt });
  const timestamp = String(Math.floor(h.clock.now() / 1000));
  const nonce = randomBytes(8).toString("hex");
  return {
    body,
    headers: {
      ...JSON_HEADERS,
      "x-lark-request-timestamp": timestamp,
      "x-lark-request-nonce": nonce,
      "x-lark-signature": feishuSignature(timestamp, nonce, key, body),
    },
  };
}

describe("Feishu with an Encrypt Key: the signature over the raw bytes is checked first", () => {
  beforeEach(async () => {
    h = await startHarness();
    await seedRoles(h);
  });

  it("refuses every forged or misplaced signature with 401", async () => {
    const good = buildFeishuCallback({
      payload: submitPayload(),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    const other = buildFeishuCallback({
      payload: submitPayload(),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    const statuses: number[] = [];
    await expectNoEffect(async () => {
      const send = async (body: string, headers: Record<string, string>) =>
        statuses.push((await h.post(body, headers)).status);
      // A made-up signature, an empty one, and one computed with somebody else's key.
      await send(good.body, { ...good.headers, "x-lark-signature": "0".repeat(64) });
      await send(good.body, { ...good.headers, "x-lark-signature": "" });
      const ts = good.headers["x-lark-request-timestamp"] ?? "";
      const nonce = good.headers["x-lark-request-nonce"] ?? "";
      await send(good.body, {
        ...good.headers,
        "x-lark-signature": feishuSignature(ts, nonce, "not-our-key", good.body),
      });
      // A genuine signature, but over another body (both bodies are valid, encrypted with our key).
      await send(good.body, other.headers);
      // The signed timestamp or nonce changed after signing.
      await send(good.body, { ...good.headers, "x-lark-request-timestamp": String(Number(ts) + 1) });
      await send(good.body, { ...good.headers, "x-lark-request-nonce": `${nonce}0` });
      // Each of the three headers missing.
      for (const drop of ["x-lark-request-timestamp", "x-lark-request-nonce", "x-lark-signature"]) {
        const headers = { ...good.headers };
        delete headers[drop];
        await send(good.body, headers);
      }
      // The body re-serialised (same JSON, different bytes: a space) no longer matches.
      await send(good.body.replace('{"encrypt":', '{ "encrypt":'), good.headers);
    });
    expect(statuses).toEqual(Array(10).fill(401));
    // The untouched request still works: the refusals were about the forgery, not the payload.
    expect((await h.post(good.body, good.headers)).status).toBe(200);
    await h.settle();
    expect(h.texts("wang").at(-1)).toMatch(/^已提交 #1《周末新本》/);
  });

  it("refuses signed bodies whose ciphertext or plaintext is not a Feishu event, with 401 and no 500", async () => {
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      const attempts: Record<string, string> = {
        "not base64": "!!!not-base64!!!",
        "not whole AES blocks": Buffer.alloc(40, 7).toString("base64"),
        "bad padding": Buffer.alloc(64, 0).toString("base64"),
        "encrypted with another key": encryptFeishu(JSON.stringify(submitPayload()), "someone-elses-key"),
        "plaintext not JSON": encryptFeishu("hello world", ENCRYPT_KEY),
        "plaintext JSON null": encryptFeishu("null", ENCRYPT_KEY),
        "plaintext JSON array": encryptFeishu("[]", ENCRYPT_KEY),
        "plaintext JSON number": encryptFeishu("5", ENCRYPT_KEY),
        "wrong Verification Token inside": encryptFeishu(
          JSON.stringify(submitPayload("stolen")),
          ENCRYPT_KEY,
        ),
        "no Verification Token inside": encryptFeishu(
          JSON.stringify({ ...submitPayload(), header: { event_type: "im.message.receive_v1" } }),
          ENCRYPT_KEY,
        ),
      };
      for (const [name, encrypt] of Object.entries(attempts)) {
        const req = signedCiphertext(encrypt);
        statuses[name] = (await h.post(req.body, req.headers)).status;
      }
      // `encrypt` that is not a string, signed: still not an encrypted callback.
      const numeric = JSON.stringify({ encrypt: 12345 });
      const ts = "1700000000";
      statuses["encrypt is a number"] = (
        await h.post(numeric, {
          ...JSON_HEADERS,
          "x-lark-request-timestamp": ts,
          "x-lark-request-nonce": "n",
          "x-lark-signature": feishuSignature(ts, "n", ENCRYPT_KEY, numeric),
        })
      ).status;
      // A plain (unencrypted) event with a correct token: with an Encrypt Key set, plain is refused.
      const plain = buildFeishuCallback({ payload: submitPayload() });
      statuses["plain body"] = (await h.post(plain.body, plain.headers)).status;
    });
    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((k) => [k, 401])));
  });

  it("a body cut short at any byte is a 4xx, never a 500, and the uncut body still works", async () => {
    const good = buildFeishuCallback({
      payload: submitPayload(),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    const len = Buffer.byteLength(good.body);
    const cuts = [0, 1, 2, 11, 12, 13, Math.floor(len / 3), Math.floor(len / 2), len - 3, len - 2, len - 1];
    const seen: number[] = [];
    await expectNoEffect(async () => {
      for (const cut of cuts) seen.push((await h.post(good.body.slice(0, cut), good.headers)).status);
    });
    for (const s of seen) expect([400, 401]).toContain(s);
    expect((await h.post(good.body, good.headers)).status).toBe(200);
  });

  it("a client that announces more bytes than it sends (dies mid-upload) changes nothing", async () => {
    const good = buildFeishuCallback({
      payload: submitPayload(),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    const bytes = Buffer.from(good.body);
    let status = -1;
    await expectNoEffect(async () => {
      const res = await rawHttp(h.url, {
        path: "/webhooks/feishu",
        headers: { ...good.headers, "content-length": String(bytes.length) },
        chunks: [bytes.subarray(0, Math.floor(bytes.length / 2))],
        halfClose: true,
      });
      status = res.status;
    });
    // Either a 400 reaches the client, or the connection is simply closed; never a 2xx or a 500.
    expect([0, 400]).toContain(status);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it("1 MiB is read (and refused as unsigned); 1 MiB + 1 byte is 413, with or without a Content-Length", async () => {
    const exact = JSON.stringify({ encrypt: "A".repeat(MiB - '{"encrypt":""}'.length) });
    expect(Buffer.byteLength(exact)).toBe(MiB);
    const over = JSON.stringify({ encrypt: "A".repeat(MiB + 1 - '{"encrypt":""}'.length) });
    expect(Buffer.byteLength(over)).toBe(MiB + 1);
    let chunked = -1;
    await expectNoEffect(async () => {
      expect((await h.post(exact, JSON_HEADERS)).status).toBe(401);
      expect((await h.post(over, JSON_HEADERS)).status).toBe(413);
      // Chunked: the server cannot know the size in advance and must stop counting at the limit.
      const half = Buffer.from(over).subarray(0, MiB / 2);
      const rest = Buffer.from(over).subarray(MiB / 2);
      const res = await rawHttp(h.url, {
        path: "/webhooks/feishu",
        headers: { ...JSON_HEADERS, "transfer-encoding": "chunked" },
        chunks: [chunk(half), chunk(rest), LAST_CHUNK],
      });
      chunked = res.status;
    });
    expect(chunked).toBe(413);
  });

  it("garbage of every shape is a 4xx", async () => {
    const bodies: Record<string, string | Uint8Array> = {
      empty: "",
      "not JSON": "{not json",
      binary: new Uint8Array(randomBytes(256)),
      "JSON null": "null",
      "JSON string": '"encrypt"',
      "JSON array": "[]",
      XML: "<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>",
      "deeply nested": `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      "invalid UTF-8": new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    };
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      for (const [name, body] of Object.entries(bodies)) {
        const res = await fetch(`${h.url}/webhooks/feishu`, { method: "POST", headers: JSON_HEADERS, body });
        statuses[name] = res.status;
      }
    });
    for (const [name, s] of Object.entries(statuses))
      expect([name, [400, 401].includes(s)]).toEqual([name, true]);
  });

  it("a genuine request replayed — at once, and hours later after a restart — is handled once", async () => {
    const submit = buildFeishuCallback({
      payload: submitPayload(),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    expect((await h.post(submit.body, submit.headers)).status).toBe(200);
    await h.settle();
    expect(h.cards("li")).toHaveLength(1);
    // 李姐 approves on her card; the click is then replayed byte for byte.
    const card = h.cards("li")[0]?.messageId ?? "";
    const click = buildFeishuCallback({
      payload: cardActionEvent({
        token: VERIFICATION_TOKEN,
        operatorOpenId: "ou_li",
        value: { a: "review.decide", step: 1, v: "approve" },
        openMessageId: card,
        openChatId: p2p("ou_li"),
      }),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    expect((await h.post(click.body, click.headers)).status).toBe(200);
    await h.settle();
    expect(h.cards("zhang")).toHaveLength(1);
    // Feishu documents no freshness window for X-Lark-Request-Timestamp (it retries for hours), so
    // the persisted de-dup keys are what stop a replay: at once, and 6 h later after a restart.
    await expectNoEffect(async () => {
      for (let i = 0; i < 3; i++) {
        const res = await h.post(submit.body, submit.headers);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({});
        expect((await h.post(click.body, click.headers)).status).toBe(200);
      }
      h.clock.advance(6 * 3_600_000);
      await h.restart();
      expect((await h.post(submit.body, submit.headers)).status).toBe(200);
      expect((await h.post(click.body, click.headers)).status).toBe(200);
    });
    const steps = h.app.db.$client
      .prepare("select status from review_steps where item_id = 1 order by position")
      .all() as { status: string }[];
    expect(steps.map((s) => s.status).slice(0, 2)).toEqual(["approved", "pending"]);
  });
});

describe("Feishu with only a Verification Token", () => {
  beforeEach(async () => {
    h = await startHarness({ encryptKey: undefined });
    await seedRoles(h);
  });

  it("refuses a wrong, missing or misplaced token, and bodies cut short, changing nothing", async () => {
    const good = buildFeishuCallback({ payload: submitPayload() });
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      const send = async (name: string, body: string) => {
        statuses[name] = (await h.post(body, good.headers)).status;
      };
      await send("wrong token", buildFeishuCallback({ payload: submitPayload("guess") }).body);
      await send(
        "token differs in case",
        buildFeishuCallback({ payload: submitPayload(VERIFICATION_TOKEN.toUpperCase()) }).body,
      );
      await send(
        "token with a trailing space",
        buildFeishuCallback({ payload: submitPayload(`${VERIFICATION_TOKEN} `) }).body,
      );
      await send("token as a number", good.body.replace(`"${VERIFICATION_TOKEN}"`, "0"));
      // An encrypted-looking body when no Encrypt Key is configured carries no token at all.
      await send("encrypt envelope", JSON.stringify({ encrypt: encryptFeishu(good.body, "any-key") }));
      for (const cut of [1, 20, Math.floor(good.body.length / 2), good.body.length - 1]) {
        await send(`cut at ${cut}`, good.body.slice(0, cut));
      }
    });
    expect(statuses).toMatchObject({
      "wrong token": 401,
      "token differs in case": 401,
      "token with a trailing space": 401,
      "token as a number": 401,
      "encrypt envelope": 401,
    });
    for (const [name, s] of Object.entries(statuses))
      expect([name, [400, 401].includes(s)]).toEqual([name, true]);
    expect((await h.post(good.body, good.headers)).status).toBe(200);
  });
});
