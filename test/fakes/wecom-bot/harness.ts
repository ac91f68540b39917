/**
 * The real bot (real SQLite, migrations, the SDK's real long connection) with the WeCom 智能机器人 on,
 * against the fake robot server — and, for mixed tests, the fake Feishu too. `say` / `click` do what a
 * member does in WeCom; the fake pushes the frame, the harness waits until the bot has taken it (its
 * de-dup key is stored) and then delivers the outbox, so assertions read what each chat shows.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { type App, createApp } from "../../../src/app.ts";
import { ManualClock } from "../../../src/clock.ts";
import { loadConfig } from "../../../src/config.ts";
import {
  buildFeishuCallback,
  cardActionEvent,
  type FakeFeishu,
  type FakeMessage,
  messageEvent,
  startFakeFeishu,
} from "../../../src/platforms/sandbox/open-platform/index.ts";
import { ENCRYPT_KEY, PEOPLE, p2p, VERIFICATION_TOKEN, type Who } from "../../support/harness.ts";
import { cardEvent, signedCallback, textMessage } from "../wecom/callbacks.ts";
import { SECRETS, WECOM } from "../wecom/harness.ts";
import { type FakeWecom, startFakeWecom } from "../wecom/server.ts";
import { type FakeBot, startFakeBot } from "./server.ts";
import type { BotMessage } from "./state.ts";

export const BOT = { botId: "aib_ops_bot", secret: "aibot-secret", name: "运营机器人" };

export interface BotHarnessOptions {
  feishu?: boolean;
  /** Also the WeCom self-built app (its DMs), against the fake WeCom API. */
  app?: boolean;
  admins?: string[];
  /** The secret the bot is configured with (default: the right one). */
  secret?: string;
  /** Where the bot's log lines go (default: silent). */
  log?: Logger;
}

export interface BotHarness {
  app: App;
  clock: ManualClock;
  bot: FakeBot;
  feishu: FakeFeishu | undefined;
  wecom: FakeWecom | undefined;
  url: string;
  /** A member writes to the self-built app (encrypted, signed callback). */
  appSay(userId: string, text: string): Promise<void>;
  /** A member presses a button on their app copy of a card. */
  appClick(userId: string, taskId: string, button: string): Promise<void>;
  /** `userid` writes `text` in `chatid` (a group; `@运营机器人 ` is put in front) or in their single chat. */
  say(userid: string, text: string, o?: { chatid?: string; mention?: boolean }): Promise<string | undefined>;
  /** `userid` presses `button` (text or key) on card `taskId`; returns the event's req_id. */
  click(userid: string, taskId: string, button: string): Promise<string>;
  /** Waits until the bot has taken the pushed frame `reqId` (its de-dup key is stored). */
  taken(reqId: string): Promise<void>;
  settle(): Promise<void>;
  texts(chatid: string): string[];
  cards(chatid: string): BotMessage[];
  lastCard(chatid: string): BotMessage;
  feishuSay(who: Who, text: string, o?: { chatId?: string }): Promise<void>;
  feishuClick(
    who: Who,
    messageId: string,
    value: Record<string, unknown>,
    form?: Record<string, unknown>,
  ): Promise<void>;
  feishuCards(who: Who | string): FakeMessage[];
  feishuTexts(who: Who | string): string[];
  waitFor(ok: () => boolean, what: string): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startBotHarness(opts: BotHarnessOptions = {}): Promise<BotHarness> {
  const clock = new ManualClock(Date.parse("2026-11-16T10:00:00+08:00"));
  const bot = await startFakeBot({ botId: BOT.botId, secret: BOT.secret, name: BOT.name });
  const feishu = opts.feishu
    ? await startFakeFeishu({ appId: "cli_test", appSecret: "secret_test" })
    : undefined;
  const wecom = opts.app
    ? await startFakeWecom({ corpId: WECOM.corpId, secret: WECOM.secret, agentId: WECOM.agentId })
    : undefined;
  const dir = mkdtempSync(join(tmpdir(), "bot-aibot-"));
  const env: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: join(dir, "bot.db"),
    BOT_ADMINS: (opts.admins ?? ["wecom:admin", ...(feishu ? [`feishu:${PEOPLE.admin.openId}`] : [])]).join(
      ",",
    ),
    WECOM_BOT_ID: BOT.botId,
    WECOM_BOT_SECRET: opts.secret ?? BOT.secret,
    WECOM_BOT_WS_URL: bot.url,
    LOG_LEVEL: "silent",
  };
  if (wecom) {
    Object.assign(env, {
      WECOM_CORP_ID: WECOM.corpId,
      WECOM_AGENT_ID: String(WECOM.agentId),
      WECOM_SECRET: WECOM.secret,
      WECOM_TOKEN: WECOM.token,
      WECOM_ENCODING_AES_KEY: WECOM.encodingAesKey,
      WECOM_API_BASE: wecom.url,
    });
  }
  if (feishu) {
    Object.assign(env, {
      FEISHU_APP_ID: "cli_test",
      FEISHU_APP_SECRET: "secret_test",
      FEISHU_DOMAIN: feishu.url,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    });
  }
  const config = loadConfig(env);
  let app!: App;
  let url = "";

