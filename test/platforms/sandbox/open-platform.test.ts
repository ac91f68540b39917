/** Self-tests of the fake platform's own rules and of the callback builders (raw HTTP, no SDK). */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.ts";
import { decryptFeishu, verifyFeishuSignature } from "../../../src/platforms/feishu/crypto.ts";
import {
  buildFeishuCallback,
  type CallbackRequest,
  cardActionEvent,
  cardProblem,
  challenge,
  type FakeFeishu,
  Faults,
  messageEvent,
  startFakeFeishu,
} from "../../../src/platforms/sandbox/open-platform/index.ts";

const APP = { appId: "cli_x", appSecret: "s" };
const card = (elements: unknown[]) => ({ schema: "2.0", body: { elements } });
let fake: FakeFeishu | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  if (!fake) throw new Error("no fake");
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(fake.url + path, {
    method: init.method ?? "POST",
    headers,
    body: JSON.stringify(init.body ?? {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { code: number } };
}

async function token(): Promise<string> {
  const r = await call("/open-apis/auth/v3/tenant_access_token/internal", {
    body: { app_id: APP.appId, app_secret: APP.appSecret },
  });
  return r.body.tenant_access_token as string;
}

describe("fake Feishu rules", () => {
  it("reuses a token with > 30 min left and refuses expired ones", async () => {
    const clock = new ManualClock(0);
    fake = await startFakeFeishu({ ...APP, clock });
    const t1 = await token();
    clock.advance(60 * 60_000);
    expect(await token()).toBe(t1);
    clock.advance(45 * 60_000); // 15 min left → a new token, the old one still valid
    const t2 = await token();
    expect(t2).not.toBe(t1);
    const send = { receive_id: "ou_a", msg_type: "text", content: JSON.stringify({ text: "x" }) };
    const path = "/open-apis/im/v1/messages?receive_id_type=open_id";
    expect((await call(path, { token: t1, body: send })).body.code).toBe(0);
    clock.advance(16 * 60_000);
    expect((await call(path, { token: t1, body: send })).body.code).toBe(99991663);
    expect((await call(path, { body: send })).body.code).toBe(99991661);
  });

  it("forgets a uuid after one hour and limits PATCH to 5/s per message", async () => {
    const clock = new ManualClock(0);
    fake = await startFakeFeishu({ ...APP, clock });
    const t = await token();
    const path = "/open-apis/im/v1/messages?receive_id_type=chat_id";
    const body = {
      receive_id: "oc_1",
      msg_type: "interactive",
      content: JSON.stringify(card([])),
      uuid: "u",
    };
    const first = await call(path, { token: t, body });
    const id = (first.body.data as { message_id: string }).message_id;
    clock.advance(60 * 60_000);
    const again = await call(path, { token: t, body });
    expect((again.body.data as { message_id: string }).message_id).not.toBe(id);
    expect(fake.state.deliveriesByUuid().get("u")).toBe(2);
    const patch = { method: "PATCH", token: t, body: { content: JSON.stringify(card([])) } };
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await call(`/open-apis/im/v1/messages/${id}`, patch)).body.code);
    expect(codes).toEqual([0, 0, 0, 0, 0, 230020]);
  });

  it("checks content size and shape", async () => {
    fake = await startFakeFeishu(APP);
    const t = await token();
    const path = "/open-apis/im/v1/messages?receive_id_type=open_id";
    const send = (msg_type: string, content: unknown) =>
      call(path, { token: t, body: { receive_id: "ou_a", msg_type, content } });
    expect((await send("text", { text: "not a string" })).body.code).toBe(99992402);
    expect((await send("text", JSON.stringify({ txt: "x" }))).body.code).toBe(230001);
    expect((await send("text", JSON.stringify({ text: "x".repeat(151 * 1024) }))).body.code).toBe(230025);
    const big = card([{ tag: "markdown", content: "x".repeat(31 * 1024) }]);
    expect((await send("interactive", JSON.stringify(big))).body.code).toBe(230025);
    expect((await send("image", JSON.stringify({ image_key: "img_unknown" }))).body.code).toBe(230001);
  });
});

