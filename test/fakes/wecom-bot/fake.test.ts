/**
 * The fake 智能机器人 server checked against the REAL client (`@wecom/aibot-node-sdk`): what the SDK
 * sends, the fake accepts, and what the fake pushes, the SDK understands. If the SDK's protocol changes,
 * these fail before any bot test silently tests a protocol nobody speaks.
 */
import AiBot, { type WsFrame } from "@wecom/aibot-node-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeBot, startFakeBot } from "./server.ts";
import { BOT_ERR } from "./state.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let fake: FakeBot;
let client: InstanceType<typeof AiBot.WSClient> | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await fake.close();
});

function connect(secret: string, extra: Record<string, unknown> = {}) {
  const c = new AiBot.WSClient({
    botId: "bot_1",
    secret,
    wsUrl: fake.url,
    logger: quiet,
    reconnectInterval: 20,
    maxAuthFailureAttempts: 1,
    ...extra,
  });
  client = c;
  return c;
}

const once = <T = unknown>(c: InstanceType<typeof AiBot.WSClient>, ev: string) =>
  new Promise<T>((resolve) => c.once(ev as "authenticated", ((x: T) => resolve(x)) as () => void));

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error("condition never met");
};

describe("the fake 智能机器人 server, spoken to by the official SDK", () => {
  it("authenticates, pushes a group @-message, accepts a stream reply and an active send", async () => {
    fake = await startFakeBot({ botId: "bot_1", secret: "s3cret", users: ["lijie", "xiaowang"] });
    fake.addGroup("wrk_group", ["lijie", "xiaowang"]);
    const c = connect("s3cret");
    const authed = once(c, "authenticated");
    c.connect();
    await authed;
    expect(fake.state.auths).toEqual([expect.objectContaining({ botId: "bot_1", ok: true })]);

    const got = once<WsFrame>(c, "message.text");
    // Not @-mentioning the robot: WeCom never forwards it.
    expect(fake.say("xiaowang", "大家好", { chatid: "wrk_group" })).toBeUndefined();
    fake.say("xiaowang", "@运营机器人 /help", { chatid: "wrk_group" });
    const frame = await got;
    expect(frame.body).toMatchObject({
      chattype: "group",
      chatid: "wrk_group",
      from: { userid: "xiaowang" },
      text: { content: "@运营机器人 /help" },
    });

    await c.replyStream(frame, "s1", "处理中", false);
    await c.replyStream(frame, "s1", "命令列表……", true);
    expect(fake.state.texts("wrk_group")).toEqual(["命令列表……"]);

    // A template card answers a message once.
    const card = { card_type: "text_notice", main_title: { title: "帮助" } };
    await c.replyTemplateCard(frame, card);
    await expect(c.replyTemplateCard(frame, card)).rejects.toMatchObject({ errcode: BOT_ERR.BAD_REQ_ID });
    await expect(
      c.replyStream({ headers: { req_id: "never_pushed" } }, "s2", "x", true),
    ).rejects.toMatchObject({ errcode: BOT_ERR.BAD_REQ_ID });

    await c.sendMessage("wrk_group", { msgtype: "markdown", markdown: { content: "**早报**" } });
    expect(fake.state.texts("wrk_group")).toEqual(["命令列表……", "**早报**"]);
    await expect(
      c.sendMessage("wrk_nowhere", { msgtype: "markdown", markdown: { content: "x" } }),
    ).rejects.toMatchObject({ errcode: BOT_ERR.UNKNOWN_CHAT });
  });

  it("refuses a wrong secret: the SDK reports the refusal and never authenticates", async () => {
    fake = await startFakeBot({ botId: "bot_1", secret: "s3cret" });
    const c = connect("wrong");
    const errors: Error[] = [];
    c.on("error", (e: Error) => errors.push(e));
    let authed = false;
    c.on("authenticated", () => {
      authed = true;
    });
    c.connect();
    await until(() => errors.some((e) => (e as { code?: string }).code === "WS_AUTH_FAILURE_EXHAUSTED"));
    expect(authed).toBe(false);
    expect(errors[0]?.message).toContain(`code: ${BOT_ERR.AUTH}`);
    expect(fake.state.auths.every((a) => !a.ok)).toBe(true);
    expect(fake.online).toBe(false);
  });

  it("updates a clicked card once, within 5 s, with its own task_id", async () => {
    fake = await startFakeBot({ botId: "bot_1", secret: "s3cret", updateWindowMs: 300 });
    fake.addGroup("wrk_crisis", ["lijie", "zhangzong"]);
    const c = connect("s3cret");
    const authed = once(c, "authenticated");
    c.connect();
    await authed;
    const card = {
      card_type: "button_interaction",
      main_title: { title: "危机 C-1" },
      button_list: [{ text: "收到", key: "ack" }],
      task_id: "task_1",
    };
    await c.sendMessage("wrk_crisis", { msgtype: "template_card", template_card: card });
    await expect(
      c.sendMessage("wrk_crisis", { msgtype: "template_card", template_card: card }),
    ).rejects.toMatchObject({ errcode: BOT_ERR.TASK_DUPLICATE });

    const clicked = once<WsFrame>(c, "event.template_card_event");
    fake.click("zhangzong", "task_1", "收到");
    const ev = await clicked;
    expect(ev.body).toMatchObject({
      from: { userid: "zhangzong" },
      event: { event_key: "ack", task_id: "task_1" },
    });

    await expect(c.updateTemplateCard(ev, { ...card, task_id: "task_other" })).rejects.toMatchObject({
      errcode: BOT_ERR.TASK_MISMATCH,
    });
    const done = { ...card, button_list: [{ text: "已收到", key: "noop" }] };
    await c.updateTemplateCard(ev, done);
    expect(fake.state.card("task_1")?.card).toEqual(done);
    await expect(c.updateTemplateCard(ev, done)).rejects.toMatchObject({ errcode: BOT_ERR.UPDATE_EXPIRED });

    // A second click, answered too late.
    const late = once<WsFrame>(c, "event.template_card_event");
    fake.click("lijie", "task_1", "noop");
    const ev2 = await late;
    await new Promise((r) => setTimeout(r, 350));
    await expect(c.updateTemplateCard(ev2, card)).rejects.toMatchObject({ errcode: BOT_ERR.UPDATE_EXPIRED });
    expect(fake.state.card("task_1")?.card).toEqual(done);
  });

  it("reconnects after a drop and delivers what was pushed meanwhile; closes a silent connection", async () => {
    fake = await startFakeBot({ botId: "bot_1", secret: "s3cret", heartbeatTimeoutMs: 400 });
    const c = connect("s3cret", { heartbeatInterval: 100 });
    let auths = 0;
    c.on("authenticated", () => auths++);
    const texts: string[] = [];
    c.on("message.text", (f: WsFrame) => texts.push(f.body.text.content));
    c.connect();
    await until(() => auths === 1);
    fake.drop({ refuse: true });
    fake.say("lijie", "断线时发的");
    await new Promise((r) => setTimeout(r, 100));
    expect(texts).toEqual([]);
    fake.allow();
    await until(() => auths === 2 && texts.length === 1);
    expect(texts).toEqual(["断线时发的"]);
    // The SDK pings every 100 ms: the server keeps the connection well past its 400 ms silence limit.
    await new Promise((r) => setTimeout(r, 600));
    expect(auths).toBe(2);
    expect(fake.state.count("ping")).toBeGreaterThan(3);
  });

  it("takes a chunked upload and checks its md5; the media id can then be sent", async () => {
    fake = await startFakeBot({ botId: "bot_1", secret: "s3cret" });
    const c = connect("s3cret");
    const authed = once(c, "authenticated");
    c.connect();
    await authed;
    const bytes = Buffer.alloc(600 * 1024, 7); // two chunks
    const up = await c.uploadMedia(bytes, { type: "file", filename: "台账.csv" });
    const stored = fake.state.media.get(up.media_id);
    expect(stored?.filename).toBe("台账.csv");
    expect(stored?.bytes.equals(bytes)).toBe(true);
    await c.sendMediaMessage("lijie", "file", up.media_id);
    expect(fake.state.in("lijie").map((m) => m.msgtype)).toEqual(["file"]);
    await expect(c.sendMediaMessage("lijie", "file", "media_unknown")).rejects.toMatchObject({
      errcode: BOT_ERR.BAD_MEDIA,
    });
  });
});
