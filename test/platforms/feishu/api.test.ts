import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.ts";
import type { DeliveryResult } from "../../../src/outbox/types.ts";
import { classifyFeishuError, FeishuApi } from "../../../src/platforms/feishu/api.ts";
import {
  type FakeFeishu,
  type FakeFeishuOptions,
  startFakeFeishu,
} from "../../../src/platforms/sandbox/open-platform/index.ts";

const APP = { appId: "cli_test", appSecret: "secret" };
const DAY = 24 * 60 * 60_000;
const card = (title: string) => ({
  schema: "2.0",
  config: { update_multi: true },
  header: { title: { tag: "plain_text", content: title } },
  body: { elements: [{ tag: "markdown", content: title }] },
});
const text = (t: string) => JSON.stringify({ text: t });

let clock: ManualClock;
const fakes: FakeFeishu[] = [];

async function setup(opts: Partial<FakeFeishuOptions> = {}, timeoutMs = 2000) {
  const fake = await startFakeFeishu({ ...APP, clock, ...opts });
  fakes.push(fake);
  const api = new FeishuApi({ ...APP, domain: fake.url, timeoutMs });
  return { fake, api };
}

function sendText(api: FeishuApi, receiveId: string, uuid: string, t = "hi"): Promise<DeliveryResult> {
  const receiveIdType = receiveId.startsWith("oc_") ? "chat_id" : "open_id";
  return api.sendMessage({ receiveIdType, receiveId, msgType: "text", content: text(t), uuid });
}

function expectFailure(r: DeliveryResult, retry: boolean, code: string) {
  if (r.ok) throw new Error(`expected failure ${code}, got ok`);
  expect({ retry: r.retry, code: r.code }).toEqual({ retry, code });
  return r;
}

