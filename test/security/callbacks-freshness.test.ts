/**
 * Feishu callbacks that are signed but must not act: too old or too far ahead (a replay after the
 * de-duplication keys were pruned would act again), or with fields of the wrong type (an object where
 * Feishu sends a string or a list). Each is refused — 401 for the time, 400 for the shape — and leaves
 * every table and every chat as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  buildFeishuCallback,
  cardActionEvent,
  messageEvent,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import { buildXml } from "../../src/platforms/wecom/xml.ts";
import { signedCallback } from "../fakes/wecom/callbacks.ts";
import { SECRETS, startWecomHarness, WECOM } from "../fakes/wecom/harness.ts";
import {
  ENCRYPT_KEY,
  type Harness,
  p2p,
  seedRoles,
  startHarness,
  VERIFICATION_TOKEN,
} from "../support/harness.ts";
import { countDelta, feishuSent, tableCounts } from "./support.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await seedRoles(h);
});
afterEach(async () => {
  await h.close();
});

const DAY = 24 * 3_600_000;
const seconds = (ms: number) => Math.floor(ms / 1000);
const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;

const submit = (text = "/submit 抖音 周末新本\n欢迎预约") =>
  messageEvent({
    token: VERIFICATION_TOKEN,
    chatId: p2p("ou_wang"),
    chatType: "p2p",
    senderOpenId: "ou_wang",
    text,
  });

const signed = (payload: Record<string, unknown>, at = h.clock.now()) =>
  buildFeishuCallback({ payload, encryptKey: ENCRYPT_KEY, timestamp: seconds(at) });

async function expectNoEffect(attack: () => Promise<void>): Promise<void> {
  await h.settle();
  const rows = tableCounts(h.app.db.$client);
  const sent = feishuSent(h.fake);
  await attack();
  await h.settle();
  expect(countDelta(rows, tableCounts(h.app.db.$client))).toEqual({});
  expect(feishuSent(h.fake)).toBe(sent);
}

describe("freshness of signed Feishu callbacks", () => {
  it("a genuine event replayed 10 days later (its de-dup key pruned) is refused with 401", async () => {
    const first = signed(submit());
    expect((await h.post(first.body, first.headers)).status).toBe(200);
    await h.settle();
    expect(count("select count(*) n from content_items")).toBe(1);
    h.clock.advance(10 * DAY);
    await h.restart(); // start-up prunes de-dup keys older than 8 days
    await expectNoEffect(async () => {
      expect((await h.post(first.body, first.headers)).status).toBe(401);
    });
    expect(count("select count(*) n from content_items")).toBe(1);
  });

  it("older than 24 h or more than 5 min ahead is refused; inside the window it acts", async () => {
    const now = h.clock.now();
    await expectNoEffect(async () => {
      for (const at of [now - DAY - 60_000, now + 6 * 60_000, 0]) {
        const req = signed(submit(), at);
        expect((await h.post(req.body, req.headers)).status).toBe(401);
      }
    });
    const late = signed(submit("/submit 抖音 晚到的\n重试"), now - 7 * 3_600_000); // Feishu's last retry
    expect((await h.post(late.body, late.headers)).status).toBe(200);
    const skewed = signed(submit("/submit 抖音 快一点的\n时钟"), now + 4 * 60_000);
    expect((await h.post(skewed.body, skewed.headers)).status).toBe(200);
    await h.settle();
    expect(count("select count(*) n from content_items")).toBe(2);
  });
});

describe("fields of the wrong type", () => {
  /** A message event with one field replaced by `value`. */
  const messageWith = (path: string[], value: unknown) => {
    const payload = structuredClone(submit("/submit 抖音 @_user_1 标题\n正文"));
    let node = payload as Record<string, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[path.at(-1) as string] = value;
    return payload;
  };

  it("mentions, message_id, chat_id or open_id as objects: 400, nothing changed", async () => {
    const cases: [string, Record<string, unknown>][] = [
      ["mentions object", messageWith(["event", "message", "mentions"], { key: "@_user_1", id: {} })],
      ["mentions entry", messageWith(["event", "message", "mentions"], [{ key: {}, id: "ou_x" }])],
      ["message_id", messageWith(["event", "message", "message_id"], { id: "om_1" })],
      ["chat_id", messageWith(["event", "message", "chat_id"], { id: "oc_1" })],
      ["open_id", messageWith(["event", "sender", "sender_id", "open_id"], { id: "ou_wang" })],
      ["content", messageWith(["event", "message", "content"], { text: "/help" })],
      ["event_id", messageWith(["header", "event_id"], 12)],
      ["event", messageWith(["event"], "text")],
    ];
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      for (const [name, payload] of cases) {
        const req = signed(payload);
        statuses[name] = (await h.post(req.body, req.headers)).status;
      }
    });
    expect(statuses).toEqual(Object.fromEntries(cases.map(([name]) => [name, 400])));
  });

  it("a card click whose operator or message id is an object: 400, nothing changed", async () => {
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    const card = h.cards("li")[0];
    const click = (operator: unknown, messageId: unknown) => {
      const payload = cardActionEvent({
        token: VERIFICATION_TOKEN,
        operatorOpenId: "ou_li",
        value: { a: "review.decide", step: 1, v: "approve" },
        openMessageId: card?.messageId ?? "",
        openChatId: card?.chatId ?? "",
      });
      const event = payload.event as Record<string, Record<string, unknown>>;
      (event.operator as Record<string, unknown>).open_id = operator;
      (event.context as Record<string, unknown>).open_message_id = messageId;
      return signed(payload);
    };
    await expectNoEffect(async () => {
      for (const req of [click({ id: "ou_li" }, card?.messageId), click("ou_li", ["om_1"])]) {
        expect((await h.post(req.body, req.headers)).status).toBe(400);
      }
    });
    const ok = click("ou_li", card?.messageId);
    expect((await h.post(ok.body, ok.headers)).status).toBe(200);
  });
});

describe("WeCom fields of the wrong type", () => {
  it("a CreateTime, MsgId or userid that WeCom never sends: 400, nothing changed", async () => {
    const w = await startWecomHarness();
    try {
      await w.wecomSay("admin", "/help");
      const at = Math.floor(w.clock.now() / 1000);
      const good = {
        ToUserName: SECRETS.corpId,
        FromUserName: "xiaowang",
        CreateTime: String(at),
        MsgType: "text",
        Content: "/submit 抖音 标题\n正文",
        MsgId: "9000000001",
        AgentID: String(WECOM.agentId),
      };
      const bad: [string, Record<string, string>][] = [
        ["CreateTime", { ...good, CreateTime: "yesterday" }],
        ["MsgId", { ...good, MsgId: "<a>1</a>" }],
        ["FromUserName", { ...good, FromUserName: "<x>xiaowang</x>" }],
        ["AgentID", { ...good, AgentID: "1e3" }],
      ];
      const before = tableCounts(w.app.db.$client);
      for (const [field, fields] of bad) {
        const req = signedCallback(SECRETS, buildXml(fields), { timestamp: at });
        const res = await w.post(req.query, req.body);
        expect([field, res.status]).toEqual([field, 400]);
      }
      await w.settle();
      expect(countDelta(before, tableCounts(w.app.db.$client))).toEqual({});
      const ok = signedCallback(SECRETS, buildXml(good), { timestamp: at });
      expect((await w.post(ok.query, ok.body)).status).toBe(200);
    } finally {
      await w.close();
    }
  });
});
