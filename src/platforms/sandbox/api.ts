import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import type Router from "@koa/router";
import type { Context } from "koa";
import type { App } from "../../app.ts";
import type { OffsetClock } from "../../clock.ts";
import { formatDateTime } from "../../core/time.ts";
import { readRawBody } from "../../http/raw-body.ts";
import { fastForward } from "../../scheduler/fast-forward.ts";
import { chatsOf, DEMO_PEOPLE, demoPerson } from "./demo.ts";
import { faviconIco } from "./favicon.ts";
import type { FakeFeishu } from "./open-platform/index.ts";
import { buildFeishuCallback, cardActionEvent, messageEvent } from "./open-platform/index.ts";

/** What a person typed in the sandbox; the fake platform only records what the bot sends. */
interface HumanMessage {
  id: string;
  chatId: string;
  person: string;
  text: string;
  at: number;
}

export interface SandboxContext {
  fake: FakeFeishu;
  clock: OffsetClock;
  encryptKey: string;
  verificationToken: string;
  /** Set once the app has started (routes are built before it exists). */
  app?: App;
  webhookUrl?: string;
}

const PAGE_DIR = new URL("./page/", import.meta.url);
const STATIC: Record<string, string> = {
  "app.js": "text/javascript; charset=utf-8",
  "card.js": "text/javascript; charset=utf-8",
  "dialog.js": "text/javascript; charset=utf-8",
  "hint.js": "text/javascript; charset=utf-8",
  "unread.js": "text/javascript; charset=utf-8",
  "style.css": "text/css; charset=utf-8",
  "cards.css": "text/css; charset=utf-8",
};

/**
 * The /sandbox page and its API. Everything a visitor does goes through the production path: a typed
 * message or a click becomes a signed, encrypted Feishu callback POSTed to /webhooks/feishu over HTTP.
 */