beforeEach(() => {
  clock = new ManualClock(Date.UTC(2030, 0, 7, 9, 0, 0));
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

describe("FeishuApi against the fake platform", () => {
  it("sends a message and returns its message_id", async () => {
    const { fake, api } = await setup();
    const r = await sendText(api, "ou_alice", "u-1", "你好");
    expect(r).toEqual({ ok: true, messageId: expect.stringMatching(/^om_/) });
    const [m] = fake.state.messagesTo("ou_alice");
    expect(m?.content).toEqual({ text: "你好" });
    expect(r.ok && r.messageId).toBe(m?.messageId);
  });

  it("delivers a uuid once: the second send returns the first message_id", async () => {
    const { fake, api } = await setup();
    const a = await sendText(api, "oc_ops", "same-uuid");
    const b = await sendText(api, "oc_ops", "same-uuid");
    expect(a.ok && b.ok && a.messageId === b.messageId).toBe(true);
    expect(fake.state.deliveriesByUuid().get("same-uuid")).toBe(1);
    expect(fake.state.messagesTo("oc_ops")).toHaveLength(1);
  });

  it("the 6th send to one chat within a second is retry 230020", async () => {
    const { fake, api } = await setup();
    const results: DeliveryResult[] = [];
    for (let i = 0; i < 6; i++) results.push(await sendText(api, "oc_ops", `q-${i}`));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    const last = expectFailure(results[5] as DeliveryResult, true, "230020");
    expect(last.afterMs).toBe(1000);
    expect(fake.state.rejected(230020)).toBe(1);
    clock.advance(1000);
    expect((await sendText(api, "oc_ops", "q-6")).ok).toBe(true);
  });

  it("an app-level 429 is retry with afterMs from x-ogw-ratelimit-reset", async () => {
    const { fake, api } = await setup({ limits: { appPerMinute: 2 } });
    expect((await sendText(api, "oc_a", "a")).ok).toBe(true);
    expect((await sendText(api, "oc_b", "b")).ok).toBe(true);
    const r = expectFailure(await sendText(api, "oc_c", "c"), true, "99991400");
    expect(r.afterMs).toBe(60_000);
    expect(fake.state.rejected(99991400)).toBe(1);
  });

  it("refreshes an expired token transparently", async () => {
    const { fake, api } = await setup();
    expect((await sendText(api, "ou_alice", "t-1")).ok).toBe(true);
    fake.state.expireAllTokens();
    expect((await sendText(api, "ou_alice", "t-2")).ok).toBe(true);
    expect(fake.state.tokenRequests).toBe(2);
    expect(fake.state.rejected(99991663)).toBe(1);
    expect(fake.state.messagesTo("ou_alice")).toHaveLength(2);
  });

  it("gives up after one refresh when the token is refused again (retry, not permanent)", async () => {
    const { fake, api } = await setup({ tokenTtlSec: 0 });
    expectFailure(await sendText(api, "ou_alice", "t-1"), true, "99991663");
    expect(fake.state.tokenRequests).toBe(2);
  });

  it("a wrong app secret is permanent", async () => {
    const fake = await startFakeFeishu({ ...APP, clock });
    fakes.push(fake);
    const api = new FeishuApi({ ...APP, appSecret: "nope", domain: fake.url });
    expectFailure(await sendText(api, "ou_alice", "x"), false, "10014");
  });

  it("230002, 230013 and 99991403 are permanent", async () => {
    const { api } = await setup({
      chatsWithoutBot: new Set(["oc_gone"]),
      usersOutOfRange: new Set(["ou_outside"]),
      monthlyQuota: 3,
    });
    expectFailure(await sendText(api, "oc_gone", "1"), false, "230002");
    expectFailure(await sendText(api, "ou_outside", "2"), false, "230013");
    expect((await sendText(api, "ou_alice", "3")).ok).toBe(true);
    expectFailure(await sendText(api, "ou_alice", "4"), false, "99991403");
  });

  it("a server 500 is retry, then the next attempt succeeds", async () => {
    const { fake, api } = await setup();
    fake.faults.failNext("500");
    const r = expectFailure(await sendText(api, "ou_alice", "f-1"), true, "HTTP_500");
    expect(r.where).toBe("network");
    expect((await sendText(api, "ou_alice", "f-1")).ok).toBe(true);
  });

  it("a server that never answers is a network retry after the timeout", async () => {
    const { fake, api } = await setup({}, 200);
    expect((await sendText(api, "ou_alice", "warm")).ok).toBe(true); // token fetched
    fake.faults.failNext("timeout");
    const r = expectFailure(await sendText(api, "ou_alice", "slow"), true, "ETIMEDOUT");
    expect(r.where).toBe("network");
  });

  it("a reset connection is a network retry; a lost answer is safe to retry with the same uuid", async () => {
    const { fake, api } = await setup();
    fake.faults.failNext("drop");
    const r = expectFailure(await sendText(api, "ou_alice", "d-1"), true, "ECONNRESET");
    expect(r.where).toBe("network");
    fake.faults.failNext("drop_after");
    expect((await sendText(api, "ou_alice", "d-2")).ok).toBe(false);
    expect((await sendText(api, "ou_alice", "d-2")).ok).toBe(true);
    expect(fake.state.deliveriesByUuid().get("d-2")).toBe(1);
    expect(fake.state.deliveriesByUuid().has("d-1")).toBe(false);
  });

  it("patches a card within 14 days, not after", async () => {
    const { fake, api } = await setup();
    const sent = await api.sendMessage({
      receiveIdType: "chat_id",
      receiveId: "oc_ops",
      msgType: "interactive",
      content: JSON.stringify(card("待审核")),
      uuid: "card-1",
    });
    if (!sent.ok || !sent.messageId) throw new Error("send failed");
    expect(await api.patchCard(sent.messageId, card("已通过"))).toEqual({
      ok: true,
      messageId: sent.messageId,
    });
    expect(fake.state.lastCardTo("oc_ops")).toEqual(card("已通过"));
    clock.advance(15 * DAY);
    expectFailure(await api.patchCard(sent.messageId, card("太晚")), false, "230031");
    expect(fake.state.lastCardTo("oc_ops")).toEqual(card("已通过"));
  });

  it("an invalid (1.0) card is permanent 230099", async () => {
    const { fake, api } = await setup();
    const legacy = { config: { wide_screen_mode: true }, elements: [{ tag: "action", actions: [] }] };
    const r = await api.sendMessage({
      receiveIdType: "chat_id",
      receiveId: "oc_ops",
      msgType: "interactive",
      content: JSON.stringify(legacy),
      uuid: "legacy",
    });
    expectFailure(r, false, "230099");
    expect(fake.state.messages).toHaveLength(0);
  });

  it("uploads a file and an image, byte for byte, and sends them", async () => {
    const { fake, api } = await setup();
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    const file = await api.uploadFile("审核台账 2030-01.csv", bytes);
    const image = await api.uploadImage(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), bytes]));
    if (!file.ok || !file.key || !image.ok || !image.key) throw new Error("upload failed");
    const storedFile = fake.state.files.get(file.key);
    expect(storedFile?.bytes.equals(bytes)).toBe(true);
    expect(storedFile?.fileName).toBe("审核台账 2030-01.csv");
    expect(storedFile?.fileType).toBe("stream");
    expect(fake.state.images.get(image.key)?.bytes.subarray(4).equals(bytes)).toBe(true);
    const sent = await api.sendMessage({
      receiveIdType: "open_id",
      receiveId: "ou_alice",
      msgType: "file",
      content: JSON.stringify({ file_key: file.key }),
      uuid: "file-1",
    });
    expect(sent.ok).toBe(true);
  });

  it("buzzes a message in-app", async () => {
    const { fake, api } = await setup();
    const sent = await sendText(api, "oc_crisis", "crisis-1", "危机");
    if (!sent.ok || !sent.messageId) throw new Error("send failed");
    expect(await api.urgentApp(sent.messageId, ["ou_a", "ou_b"])).toEqual({
      ok: true,
      messageId: sent.messageId,
    });
    expect(fake.state.urgent).toEqual([
      { messageId: sent.messageId, userIds: ["ou_a", "ou_b"], invalidUserIds: [], at: clock.now() },
    ]);
  });

  it("updates a card by callback token at most twice", async () => {
    const { fake, api } = await setup();
    const sent = await api.sendMessage({
      receiveIdType: "chat_id",
      receiveId: "oc_ops",
      msgType: "interactive",
      content: JSON.stringify(card("v1")),
      uuid: "tok-card",
    });
    if (!sent.ok || !sent.messageId) throw new Error("send failed");
    const token = fake.state.issueCardToken(sent.messageId);
    expect((await api.updateCardByToken(token, card("v2"))).ok).toBe(true);
    expect((await api.updateCardByToken(token, card("v3"))).ok).toBe(true);
    expectFailure(await api.updateCardByToken(token, card("v4")), false, "230001");
    expect(fake.state.lastCardTo("oc_ops")).toEqual(card("v3"));
  });
});

