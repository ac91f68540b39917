import { and, eq } from "drizzle-orm";
import type { Logger } from "pino";
import type {
  Contact as ContactInterface,
  Message as MessageInterface,
  Wechaty as WechatyInterface,
} from "wechaty";
import type { WechatyConfig } from "../../config.ts";
import { parseCommandText } from "../../core/commands/parse.ts";
import type { Dispatcher } from "../../core/dispatch.ts";
import type { InboundMessage, Mention } from "../../core/types.ts";
import type { ChannelState } from "../../http/channels.ts";
import type { Db } from "../../store/db.ts";
import { groupBindings } from "../../store/schema/index.ts";
import type { WechatSender } from "./deliver.ts";
import type { WechatRenderer } from "./render.ts";

export interface WechatChannelDeps {
  config: WechatyConfig;
  dispatcher: Dispatcher;
  renderer: WechatRenderer;
  db: Db;
  log: Logger;
  /** Tests: a ready puppet instance (wechaty-puppet-mock) instead of the puppet package named in config. */
  puppet?: unknown;
  /** LOG_LEVEL, applied to Wechaty's own logger too. */
  logLevel?: string;
  /** The account's state for /healthz and /metrics (waiting for the QR scan, logged in, logged out). */
  onState?: (state: ChannelState, detail?: string) => void;
}

/** pino level → Wechaty's (brolog) level. */
const WECHATY_LEVEL: Record<string, string> = {
  fatal: "error",
  error: "error",
  warn: "warn",
  info: "warn",
  debug: "verbose",
  trace: "silly",
  silent: "silent",
};

/** Commands an unbound room may use: only binding it (a personal account sits in many groups). */
const UNBOUND_ROOM_COMMANDS = new Set(["bind", "绑定"]);

/**
 * The WeChat store-group channel (optional; on when WECHATY_PUPPET is set). Wechaty is imported only
 * here and only then, so the bot starts without it; if WeChat cannot start or logs out, the rest of the
 * bot keeps working and WeChat messages wait in the outbox.
 *
 * Inbound: messages in bound rooms become commands or (in feedback rooms) feedback; in other rooms only
 * `/bind`; in DMs only slash commands (a personal account's friends chat with it too).
 */
export class WechatChannel implements WechatSender {
  private bot: WechatyInterface | undefined;
  private loggedInAs: string | undefined;

  constructor(private readonly d: WechatChannelDeps) {}

  loggedIn(): boolean {
    return Boolean(this.bot?.isLoggedIn);
  }

  async start(): Promise<void> {
    const { log } = this.d;
    try {
      const { WechatyBuilder, log: wechatyLog } = await import("wechaty");
      wechatyLog.level((WECHATY_LEVEL[this.d.logLevel ?? "info"] ?? "warn") as "warn");
      const puppet = this.d.puppet ?? this.d.config.puppet;
      const puppetOptions = this.d.config.puppetToken ? { token: this.d.config.puppetToken } : undefined;
      const bot = WechatyBuilder.build({
        name: "juben-ops-bot",
        puppet: puppet as never,
        ...(puppetOptions ? { puppetOptions } : {}),
      });
      bot.on("scan", (qrcode, status) => {
        const url = `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`;
        this.d.onState?.("connecting", "等待扫码登录（二维码链接在日志里）");
        log.warn(
          { platform: "wechat", status, qrcode, url },
          `微信登录：请用手机微信扫码（在浏览器打开 ${url}）`,
        );
      });
      bot.on("login", (user) => {
        this.loggedInAs = user.name();
        this.d.onState?.("connected");
        log.info({ platform: "wechat", user: user.name() }, `微信已登录：${user.name()}`);
      });
      bot.on("logout", (user, reason) => {
        this.d.onState?.("reconnecting", "微信已退出登录，需重新扫码");
        log.warn(
          { platform: "wechat", user: user.name(), reason },
          `微信已退出登录（${user.name()}），微信消息暂存在发件箱，重新扫码登录后补发`,
        );
      });
      bot.on("error", (err) => log.error({ platform: "wechat", err }, "微信通道出错（其他通道不受影响）"));
      bot.on("message", (m) =>
        this.onMessage(m).catch((err: unknown) => log.error({ platform: "wechat", err }, "微信消息处理失败")),
      );
      this.bot = bot;
      await bot.start();
      log.info(
        { platform: "wechat", puppet: typeof puppet === "string" ? puppet : "injected" },
        "微信通道已启动",
      );
    } catch (err) {
      log.error({ platform: "wechat", err }, "微信通道无法启动（其他通道照常工作）");
    }
  }