  const waitFor = async (ok: () => boolean, what: string) => {
    for (let i = 0; i < 300 && !ok(); i++) await sleep(10);
    if (!ok()) throw new Error(`timed out waiting for ${what}`);
  };
  const boot = async () => {
    app = createApp({
      config,
      clock,
      log: opts.log ?? pino({ level: "silent" }),
      background: false,
      wecomBot: { reconnectMs: 30, heartbeatMs: 1000 },
    });
    url = (await app.start()).url;
    if (!opts.secret || opts.secret === BOT.secret) await waitFor(() => bot.online, "the robot to connect");
  };
  await boot();

  const seen = (key: string) =>
    app.db.$client.prepare("select 1 from inbound_seen where key = ?").get(key) !== undefined;
  const feishuSend = (payload: Record<string, unknown>) => {
    // Signed with the bot's clock: the bot refuses a signature more than a day old (or 5 min ahead).
    const timestamp = Math.floor(clock.now() / 1000);
    const req = buildFeishuCallback({ payload, timestamp, encryptKey: ENCRYPT_KEY });
    return fetch(`${url}/webhooks/feishu`, { method: "POST", headers: req.headers, body: req.body });
  };
  const chatOf = (x: string) => (x in PEOPLE ? p2p(PEOPLE[x as Who].openId) : x);
  const feishuInbox = (x: string) =>
    feishu ? [...feishu.state.byId.values()].filter((m) => m.chatId === chatOf(x)) : [];

