import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { type App, createApp } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { MAX_CARD_BYTES } from "../../src/platforms/sandbox/open-platform/cards-rules.ts";
import {
  buildFeishuCallback,
  cardActionEvent,
  type FakeFeishu,
  type FakeMessage,
  messageEvent,
  startFakeFeishu,
} from "../../src/platforms/sandbox/open-platform/index.ts";

export const ENCRYPT_KEY = "harness-encrypt-key";
export const VERIFICATION_TOKEN = "harness-verification-token";
export const ADMIN = "ou_admin";

/** The demo company used across tests (open_id → name). */
export const PEOPLE = {
  admin: { openId: ADMIN, name: "管理员" },
  wang: { openId: "ou_wang", name: "小王" },
  li: { openId: "ou_li", name: "李姐" },
  lin: { openId: "ou_lin", name: "林哥" },
  zhang: { openId: "ou_zhang", name: "张总" },
  chen: { openId: "ou_chen", name: "陈律师" },
  liu: { openId: "ou_liu", name: "小刘" },
  mei: { openId: "ou_mei", name: "小美" },
  outsider: { openId: "ou_x", name: "路人" },
} as const;
export type Who = keyof typeof PEOPLE;

export const p2p = (openId: string) => `oc_p2p_${openId}`;

export interface Harness {
  app: App;
  fake: FakeFeishu;
  clock: ManualClock;
  url: string;
  dbPath: string;
  /** Sends a text message as `who` (DM unless chatId is given); `@名字` in text becomes a real mention. */
  say(
    who: Who,
    text: string,
    opts?: { chatId?: string; eventId?: string; messageId?: string; settle?: boolean },
  ): Promise<Response>;
  click(
    who: Who,
    messageId: string,
    value: Record<string, unknown>,
    opts?: { formValue?: Record<string, unknown>; eventId?: string; settle?: boolean },
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  post(body: string, headers: Record<string, string>): Promise<Response>;
  /**
   * Hands one Feishu event body (schema 2.0: header + event) to the bot the way this harness delivers
   * events — signed and encrypted over HTTP, or straight to the dispatcher in process — and answers with
   * the HTTP status and JSON Feishu would get back. Does not settle.
   */
  receive(payload: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Fires due timers and delivers the outbox until nothing is left. */
  settle(): Promise<void>;
  /** Messages the bot sent into a chat (a DM with `who`, or a group id). */
  inbox(whoOrChat: Who | string): FakeMessage[];
  texts(whoOrChat: Who | string): string[];
  cards(whoOrChat: Who | string): FakeMessage[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  encryptKey?: string | undefined;
  verificationToken?: string | undefined;
  start?: number;
  dbPath?: string;
  /** The bot's logger (default: silent). Tests that assert "nothing was logged at error level" pass their own. */
  log?: Logger;
  /**
   * Feishu's real send limits (5/s per chat, 50/s per app) in the bot and the fake. Default off: paced,
   * a test waited ~200 ms of wall time for every sixth message into one chat and 20 ms between any two
   * sends, most of the suite's time (docs/testing.md). Pacing is tested where it is the subject:
   * test/outbox, test/platforms/feishu/api.test.ts and the fault run.
   */
  paced?: boolean;
}

/** How a harness hands an event body to the bot (see `Harness.receive`). */
export type Receive = (
  app: App,
  payload: Record<string, unknown>,
  send: (payload: Record<string, unknown>) => Promise<Response>,
) => Promise<{ status: number; json: Record<string, unknown> }>;

/** Limits high enough that nothing ever waits for a window (the bot's and the fake's). */
export const UNPACED = { appPerSecond: 1_000_000, appPerMinute: 60_000_000, perChatPerSecond: 1_000_000 };
export const UNPACED_FAKE = {
  appPerSecond: UNPACED.appPerSecond,
  appPerMinute: UNPACED.appPerMinute,
  perReceiverPerSecond: UNPACED.perChatPerSecond,
  perMessagePatchPerSecond: UNPACED.perChatPerSecond,
};

/** Over HTTP: sign (and encrypt), POST to /webhooks/feishu, read the JSON answer. */
const overHttp: Receive = async (_app, payload, send) => {
  const res = await send(payload);
  const text = await res.text();
  try {
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  } catch {
    return { status: res.status, json: { text } }; // not JSON (e.g. Koa's 404 page)
  }
};

/** A real bot (real SQLite file, real migrations, real HTTP) talking to the fake Feishu. */
export function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  return buildHarness(opts, overHttp);
}

/** The harness around one way of receiving (HTTP here, in process in ./in-process.ts). */
export async function buildHarness(opts: HarnessOptions, receive: Receive): Promise<Harness> {
  const clock = new ManualClock(opts.start ?? Date.parse("2026-11-16T10:00:00+08:00"));
  const paced = opts.paced ?? false;
  const fake = await startFakeFeishu({
    appId: "cli_test",
    appSecret: "secret_test",
    ...(paced ? {} : { limits: UNPACED_FAKE }),
  });
  const dir = mkdtempSync(join(tmpdir(), "bot-test-"));
  const dbPath = opts.dbPath ?? join(dir, "bot.db");
  const encryptKey = "encryptKey" in opts ? opts.encryptKey : ENCRYPT_KEY;
  const verificationToken = "verificationToken" in opts ? opts.verificationToken : VERIFICATION_TOKEN;
  const env: Record<string, string> = {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: dbPath,
    BOT_ADMINS: `feishu:${ADMIN}`,
    FEISHU_APP_ID: "cli_test",
    FEISHU_APP_SECRET: "secret_test",
    FEISHU_DOMAIN: fake.url,
    LOG_LEVEL: "silent",
  };
  if (encryptKey) env.FEISHU_ENCRYPT_KEY = encryptKey;
  if (verificationToken) env.FEISHU_VERIFICATION_TOKEN = verificationToken;
  const config = loadConfig(env);

  let app!: App;
  let url = "";
  const boot = async () => {
    app = createApp({
      config,
      clock,
      log: opts.log ?? pino({ level: "silent" }),
      background: false,
      ...(paced ? {} : { feishuLimits: UNPACED }),
    });
    url = (await app.start()).url;
  };
  await boot();

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${url}/webhooks/feishu`, { method: "POST", headers, body });
  const send = (payload: Record<string, unknown>) => {
    // Signed with the bot's clock: the bot refuses a signature more than a day old (or 5 min ahead).
    const timestamp = Math.floor(clock.now() / 1000);
    const req = buildFeishuCallback({ payload, timestamp, ...(encryptKey ? { encryptKey } : {}) });
    return post(req.body, req.headers);
  };
  const chatOf = (x: string) => (x in PEOPLE ? p2p(PEOPLE[x as Who].openId) : x);
  const inbox = (x: string) => [...fake.state.byId.values()].filter((m) => m.chatId === chatOf(x));

  const h: Harness = {
    app,
    fake,
    clock,
    get url() {
      return url;
    },
    dbPath,
    async say(who, text, o = {}) {
      const mentions: { key: string; openId: string; name: string }[] = [];
      const withKeys = text.replace(/@([^\s@]+)/g, (whole, name: string) => {
        const person = Object.values(PEOPLE).find((p) => p.name === name);
        if (!person) return whole;
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, openId: person.openId, name: person.name });
        return key;
      });
      const chatId = o.chatId ?? p2p(PEOPLE[who].openId);
      const res = await h.receive(
        messageEvent({
          token: VERIFICATION_TOKEN,
          chatId,
          chatType: o.chatId ? "group" : "p2p",
          senderOpenId: PEOPLE[who].openId,
          text: withKeys,
          mentions,
          ...(o.eventId ? { eventId: o.eventId } : {}),
          ...(o.messageId ? { messageId: o.messageId } : {}),
        }),
      );
      if (o.settle !== false) await h.settle();
      return new Response(JSON.stringify(res.json), { status: res.status });
    },
    async click(who, messageId, value, o = {}) {
      const msg = fake.state.byId.get(messageId);
      const { status, json } = await h.receive(
        cardActionEvent({
          token: VERIFICATION_TOKEN,
          operatorOpenId: PEOPLE[who].openId,
          value,
          ...(o.formValue ? { formValue: o.formValue } : {}),
          openMessageId: messageId,
          openChatId: msg?.chatId ?? "oc_unknown",
          ...(o.eventId ? { eventId: o.eventId } : {}),
        }),
      );
      // Feishu replaces the clicked card with the card in the callback answer: do what it does.
      const answered = json.card as { type?: string; data?: unknown } | undefined;
      if (msg && answered?.type === "raw") {
        // Feishu refuses an answer card over 30 KB: the clicked card then stays as it was.
        if (Buffer.byteLength(JSON.stringify(answered.data)) > MAX_CARD_BYTES) fake.state.reject(230025);
        else fake.state.applyCardUpdate(msg, { at: Date.now(), card: answered.data, via: "card_update" });
      }
      if (o.settle !== false) await h.settle();
      return { status, json };
    },
    post,
    receive: (payload) => receive(h.app, payload, send),
    async settle() {
      for (let i = 0; i < 20; i++) {
        h.app.timers.runDue();
        await h.app.worker.drain();
        if (h.app.worker.depth() === 0) return;
        // Only rows waiting for a later retry are left: let the (manual) clock catch up with them.
        clock.advance(2000);
      }
    },
    inbox,
    texts: (x) =>
      inbox(x)
        .filter((m) => m.msgType === "text")
        .map((m) => (m.content as { text: string }).text),
    cards: (x) => inbox(x).filter((m) => m.msgType === "interactive"),
    async restart() {
      await app.stop();
      await boot();
      h.app = app;
    },
    async close() {
      await app.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Sets up the demo company's roles through real commands from the admin. */
export async function seedRoles(h: Harness): Promise<void> {
  await h.say("admin", "/role add ops_lead @李姐 @林哥");
  await h.say("admin", "/role add marketing_head @张总");
  await h.say("admin", "/role add legal @陈律师");
  await h.say("admin", "/role add publisher @小刘");
  await h.say("admin", "/role add ops @小王");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await h.say("admin", "/exam record @小王 100");
}

/** The text of every plain_text/markdown element of a card, joined, for assertions on what people see. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      if (typeof o.content === "string") out.push(o.content);
      for (const [k, v] of Object.entries(o)) if (k !== "content") walk(v);
    }
  };
  walk(card);
  return out.join("\n");
}

/** Whether the card still offers the 通过/驳回 buttons. */
export function hasDecisionButtons(card: unknown): boolean {
  return JSON.stringify(card).includes('"form_action_type":"submit"');
}
