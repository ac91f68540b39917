/**
 * The real bot (real SQLite, migrations, HTTP) with WeCom switched on, against the fake WeCom — and,
 * for the cross-platform tests, the fake Feishu too. Mirrors test/support/harness.ts for WeCom members:
 * `wecomSay` / `wecomClick` send what WeCom would (encrypted, signed), assertions read what the fake
 * delivered to each member.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
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
import type { WecomLimits } from "../../../src/platforms/wecom/deliver.ts";
import {
  ENCRYPT_KEY,
  PEOPLE,
  p2p,
  UNPACED,
  UNPACED_FAKE,
  VERIFICATION_TOKEN,
  type Who,
} from "../../support/harness.ts";
import { cardEvent, signedCallback, textMessage } from "./callbacks.ts";
import { type FakeWecom, startFakeWecom, type Window } from "./server.ts";
import type { AppMessage } from "./state.ts";

export const WECOM = {
  corpId: "ww_fake_corp",
  agentId: 1000002,
  secret: "wecom-app-secret",
  token: "wecomToken",
  encodingAesKey: Buffer.alloc(32, 7).toString("base64").slice(0, 43),
};
export const SECRETS = { token: WECOM.token, encodingAesKey: WECOM.encodingAesKey, corpId: WECOM.corpId };

export interface WecomHarnessOptions {
  /** Also run Feishu (cross-platform tests). */
  feishu?: boolean;
  /** BOT_ADMINS (default `wecom:admin`, plus the Feishu admin when Feishu is on). */
  admins?: string[];
  memberLimits?: Window[];
  robotLimits?: Window[];
  /** The bot's own limits (tests shrink the windows; the fake enforces the same). */
  botLimits?: WecomLimits;
  tokenTtlSec?: number;
}