describe("classifyFeishuError", () => {
  const http = (status: number, data: unknown, headers: Record<string, string> = {}) =>
    Object.assign(new Error(`Request failed with status code ${status}`), {
      isAxiosError: true,
      response: { status, data, headers },
    });
  const sys = (code: string, message: string) => Object.assign(new Error(message), { code });
  const cases: [string, unknown, { retry: boolean; code: string; where: string; afterMs?: number }][] = [
    [
      "400 230020",
      http(400, { code: 230020, msg: "freq" }),
      { retry: true, code: "230020", where: "platform", afterMs: 1000 },
    ],
    [
      "429 99991400 + reset",
      http(429, { code: 99991400 }, { "x-ogw-ratelimit-reset": "3" }),
      { retry: true, code: "99991400", where: "platform", afterMs: 3000 },
    ],
    [
      "400 99991400 no header",
      http(400, { code: 99991400 }),
      { retry: true, code: "99991400", where: "platform" },
    ],
    [
      "429 99991403 quota",
      http(429, { code: 99991403 }),
      { retry: false, code: "99991403", where: "platform" },
    ],
    ["503 html", http(503, "<html>busy</html>"), { retry: true, code: "HTTP_503", where: "network" }],
    ["400 99991668", http(400, { code: 99991668 }), { retry: true, code: "99991668", where: "platform" }],
    ["400 230001", http(400, { code: 230001 }), { retry: false, code: "230001", where: "platform" }],
    ["400 231003", http(400, { code: 231003 }), { retry: false, code: "231003", where: "platform" }],
    ["400 99992402", http(400, { code: 99992402 }), { retry: false, code: "99992402", where: "platform" }],
    ["404 no body", http(404, ""), { retry: false, code: "HTTP_404", where: "platform" }],
    [
      "ECONNREFUSED",
      sys("ECONNREFUSED", "connect ECONNREFUSED"),
      { retry: true, code: "ECONNREFUSED", where: "network" },
    ],
    [
      "socket hang up",
      sys("ECONNRESET", "socket hang up"),
      { retry: true, code: "ECONNRESET", where: "network" },
    ],
    [
      "axios timeout",
      sys("ECONNABORTED", "timeout of 10000ms exceeded"),
      { retry: true, code: "ETIMEDOUT", where: "network" },
    ],
    [
      "token HTTP 200 error",
      new Error("failed to get tenant_access_token, code: 10014, msg: app secret invalid"),
      { retry: false, code: "10014", where: "platform" },
    ],
    [
      "our own bug",
      new TypeError("x is not a function"),
      { retry: false, code: "CLIENT_ERROR", where: "network" },
    ],
  ];
  it.each(cases)("%s", (_name, err, expected) => {
    const { message: _m, ok: _ok, ...rest } = classifyFeishuError(err);
    expect(rest).toEqual(expected);
  });
});