export function sandboxRoutes(sb: SandboxContext) {
  const humans: HumanMessage[] = [];
  const changes = new EventEmitter();
  changes.setMaxListeners(100);
  sb.fake.state.events.on("message", () => changes.emit("change"));
  sb.fake.state.events.on("update", () => changes.emit("change"));

  let forwarding: Promise<unknown> = Promise.resolve();
  const favicon = faviconIco();

  const post = async (payload: Record<string, unknown>) => {
    // Signed on the sandbox's clock: after a fast-forward, real time would look days old to the bot.
    const timestamp = Math.floor(sb.clock.now() / 1000);
    const req = buildFeishuCallback({ payload, encryptKey: sb.encryptKey, timestamp });
    const res = await fetch(sb.webhookUrl ?? "", { method: "POST", headers: req.headers, body: req.body });
    return (await res.json().catch(() => ({}))) as Record<string, unknown>;
  };

  const json = async (ctx: Context): Promise<Record<string, unknown> | undefined> => {
    const raw = await readRawBody(ctx, "sandbox");
    if (!raw) return undefined;
    try {
      return JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      ctx.status = 400;
      ctx.body = { error: "请求格式错误" };
      return undefined;
    }
  };

  const mount = (r: Router) => {
    r.get("/sandbox", (ctx) => {
      ctx.type = "text/html; charset=utf-8";
      ctx.body = readFileSync(new URL("index.html", PAGE_DIR));
    });
    r.get("/sandbox/static/:file", (ctx) => {
      const type = STATIC[ctx.params.file ?? ""];
      if (!type) return;
      ctx.type = type;
      ctx.body = readFileSync(new URL(ctx.params.file ?? "", PAGE_DIR));
    });
    r.get("/sandbox/api/people", (ctx) => {
      ctx.body = DEMO_PEOPLE.map(({ key, label, name, openId }) => ({
        key,
        label,
        name,
        openId,
        chats: chatsOf(key),
      }));
    });
    r.get("/sandbox/api/chats", (ctx) => {
      ctx.body = chatsOf(String(ctx.query.person ?? ""));
    });
    // How many messages each chat holds: the page's unread marks compare these with what was seen.
    r.get("/sandbox/api/counts", (ctx) => {
      const counts: Record<string, number> = {};
      for (const m of sb.fake.state.byId.values()) counts[m.chatId] = (counts[m.chatId] ?? 0) + 1;
      for (const h of humans) counts[h.chatId] = (counts[h.chatId] ?? 0) + 1;
      ctx.body = counts;
    });
    r.get("/favicon.ico", (ctx) => {
      ctx.type = "image/x-icon";
      ctx.set("Cache-Control", "public, max-age=86400");
      ctx.body = favicon;
    });
    r.get("/sandbox/api/messages", (ctx) => {
      const chatId = String(ctx.query.chat ?? "");
      const fromBot = [...sb.fake.state.byId.values()]
        .filter((m) => m.chatId === chatId)
        .map((m) => ({
          id: m.messageId,
          from: "bot",
          fromName: "运营合规机器人",
          at: m.createdAt,
          msgType: m.msgType,
          content: m.msgType === "interactive" ? undefined : m.content,
          card: m.msgType === "interactive" ? m.card : undefined,
          fileName:
            m.msgType === "file"
              ? sb.fake.state.files.get(String((m.content as { file_key?: string }).file_key))?.fileName
              : undefined,
        }));
      const typed = humans
        .filter((h) => h.chatId === chatId)
        .map((h) => ({
          id: h.id,
          from: h.person,
          fromName: demoPerson(h.person)?.name ?? h.person,
          at: h.at,
          msgType: "text",
          content: { text: h.text },
        }));
      ctx.body = [...fromBot, ...typed].sort((a, b) => a.at - b.at);
    });
    r.post("/sandbox/api/say", async (ctx) => {
      const body = await json(ctx);
      if (!body) return;
      const person = demoPerson(String(body.person ?? ""));
      const chatId = String(body.chatId ?? "");
      const text = String(body.text ?? "").trim();
      const chat = person ? chatsOf(person.key).find((c) => c.chatId === chatId) : undefined;
      if (!person || !chat || !text) {
        ctx.status = 400;
        ctx.body = { error: "请选择人员和会话，并输入内容" };
        return;
      }
      // "@李姐" typed by name becomes a real Feishu mention, as the Feishu client does when you pick a name.
      const mentions: { key: string; openId: string; name: string }[] = [];
      const withKeys = text.replace(/@([^\s@]+)/g, (whole, name: string) => {
        const p = DEMO_PEOPLE.find((x) => x.name === name);
        if (!p) return whole;
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, openId: p.openId, name: p.name });
        return key;
      });
      const messageId = `om_sb_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      humans.push({ id: messageId, chatId, person: person.key, text, at: sb.clock.now() });
      changes.emit("change");
      await post(
        messageEvent({
          token: sb.verificationToken,
          chatId,
          chatType: chat.type,
          senderOpenId: person.openId,
          text: withKeys,
          mentions,
          messageId,
          createTime: sb.clock.now(),
        }),
      );
      ctx.body = { ok: true };
    });
    r.post("/sandbox/api/click", async (ctx) => {
      const body = await json(ctx);
      if (!body) return;
      const person = demoPerson(String(body.person ?? ""));
      const msg = sb.fake.state.byId.get(String(body.messageId ?? ""));
      if (!person || !msg) {
        ctx.status = 400;
        ctx.body = { error: "找不到这张卡片" };
        return;
      }
      const answer = await post(
        cardActionEvent({
          token: sb.verificationToken,
          operatorOpenId: person.openId,
          value: (body.value ?? {}) as Record<string, unknown>,
          ...(body.formValue ? { formValue: body.formValue as Record<string, unknown> } : {}),
          ...(typeof body.name === "string" ? { name: body.name } : {}),
          openMessageId: msg.messageId,
          openChatId: msg.chatId,
        }),
      );
      // Feishu replaces the clicked card with the card in the answer; the fake platform does the same here.
      const card = answer.card as { type?: string; data?: unknown } | undefined;
      if (card?.type === "raw")
        sb.fake.state.applyCardUpdate(msg, { at: sb.clock.now(), card: card.data, via: "card_update" });
      ctx.body = { toast: answer.toast ?? null };
    });
    r.post("/sandbox/api/advance", async (ctx) => {
      const body = await json(ctx);
      if (!body) return;
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms <= 0 || ms > 400 * 86_400_000) {
        ctx.status = 400;
        ctx.body = { error: "快进时长无效" };
        return;
      }
      // One fast-forward at a time: a second click waits for the first and then goes on from there.
      const run = forwarding.then(() => {
        const app = sb.app;
        if (!app) return sb.clock.advance(ms);
        return fastForward(sb.clock, app.timers, ms, () => app.worker.settle()).then(() => undefined);
      });
      forwarding = run.catch(() => undefined);
      await run;
      ctx.body = clockInfo(sb);
    });
    r.get("/sandbox/api/clock", (ctx) => {
      ctx.body = clockInfo(sb);
    });
    r.get("/sandbox/api/events", (ctx) => {
      ctx.req.setTimeout(0);
      ctx.type = "text/event-stream";
      ctx.set("Cache-Control", "no-cache");
      ctx.status = 200;
      const res = ctx.res;
      const send = () => res.write("data: change\n\n");
      changes.on("change", send);
      const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
      ctx.req.on("close", () => {
        clearInterval(ping);
        changes.off("change", send);
      });
      ctx.respond = false;
      res.writeHead(200, {
        "Content-Type": "text/event-stream",
        "Cache-Control": "no-cache",
        Connection: "keep-alive",
      });
      res.write(": connected\n\n");
    });
    r.get("/sandbox/api/image/:key", (ctx) => {
      const img = sb.fake.state.images.get(ctx.params.key ?? "");
      if (!img) return;
      ctx.type = "image/png";
      ctx.body = img.bytes;
    });
    r.get("/sandbox/api/file/:key", (ctx) => {
      const file = sb.fake.state.files.get(ctx.params.key ?? "");
      if (!file) return;
      ctx.attachment(file.fileName ?? "file");
      ctx.body = file.bytes;
    });
  };
  return { mount };
}

function clockInfo(sb: SandboxContext) {
  const now = sb.clock.now();
  const timezone = sb.app?.config.timezone ?? "Asia/Shanghai";
  return { now, timezone, text: formatDateTime(now, timezone) };
}
