import type { CardView, Mention, OutMessage } from "../../core/types.ts";
import type { Recipient, Renderer } from "../../outbox/outbound.ts";

/**
 * WeChat (Wechaty) is a text channel (no cards; docs/platforms.md): cards become their text form — the `text` lines of
 * cards/wecom/*.json, which end with the command to use instead of a button (/approve, /ack C-7) — and
 * mentions are contacts that `room.say(text, ...contacts)` @-s.
 */
export interface WechatPayload {
  /** Room id (`…@chatroom`) or contact id of a DM. */
  to: "room" | "contact";
  id: string;
  text: string;
  /** Contact ids to @ (rooms only). */
  mentions: string[];
  mentionAll: boolean;
}

/** WeChat cuts very long texts; a long answer (/status with the full body) is clipped visibly. */
const MAX_CHARS = 3000;

/** Wechaty room ids contain "@" (`…@chatroom`); contact ids do not. */
export const isRoomId = (id: string) => id.includes("@");

export class WechatRenderer implements Renderer {
  /** The member whose command is being answered right now, so the answer @-s them in the room. */
  private replyTo: { chatId: string; userId: string; name: string } | undefined;

  constructor(private readonly cardText: (view: CardView) => string) {}

  /**
   * Runs `fn` (a synchronous dispatch) with texts into `chatId` @-ing the sender. Dispatching is one
   * synchronous SQLite transaction, so nothing else renders in between.
   */
  answering<T>(chatId: string, sender: { userId: string; name: string }, fn: () => T): T {
    this.replyTo = { chatId, ...sender };
    try {
      return fn();
    } finally {
      this.replyTo = undefined;
    }
  }

  card(view: CardView): string {
    return this.cardText(view);
  }

  send(to: Recipient, msg: OutMessage, mentions: Mention[]): WechatPayload {
    const room = to.type === "chat" && isRoomId(to.id);
    let text: string;
    let mentionAll = false;
    const ats = mentions.map((m) => m.userId);
    switch (msg.type) {
      case "text":
        text = msg.text;
        mentionAll = msg.mentionAll ?? false;
        break;
      case "card":
        text = this.cardText(msg.card);
        mentionAll = msg.card.data.atAll === true;
        break;
      case "file":
        text = `📎 ${msg.fileName}：微信群暂不支持发送文件，请在飞书或企业微信里发送同一命令获取`;
        break;
      case "image":
        text = "🖼️ 图表请在飞书或企业微信里查看";
        break;
    }
    const r = this.replyTo;
    if (room && r && r.chatId === to.id && msg.type === "text" && !ats.includes(r.userId))
      ats.unshift(r.userId);
    if (mentionAll) text = `@所有人 ${text}`;
    if ([...text].length > MAX_CHARS)
      text = `${[...text].slice(0, MAX_CHARS - 12).join("")}…（内容过长，已截断）`;
    return { to: room ? "room" : "contact", id: to.id, text, mentions: room ? ats : [], mentionAll };
  }
}