  const h: BotHarness = {
    get app() {
      return app;
    },
    clock,
    bot,
    feishu,
    wecom,
    async appSay(userId, text) {
      const at = clock.now();
      const xml = textMessage({ corpId: WECOM.corpId, from: userId, text, agentId: WECOM.agentId, at });
      const req = signedCallback(SECRETS, xml, { timestamp: Math.floor(at / 1000) });
      const res = await fetch(`${url}/webhooks/wecom?${req.query}`, { method: "POST", body: req.body });
      if (res.status !== 200) throw new Error(`wecom callback ${res.status}`);
      await h.settle();
    },
    async appClick(userId, taskId, button) {
      if (!wecom) throw new Error("no app");
      const copy = wecom.state.messages.find((m) => m.taskId === taskId && m.touser === userId);
      const buttons = (copy?.card?.button_list as { text: string; key: string }[] | undefined) ?? [];
      const key = buttons.find((b) => b.text === button)?.key ?? button;
      const responseCode = wecom.state.click(taskId, userId);
      const at = clock.now();
      const xml = cardEvent({
        corpId: WECOM.corpId,
        from: userId,
        taskId,
        key,
        responseCode,
        agentId: WECOM.agentId,
        at,
      });
      const req = signedCallback(SECRETS, xml, { timestamp: Math.floor(at / 1000) });
      const res = await fetch(`${url}/webhooks/wecom?${req.query}`, { method: "POST", body: req.body });
      if (res.status !== 200) throw new Error(`wecom callback ${res.status}`);
      await h.settle();
    },
    get url() {
      return url;
    },
    async say(userid, text, o = {}) {
      const shown = o.chatid && o.mention !== false ? `@${BOT.name} ${text}` : text;
      const reqId = bot.say(userid, shown, o.chatid ? { chatid: o.chatid } : {});
      if (reqId) await h.taken(reqId);
      await h.settle();
      return reqId;
    },
    async click(userid, taskId, button) {
      const reqId = bot.click(userid, taskId, button);
      await h.taken(reqId);
      await h.settle();
      return reqId;
    },
    async taken(reqId) {
      const cb = bot.state.callbacks.get(reqId);
      const msgid = String((cb?.frame.body as { msgid?: string } | undefined)?.msgid ?? "");
      const key = cb?.kind === "event" ? `wecom-bot:event:${msgid}` : `wecom-bot:msg:${msgid}`;
      await waitFor(() => seen(key), `the bot to take ${reqId}`);
    },
    async settle() {
      for (let i = 0; i < 30; i++) {
        app.timers.runDue();
        await app.worker.drain();
        if (app.worker.depth() === 0) return;
        clock.advance(2000);
        await sleep(5);
      }
    },
    texts: (chatid) => bot.state.texts(chatid),
    cards: (chatid) => bot.state.cards(chatid),
    lastCard(chatid) {
      const c = bot.state.cards(chatid).at(-1);
      if (!c) throw new Error(`${chatid} has no card`);
      return c;
    },
    async feishuSay(who, text, o = {}) {
      const mentions: { key: string; openId: string; name: string }[] = [];
      const withKeys = text.replace(/@([^\s@]+)/g, (whole, name: string) => {
        const person = Object.values(PEOPLE).find((p) => p.name === name);
        if (!person) return whole;
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, openId: person.openId, name: person.name });
        return key;
      });
      const res = await feishuSend(
        messageEvent({
          token: VERIFICATION_TOKEN,
          chatId: o.chatId ?? p2p(PEOPLE[who].openId),
          chatType: o.chatId ? "group" : "p2p",
          senderOpenId: PEOPLE[who].openId,
          text: withKeys,
          mentions,
        }),
      );
      if (res.status !== 200) throw new Error(`feishu callback ${res.status}`);
      await h.settle();
    },
    async feishuClick(who, messageId, value, form) {
      const msg = feishu?.state.byId.get(messageId);
      const res = await feishuSend(
        cardActionEvent({
          token: VERIFICATION_TOKEN,
          operatorOpenId: PEOPLE[who].openId,
          value,
          ...(form ? { formValue: form } : {}),
          openMessageId: messageId,
          openChatId: msg?.chatId ?? "oc_unknown",
        }),
      );
      const json = (await res.json()) as Record<string, unknown>;
      const answered = json.card as { type?: string; data?: unknown } | undefined;
      if (msg && feishu && answered?.type === "raw") {
        feishu.state.applyCardUpdate(msg, { at: Date.now(), card: answered.data, via: "card_update" });
      }
      await h.settle();
    },
    feishuCards: (x) => feishuInbox(x).filter((m) => m.msgType === "interactive"),
    feishuTexts: (x) =>
      feishuInbox(x)
        .filter((m) => m.msgType === "text")
        .map((m) => (m.content as { text: string }).text),
    waitFor,
    async restart() {
      await app.stop();
      await boot();
    },
    async close() {
      await app.stop();
      await bot.close();
      await feishu?.close();
      await wecom?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Everything a member reads on a template card (title, quote, notes, list, buttons). */
export function cardText(card: Record<string, unknown> | undefined): string {
  if (!card) return "";
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (typeof n === "string") out.push(n);
    else if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      for (const [k, v] of Object.entries(n)) if (k !== "key" && k !== "task_id") walk(v);
    }
  };
  walk(card);
  return out.join("\n");
}

/** Buttons still to press (a greyed card shows only its replace_text). */
export function buttonsOf(card: Record<string, unknown> | undefined): string[] {
  if (!card || card.replace_text) return [];
  return ((card.button_list as { text: string }[] | undefined) ?? []).map((b) => b.text);
}