export interface WecomHarness {
  app: App;
  clock: ManualClock;
  wecom: FakeWecom;
  feishu: FakeFeishu | undefined;
  url: string;
  post(query: string, body: string, method?: "GET" | "POST"): Promise<Response>;
  /** A text message from a member to the app. */
  wecomSay(userId: string, text: string, o?: { msgId?: string; settle?: boolean }): Promise<Response>;
  /**
   * A member presses a button of their copy of a card: WeCom issues a response code and calls back.
   * `button` is the button's text (e.g. "通过") or its key.
   */
  wecomClick(
    userId: string,
    taskId: string,
    button: string,
    o?: { selected?: Record<string, string>; settle?: boolean },
  ): Promise<Response>;
  feishuSay(who: Who, text: string, o?: { chatId?: string }): Promise<void>;
  feishuClick(
    who: Who,
    messageId: string,
    value: Record<string, unknown>,
    formValue?: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  settle(): Promise<void>;
  /** What a member received: texts and markdown, and card copies as they look now. */
  texts(userId: string): string[];
  cards(userId: string): AppMessage[];
  lastCard(userId: string): AppMessage;
  feishuCards(who: Who | string): FakeMessage[];
  feishuTexts(who: Who | string): string[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startWecomHarness(opts: WecomHarnessOptions = {}): Promise<WecomHarness> {
  const clock = new ManualClock(Date.parse("2026-11-16T10:00:00+08:00"));
  const wecom = await startFakeWecom({
    corpId: WECOM.corpId,
    secret: WECOM.secret,
    agentId: WECOM.agentId,
    ...(opts.memberLimits ? { memberLimits: opts.memberLimits } : {}),
    ...(opts.robotLimits ? { robotLimits: opts.robotLimits } : {}),
    ...(opts.tokenTtlSec ? { tokenTtlSec: opts.tokenTtlSec } : {}),
  });
  // Feishu's send pacing off, as in test/support/harness.ts: no test here is about it, and it only waits.
  const feishu = opts.feishu
    ? await startFakeFeishu({ appId: "cli_test", appSecret: "secret_test", limits: UNPACED_FAKE })
    : undefined;
  const dir = mkdtempSync(join(tmpdir(), "bot-wecom-"));
  const env: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: join(dir, "bot.db"),
    BOT_ADMINS: (opts.admins ?? ["wecom:admin", ...(feishu ? [`feishu:${PEOPLE.admin.openId}`] : [])]).join(
      ",",
    ),
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_AGENT_ID: String(WECOM.agentId),
    WECOM_SECRET: WECOM.secret,
    WECOM_TOKEN: WECOM.token,
    WECOM_ENCODING_AES_KEY: WECOM.encodingAesKey,
    WECOM_API_BASE: wecom.url,
    LOG_LEVEL: "silent",
  };
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
  const boot = async () => {
    app = createApp({
      config,
      clock,
      log: pino({ level: "silent" }),
      background: false,
      ...(opts.botLimits ? { wecomLimits: opts.botLimits } : {}),
      ...(feishu ? { feishuLimits: UNPACED } : {}),
    });
    url = (await app.start()).url;
  };
  await boot();

  const post = (query: string, body: string, method: "GET" | "POST" = "POST") =>
    fetch(`${url}/webhooks/wecom?${query}`, method === "GET" ? { method } : { method, body });
  const at = () => clock.now();
  const feishuSend = (payload: Record<string, unknown>) => {
    const req = buildFeishuCallback({ payload, encryptKey: ENCRYPT_KEY, timestamp: Math.floor(at() / 1000) });
    return fetch(`${url}/webhooks/feishu`, { method: "POST", headers: req.headers, body: req.body });
  };
  const chatOf = (x: string) => (x in PEOPLE ? p2p(PEOPLE[x as Who].openId) : x);
  const feishuInbox = (x: string) =>
    feishu ? [...feishu.state.byId.values()].filter((m) => m.chatId === chatOf(x)) : [];

  const h: WecomHarness = {
    get app() {
      return app;
    },
    clock,
    wecom,
    feishu,
    get url() {
      return url;
    },
    post,
    async wecomSay(userId, text, o = {}) {
      const xml = textMessage({
        corpId: WECOM.corpId,
        from: userId,
        text,
        agentId: WECOM.agentId,
        at: at(),
        ...(o.msgId ? { msgId: o.msgId } : {}),
      });
      const req = signedCallback(SECRETS, xml, { timestamp: Math.floor(at() / 1000) });
      const res = await post(req.query, req.body);
      if (o.settle !== false) await h.settle();
      return res;
    },
    async wecomClick(userId, taskId, button, o = {}) {
      const copy = wecom.state.messages.find((m) => m.taskId === taskId && m.touser === userId);
      const buttons = ((copy?.card?.button_list as { text: string; key: string }[] | undefined) ?? []).filter(
        Boolean,
      );
      const key = buttons.find((b) => b.text === button)?.key ?? button;
      const responseCode = wecom.state.click(taskId, userId);
      const xml = cardEvent({
        corpId: WECOM.corpId,
        from: userId,
        taskId,
        key,
        responseCode,
        agentId: WECOM.agentId,
        at: at(),
        ...(o.selected ? { selected: o.selected } : {}),
      });
      const req = signedCallback(SECRETS, xml, { timestamp: Math.floor(at() / 1000) });
      const res = await post(req.query, req.body);
      if (o.settle !== false) await h.settle();
      return res;
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
    async feishuClick(who, messageId, value, formValue) {
      const msg = feishu?.state.byId.get(messageId);
      const res = await feishuSend(
        cardActionEvent({
          token: VERIFICATION_TOKEN,
          operatorOpenId: PEOPLE[who].openId,
          value,
          ...(formValue ? { formValue } : {}),
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
      return json;
    },
    async settle() {
      for (let i = 0; i < 30; i++) {
        app.timers.runDue();
        await app.worker.drain();
        if (app.worker.depth() === 0) return;
        clock.advance(2000);
      }
    },
    texts: (userId) =>
      wecom.state
        .to(userId)
        .filter((m) => m.msgtype === "text" || m.msgtype === "markdown")
        .map((m) => m.content),
    cards: (userId) => wecom.state.to(userId).filter((m) => m.msgtype === "template_card"),
    lastCard(userId) {
      const c = h.cards(userId).at(-1);
      if (!c) throw new Error(`${userId} has no card`);
      return c;
    },
    feishuCards: (x) => feishuInbox(x).filter((m) => m.msgType === "interactive"),
    feishuTexts: (x) =>
      feishuInbox(x)
        .filter((m) => m.msgType === "text")
        .map((m) => (m.content as { text: string }).text),
    async restart() {
      await app.stop();
      await boot();
    },
    async close() {
      await app.stop();
      await wecom.close();
      await feishu?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Everything a member reads on a template card, joined (title, quote, notes, list, buttons). */
export function wecomCardText(card: Record<string, unknown> | undefined): string {
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

/** The texts of the buttons a member can still press (a greyed card shows only its replace_text). */
export function buttonsOf(card: Record<string, unknown> | undefined): string[] {
  if (!card || card.replace_text) return [];
  return ((card.button_list as { text: string }[] | undefined) ?? []).map((b) => b.text);
}
