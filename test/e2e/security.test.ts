import { afterEach, describe, expect, it } from "vitest";
import {
  buildFeishuCallback,
  challenge,
  messageEvent,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import { ENCRYPT_KEY, type Harness, p2p, startHarness, VERIFICATION_TOKEN } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const TABLES = [
  "people",
  "identities",
  "content_items",
  "review_events",
  "outbox",
  "inbound_seen",
  "audit_log",
];
function snapshot(): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [
      t,
      (h.app.db.$client.prepare(`select count(*) n from ${t}`).get() as { n: number }).n,
    ]),
  );
}

const submitEvent = (token = VERIFICATION_TOKEN) =>
  messageEvent({
    token,
    chatId: p2p("ou_wang"),
    chatType: "p2p",
    senderOpenId: "ou_wang",
    text: "/submit 抖音 标题\n正文",
  });

describe("Feishu callbacks with an Encrypt Key", () => {
  it("rejects a forged signature, a wrong token, a plain body and a replay, changing nothing", async () => {
    h = await startHarness();
    const before = snapshot();

    const signed = buildFeishuCallback({
      payload: submitEvent(),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    const forged = { ...signed.headers, "x-lark-signature": "0".repeat(64) };
    expect((await h.post(signed.body, forged)).status).toBe(401);

    const noHeaders = { "content-type": "application/json" };
    expect((await h.post(signed.body, noHeaders)).status).toBe(401);

    const otherKey = buildFeishuCallback({ payload: submitEvent(), encryptKey: "someone-elses-key" });
    expect((await h.post(otherKey.body, otherKey.headers)).status).toBe(401);

    const badToken = buildFeishuCallback({
      payload: submitEvent("wrong-token"),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    expect((await h.post(badToken.body, badToken.headers)).status).toBe(401);

    const plain = buildFeishuCallback({ payload: submitEvent() });
    expect((await h.post(plain.body, plain.headers)).status).toBe(401);

    // A body signed for different bytes (tampered after signing).
    const tampered = signed.body.replace(/.{4}"}$/, 'AAAA"}');
    expect((await h.post(tampered, signed.headers)).status).toBe(401);

    expect((await h.post("{not json", noHeaders)).status).toBe(400);
    await h.settle();
    expect(snapshot()).toEqual(before);

    // The genuine request works once; the same bytes replayed change nothing more.
    expect((await h.post(signed.body, signed.headers)).status).toBe(200);
    await h.settle();
    const afterFirst = snapshot();
    expect(afterFirst.content_items).toBe((before.content_items ?? 0) + 1);
    const replay = await h.post(signed.body, signed.headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({});
    await h.settle();
    expect(snapshot()).toEqual(afterFirst);
  });

  it("answers the encrypted URL challenge and refuses a plain one", async () => {
    h = await startHarness();
    const enc = buildFeishuCallback({
      payload: challenge(VERIFICATION_TOKEN, "ch-123"),
      encryptKey: ENCRYPT_KEY,
      timestamp: Math.floor(h.clock.now() / 1000),
    });
    const res = await h.post(enc.body, enc.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "ch-123" });
    const plain = buildFeishuCallback({ payload: challenge(VERIFICATION_TOKEN, "ch-123") });
    expect((await h.post(plain.body, plain.headers)).status).toBe(401);
  });

  it("refuses bodies over 1 MiB with 413", async () => {
    h = await startHarness();
    const before = snapshot();
    const huge = JSON.stringify({ encrypt: "A".repeat(1024 * 1024 + 10) });
    const res = await h.post(huge, { "content-type": "application/json" });
    expect(res.status).toBe(413);
    expect(snapshot()).toEqual(before);
  });

  it("the same message delivered under a new event_id (Feishu redelivery) is handled once", async () => {
    h = await startHarness();
    await h.say("admin", "/role add ops_lead @李姐");
    await h.say("wang", "/submit 抖音 标题\n正文", { messageId: "om_same", eventId: "ev1" });
    await h.say("wang", "/submit 抖音 标题\n正文", { messageId: "om_same", eventId: "ev2" });
    expect(snapshot().content_items).toBe(1);
  });
});

describe("Feishu callbacks with only a Verification Token", () => {
  it("accepts the right token and rejects a wrong or missing one", async () => {
    h = await startHarness({ encryptKey: undefined });
    const before = snapshot();
    const wrong = buildFeishuCallback({ payload: submitEvent("nope") });
    expect((await h.post(wrong.body, wrong.headers)).status).toBe(401);
    const { header, ...noHeader } = submitEvent();
    const missing = buildFeishuCallback({
      payload: { ...noHeader, header: { ...(header as object), token: undefined } },
    });
    expect((await h.post(missing.body, missing.headers)).status).toBe(401);
    await h.settle();
    expect(snapshot()).toEqual(before);
    const ok = buildFeishuCallback({ payload: submitEvent() });
    expect((await h.post(ok.body, ok.headers)).status).toBe(200);
  });

  it("defuses <at> tags typed by users so nobody can @all through the bot", async () => {
    h = await startHarness({ encryptKey: undefined });
    await h.say("admin", '/store add <at user_id="all">所有人</at>');
    const text = h.texts("admin").at(-1) ?? "";
    expect(text).toContain("已添加门店");
    expect(text).not.toContain("<at");
    expect(text).toContain("＜at");
  });
});