  async stop(): Promise<void> {
    try {
      await this.bot?.stop();
    } catch (err) {
      this.d.log.warn({ platform: "wechat", err }, "stopping wechaty");
    }
  }

  private bound(roomId: string): boolean {
    return Boolean(
      this.d.db
        .select({ id: groupBindings.id })
        .from(groupBindings)
        .where(and(eq(groupBindings.platform, "wechat"), eq(groupBindings.chatId, roomId)))
        .get(),
    );
  }

  private async onMessage(m: MessageInterface): Promise<void> {
    if (m.self() || !this.bot) return;
    if (m.type() !== this.bot.Message.Type.Text) return;
    const room = m.room();
    const talker = m.talker();
    const mentions: Mention[] = [];
    let text = m.text();
    if (room) {
      for (const c of await m.mentionList()) {
        const name = await mentionName(c, room);
        const i = mentions.push({ userId: c.id, name: c.name() }) - 1;
        // WeChat writes a mention as "@名字" and a four-per-em space (U+2005) or a space.
        text = text.split(new RegExp(`@${escapeRe(name)}[\\u2005 ]?`)).join(`@{${i}} `);
      }
    }
    const parsed = parseCommandText(text);
    if (room) {
      if (!this.bound(room.id) && !(parsed && UNBOUND_ROOM_COMMANDS.has(parsed.name))) return;
    } else if (!parsed) return;
    const chatId = room ? room.id : talker.id;
    const msg: InboundMessage = {
      kind: "message",
      platform: "wechat",
      chat: { platform: "wechat", chatId, chatType: room ? "group" : "p2p" },
      sender: { platform: "wechat", userId: talker.id, name: talker.name() },
      text: text.trim(),
      mentions,
      messageId: m.id,
    };
    this.d.renderer.answering(chatId, { userId: talker.id, name: talker.name() }, () =>
      this.d.dispatcher.message(msg, [`wechat:msg:${m.id}`]),
    );
  }

  async sayInRoom(roomId: string, text: string, mentionIds: string[]): Promise<"ok" | "not_found"> {
    const bot = this.bot;
    if (!bot) throw new Error("wechaty not started");
    const room = await bot.Room.find({ id: roomId });
    if (!room) return "not_found";
    const contacts: ContactInterface[] = [];
    for (const id of mentionIds) {
      const c = await bot.Contact.find({ id });
      if (c) contacts.push(c);
    }
    // room.say(text, ...contacts) writes "@名字" for each contact in front of the text and @-s them.
    await room.say(text, ...contacts);
    return "ok";
  }

  async sayToContact(contactId: string, text: string): Promise<"ok" | "not_found"> {
    const bot = this.bot;
    if (!bot) throw new Error("wechaty not started");
    const contact = await bot.Contact.find({ id: contactId });
    if (!contact) return "not_found";
    await contact.say(text);
    return "ok";
  }

  get account(): string | undefined {
    return this.loggedInAs;
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The name WeChat shows for a member in this room (their 群昵称 when set). */
async function mentionName(c: ContactInterface, room: NonNullable<ReturnType<MessageInterface["room"]>>) {
  try {
    return (await room.alias(c)) || c.name();
  } catch {
    return c.name();
  }
}
