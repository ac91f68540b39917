/**
 * The robot's deliverer over the real SDK against the fake server: a card resent after a crash is not
 * shown twice (its task_id is the row's key), the per-chat pace keeps the server from refusing, an update
 * whose 5 s are gone is given up quietly (not dead-lettered), and plain text cannot mention or link.
 */
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboxRow } from "../../../src/outbox/worker.ts";
import { WecomRenderer } from "../../../src/platforms/wecom/render.ts";
import { BotConnection } from "../../../src/platforms/wecom-bot/connection.ts";
import { BotDeliverer } from "../../../src/platforms/wecom-bot/deliver.ts";
import { type BotPayload, BotRenderer, plainMarkdown } from "../../../src/platforms/wecom-bot/render.ts";
import { openDb } from "../../../src/store/db.ts";
import { type FakeBot, startFakeBot } from "../../fakes/wecom-bot/server.ts";
import { BOT_ERR } from "../../fakes/wecom-bot/state.ts";

const log = pino({ level: "silent" });
const db = openDb(":memory:");
let fake: FakeBot;
let conn: BotConnection;

beforeEach(async () => {
  fake = await startFakeBot({ botId: "b1", secret: "s1", sendLimit: { limit: 2, windowMs: 400 } });
  fake.addGroup("wrk_g", ["lijie"]);
  conn = new BotConnection({ botId: "b1", secret: "s1", wsUrl: fake.url }, log, { reconnectMs: 20 });
  conn.start();
  for (let i = 0; i < 200 && conn.state !== "connected"; i++) await new Promise((r) => setTimeout(r, 10));
});
afterEach(async () => {
  conn.stop();
  await fake.close();
});

const row = (
  payload: BotPayload,
  idemKey = "0190aaaa-0000-7000-8000-000000000001",
  target = "chat:aibot:wrk_g",
) => ({ id: 1, op: "send", target, payload, idemKey }) as unknown as OutboxRow;

describe("the robot's deliverer", () => {
  it("a card resent with the same row key is one card", async () => {
    const d = new BotDeliverer(conn, db, log, [{ limit: 2, windowMs: 400 }]);
    const card: BotPayload = {
      to: "aibot",
      chatid: "wrk_g",
      msg: {
        msgtype: "template_card",
        template_card: {
          card_type: "button_interaction",
          main_title: { title: "危机 C-1" },
          button_list: [{ text: "收到", key: '{"a":"crisis.ack","c":1}' }],
        },
      },
    };
    const first = await d.deliver(row(card), card);
    const again = await d.deliver(row(card), card);
    expect(first).toEqual({ ok: true, messageId: "aibot:0190aaaa-0000-7000-8000-000000000001" });
    expect(again).toEqual(first);
    expect(fake.state.cards("wrk_g")).toHaveLength(1);
  });

  it("keeps to the per-chat pace: five texts, none refused", async () => {
    const d = new BotDeliverer(conn, db, log, [{ limit: 2, windowMs: 400 }]);
    const r = new BotRenderer(new WecomRenderer());
    const sent = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => {
        const p = r.send("wrk_g", { type: "text", text: `第${n}条` }, []);
        return d.deliver(row(p, `k${n}`), p);
      }),
    );
    expect(sent.every((s) => s.ok)).toBe(true);
    expect(fake.state.texts("wrk_g")).toHaveLength(5);
    expect(fake.state.frames.filter((f) => f.errcode === BOT_ERR.RATE)).toHaveLength(0);
  });

  it("an update past its 5 s (or for an unknown click) is given up, not retried or dead-lettered", async () => {
    const d = new BotDeliverer(conn, db, log);
    const p: BotPayload = {
      to: "aibot-update",
      reqId: "evt_gone",
      taskId: "t1",
      templateCard: { card_type: "button_interaction" },
    };
    expect(await d.deliver(row(p), p)).toEqual({ ok: true });
    expect(fake.state.updateCalls).toEqual([
      expect.objectContaining({ reqId: "evt_gone", errcode: BOT_ERR.BAD_REQ_ID }),
    ]);
  });

  it("a send while the connection is down is retryable", async () => {
    conn.stop();
    const d = new BotDeliverer(conn, db, log);
    const p = new BotRenderer(new WecomRenderer()).send("wrk_g", { type: "text", text: "x" }, []);
    const r = await d.deliver(row(p), p);
    expect(r).toMatchObject({ ok: false, code: "WECOM_BOT_DOWN" });
  });
});

describe("plain text inside robot markdown", () => {
  it("cannot mention, link or make a heading; #12 mid-line stays", () => {
    expect(plainMarkdown("<@all> [点我](http://x) *粗*")).toBe("＜@all＞ ［点我］(http://x) ＊粗＊");
    expect(plainMarkdown("# 标题\n已提交 #12")).toBe("＃ 标题\n已提交 #12");
  });
});