describe("card JSON 2.0 rules", () => {
  const form = (elements: unknown[]) => ({ tag: "form", name: "f", elements });
  it.each([
    ["1.0 card", { elements: [] }, /schema/],
    ["action module", card([{ tag: "action", actions: [] }]), /action/],
    [
      "nested form",
      card([{ tag: "column_set", columns: [{ tag: "column", elements: [form([])] }] }]),
      /root/,
    ],
    ["unnamed input", card([form([{ tag: "input" }])]), /name/],
    [
      "duplicate names",
      card([
        form([
          { tag: "input", name: "a" },
          { tag: "input", name: "a" },
        ]),
      ]),
      /duplicate/,
    ],
    ["long input", card([{ tag: "input", name: "i", max_length: 2000 }]), /max_length/],
    ["201 elements", card(Array.from({ length: 201 }, () => ({ tag: "markdown", content: "" }))), /200/],
  ])("rejects %s", (_name, c, why) => {
    expect(cardProblem(c)).toMatch(why);
  });

  it("accepts a form with named fields and a submit button", () => {
    const submit = { tag: "button", name: "ok", form_action_type: "submit", behaviors: [] };
    expect(cardProblem(card([form([{ tag: "input", name: "reason" }, submit])]))).toBeUndefined();
  });
});

describe("faults", () => {
  it("are reproducible for a seed and queued one-offs come first", () => {
    const a = new Faults({ rate: 0.5, kinds: ["500", "drop"], seed: 7 });
    const b = new Faults({ rate: 0.5, kinds: ["500", "drop"], seed: 7 });
    const run = (f: Faults) => Array.from({ length: 20 }, () => f.pick() ?? "-");
    expect(run(a)).toEqual(run(b));
    a.failNext("timeout");
    expect(a.pick()).toBe("timeout");
  });
});

describe("callbacks", () => {
  const parse = (req: CallbackRequest, key: string): unknown =>
    JSON.parse(decryptFeishu((JSON.parse(req.body) as { encrypt: string }).encrypt, key));

  it("encrypts and signs events over the raw body", () => {
    const payload = messageEvent({
      chatId: "oc_ops",
      chatType: "group",
      senderOpenId: "ou_wang",
      text: "@_user_1 /role add legal @_user_2",
      mentions: [
        { key: "@_user_1", openId: "ou_bot", name: "bot" },
        { key: "@_user_2", openId: "ou_chen", name: "陈律师" },
      ],
      token: "vtoken",
    });
    const req = buildFeishuCallback({ encryptKey: "ek", payload, timestamp: 1_700_000_000, nonce: "n" });
    const headers = {
      timestamp: req.headers["x-lark-request-timestamp"],
      nonce: req.headers["x-lark-request-nonce"],
      signature: req.headers["x-lark-signature"],
    };
    expect(verifyFeishuSignature(headers, "ek", Buffer.from(req.body))).toBe(true);
    const event = parse(req, "ek") as typeof payload;
    expect(event).toEqual(payload);
    expect(event).toMatchObject({
      header: { event_type: "im.message.receive_v1", token: "vtoken" },
      event: {
        message: { chat_type: "group", mentions: [{ key: "@_user_1", id: { open_id: "ou_bot" } }, {}] },
      },
    });
  });

  it("builds card callbacks and plain challenges", () => {
    const payload = cardActionEvent({
      operatorOpenId: "ou_li",
      value: { act: "approve", id: 7 },
      formValue: { reason: "ok" },
      name: "submit",
      openMessageId: "om_1",
      openChatId: "oc_1",
      token: "v1",
      updateToken: "c-abc",
    });
    const req = buildFeishuCallback({ payload, verificationToken: "v2" });
    expect(JSON.parse(req.body)).toMatchObject({
      header: { event_type: "card.action.trigger", token: "v2" },
      event: {
        operator: { open_id: "ou_li" },
        token: "c-abc",
        action: { value: { act: "approve", id: 7 }, form_value: { reason: "ok" }, name: "submit" },
        context: { open_message_id: "om_1", open_chat_id: "oc_1" },
      },
    });
    const ch = buildFeishuCallback({ encryptKey: "ek", payload: challenge("v", "abc") });
    expect(ch.headers["x-lark-signature"]).toBeUndefined();
    expect(parse(ch, "ek")).toEqual({ challenge: "abc", token: "v", type: "url_verification" });
  });
});

describe("where the fake Open Platform may be used", () => {
  it("is imported in src/ only by the sandbox", () => {
    const src = new URL("../../../src/", import.meta.url).pathname;
    const users = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts") && !f.startsWith(join("platforms", "sandbox")))
      .filter((f) => /from "[^"]*open-platform\//.test(readFileSync(join(src, f), "utf8")))
      .map((f) => relative(src, join(src, f)));
    expect(users).toEqual([]);
  });
});
