/**
 * The WeChat channel with wechaty-puppet-mock (docs/platforms.md → 微信): a store group message becomes a
 * command or feedback, the bot's reply @-s the sender, `/approve` from WeChat decides a review step, and
 * the rest of the bot keeps working while WeChat is logged out (its messages wait in the outbox).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import { type App, createApp } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import {
  buildFeishuCallback,
  type FakeFeishu,
  messageEvent,
  startFakeFeishu,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import {
  cardText,
  ENCRYPT_KEY,
  hasDecisionButtons,
  PEOPLE,
  p2p,
  VERIFICATION_TOKEN,
  type Who,
} from "../support/harness.ts";

interface Said {
  to: string;
  text: string;
  mentions: string[];
}

const START = Date.parse("2026-11-16T10:00:00+08:00");
let app: App;
let feishu: FakeFeishu;
let mocker: mock.Mocker;
let puppet: PuppetMock;
let said: Said[];
let dir: string;
let me: ReturnType<mock.Mocker["createContact"]>;

const until = async (cond: () => boolean, what: string, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await app.worker.drain();
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function boot(puppetName?: string) {
  feishu = await startFakeFeishu({ appId: "cli_test", appSecret: "secret_test" });
  dir = mkdtempSync(join(tmpdir(), "bot-wechat-"));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: join(dir, "bot.db"),
    BOT_ADMINS: `feishu:${PEOPLE.admin.openId},wechat:wxid_admin`,
    FEISHU_APP_ID: "cli_test",
    FEISHU_APP_SECRET: "secret_test",
    FEISHU_DOMAIN: feishu.url,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    WECHATY_PUPPET: puppetName ?? "wechaty-puppet-mock",
    LOG_LEVEL: "silent",
  });
  mocker = new mock.Mocker();
  puppet = new PuppetMock({ mocker });
  said = [];
  const send = puppet.messageSendText.bind(puppet);
  // The mock drops mentionIdList: record what the bot asked for.
  puppet.messageSendText = async (to: string, text: string, mentions?: string[]) => {
    said.push({ to, text, mentions: mentions ?? [] });
    return send(to, text);
  };
  app = createApp({
    config,
    clock: new ManualClock(START),
    log: pino({ level: "silent" }),
    background: false,
    wechatLimits: { perRoom: [{ limit: 10, windowMs: 60_000 }], minSpacingMs: 5 },
    ...(puppetName ? {} : { wechatyPuppet: puppet }),
  });
  const { url } = await app.start();
  return url;
}

let url = "";
const feishuSay = async (who: Who, text: string) => {
  const mentions: { key: string; openId: string; name: string }[] = [];
  const withKeys = text.replace(/@([^\s@]+)/g, (whole, name: string) => {
    const person = Object.values(PEOPLE).find((p) => p.name === name);
    if (!person) return whole;
    const key = `@_user_${mentions.length + 1}`;
    mentions.push({ key, openId: person.openId, name: person.name });
    return key;
  });
  const req = buildFeishuCallback({
    payload: messageEvent({
      token: VERIFICATION_TOKEN,
      chatId: p2p(PEOPLE[who].openId),
      chatType: "p2p",
      senderOpenId: PEOPLE[who].openId,
      text: withKeys,
      mentions,
    }),
    encryptKey: ENCRYPT_KEY,
    timestamp: Math.floor(START / 1000),
  });
  const res = await fetch(`${url}/webhooks/feishu`, { method: "POST", headers: req.headers, body: req.body });
  expect(res.status).toBe(200);
  await app.worker.drain();
};
const lastTo = (id: string) => said.filter((s) => s.to === id).at(-1);

afterEach(async () => {
  await app.stop();
  await feishu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("WeChat store groups via Wechaty (puppet-mock)", () => {
  let admin: ReturnType<mock.Mocker["createContact"]>;
  let ajie: ReturnType<mock.Mocker["createContact"]>;
  let lijie: ReturnType<mock.Mocker["createContact"]>;
  let room: ReturnType<mock.Mocker["createRoom"]>;
  beforeEach(async () => {
    url = await boot();
    me = mocker.createContact({ id: "wxid_bot", name: "运营机器人" });
    mocker.login(me);
    await until(() => Boolean(app.wechat?.loggedIn()), "login");
    admin = mocker.createContact({ id: "wxid_admin", name: "店长" });
    ajie = mocker.createContact({ id: "wxid_ajie", name: "阿杰" });
    lijie = mocker.createContact({ id: "wxid_lijie", name: "李姐" });
    room = mocker.createRoom({
      id: "store1@chatroom",
      topic: "城东店反馈群",
      memberIdList: [me.id, admin.id, ajie.id, lijie.id],
    });
  });

  it("binds the group, turns a member's message into a ticket and answers with an @", async () => {
    // An unbound group: the bot stays silent except for /bind.
    ajie.say("/help").to(room);
    admin.say("/bind feedback 城东店").to(room);
    await until(() => Boolean(lastTo(room.id)), "the answer to /bind");
    expect(said.filter((s) => s.to === room.id)).toHaveLength(1);
    expect(lastTo(room.id)).toMatchObject({
      text: "@店长 没有门店「城东店」，请先 /store add 城东店",
      mentions: ["wxid_admin"],
    });

    admin.say("/store add 城东店").to(me);
    await until(() => Boolean(lastTo(admin.id)), "the DM answer");
    expect(lastTo(admin.id)?.text).toBe("已添加门店「城东店」");
    admin.say("/bind feedback 城东店").to(room);
    await until(() => said.filter((s) => s.to === room.id).length === 2, "the bind answer");
    expect(lastTo(room.id)).toMatchObject({
      text: "@店长 已将本群登记为「门店反馈群」（城东店）",
      mentions: ["wxid_admin"],
    });

    ajie.say("今天有客人说密室太黑了，差评，要退款").to(room);
    await until(() => said.filter((s) => s.to === room.id).length === 3, "the ticket answer");
    const ticket = lastTo(room.id);
    expect(ticket?.text).toMatch(/^@阿杰 .*T-1/);
    expect(ticket?.mentions).toEqual(["wxid_ajie"]);

    ajie.say("/help").to(room);
    await until(() => said.filter((s) => s.to === room.id).length === 4, "/help");
    expect(lastTo(room.id)?.text).toContain("/feedback");
    expect(lastTo(room.id)?.mentions).toEqual(["wxid_ajie"]);
    // A friend's chat in a DM is not for the bot.
    ajie.say("在吗").to(me);
    await new Promise((r) => setTimeout(r, 100));
    expect(lastTo(ajie.id)).toBeUndefined();
  });

  it("/approve from WeChat decides the step whose card 李姐 also has on Feishu", async () => {
    await feishuSay("admin", "/role add ops_lead @李姐");
    await feishuSay("admin", "/role add ops @小王");
    // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
    await feishuSay("admin", "/exam record @小王 100");
    await feishuSay("admin", "/link @李姐 wechat:wxid_lijie");
    await feishuSay("admin", "/store add 城东店");
    admin.say("/bind ops").to(room);
    await until(() => Boolean(lastTo(room.id)), "bind");

    await feishuSay("wang", "/submit 抖音 新店开业\n城东店开业啦");
    // 李姐 gets the card on Feishu and its text form on WeChat (with the command to use).
    await until(() => Boolean(lastTo(lijie.id)), "the WeChat copy");
    expect(lastTo(lijie.id)?.text).toContain("初审 · #1 新店开业");
    expect(lastTo(lijie.id)?.text).toContain("/approve #1");

    lijie.say("/approve 1 可以发").to(room);
    await until(() => (lastTo(room.id)?.text ?? "").includes("已通过"), "the approve answer");
    expect(lastTo(room.id)).toMatchObject({
      text: "@李姐 ✅ 已通过 #1 的「初审」，意见：可以发",
      mentions: ["wxid_lijie"],
    });
    const card = [...feishu.state.byId.values()].find(
      (m) => m.chatId === p2p(PEOPLE.li.openId) && m.msgType === "interactive",
    );
    expect(hasDecisionButtons(card?.card)).toBe(false);
    expect(cardText(card?.card)).toContain("李姐 已于");
  });

  it("keeps working while WeChat is logged out; the WeChat answers follow after the next login", async () => {
    await feishuSay("admin", "/store add 城东店");
    admin.say("/bind ops").to(room);
    await until(() => Boolean(lastTo(room.id)), "bind");
    await puppet.logout("测试：掉线");
    await until(() => !app.wechat?.loggedIn(), "logout");
    app.core.services.outbound.toGroups("ops", { type: "text", text: "今日提醒：请更新抖音数据" });
    await app.worker.drain();
    await feishuSay("wang", "/help"); // Feishu is not held up
    expect([...feishu.state.byId.values()].some((m) => m.chatId === p2p(PEOPLE.wang.openId))).toBe(true);
    const waiting = app.db.$client
      .prepare("select status, last_error from outbox where platform = 'wechat' and status = 'pending'")
      .all() as { last_error: string }[];
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.last_error).toContain("WECHAT_OFFLINE");

    mocker.login(me);
    await until(() => Boolean(app.wechat?.loggedIn()), "login again");
    app.db.$client.prepare("update outbox set next_attempt_at = 0 where platform = 'wechat'").run();
    await until(() => (lastTo(room.id)?.text ?? "").includes("今日提醒"), "the delayed post");
  });
});

describe("WeChat channel that cannot start", () => {
  it("logs the failure and the bot runs without it", async () => {
    url = await boot("wechaty-puppet-that-does-not-exist");
    await new Promise((r) => setTimeout(r, 300));
    expect(app.wechat?.loggedIn()).toBe(false);
    await feishuSay("wang", "/help");
    expect([...feishu.state.byId.values()].some((m) => m.chatId === p2p(PEOPLE.wang.openId))).toBe(true);
  });
});
