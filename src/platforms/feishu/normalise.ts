import type { InboundCardAction, InboundMessage, Mention } from "../../core/types.ts";

/** Feishu event shapes we read (im.message.receive_v1 and card.action.trigger, schema 2.0). */
export interface FeishuMessageEvent {
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: {
    message_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: { key?: string; id?: { open_id?: string }; name?: string }[];
  };
}

export interface FeishuCardEvent {
  operator?: { open_id?: string };
  token?: string;
  action?: { value?: unknown; form_value?: unknown; name?: string; tag?: string };
  context?: { open_message_id?: string; open_chat_id?: string };
}

/**
 * im.message.receive_v1 → InboundMessage. Mentions arrive as `@_user_N` placeholders resolved by
 * `message.mentions`; they become `@{i}` so the command layer is platform-free. Returns undefined for
 * messages the bot does not act on (from other apps, or without text).
 */
export function normaliseMessage(e: FeishuMessageEvent): InboundMessage | undefined {
  const m = e.message;
  const openId = e.sender?.sender_id?.open_id;
  if (!m?.message_id || !m.chat_id || !openId || e.sender?.sender_type === "app") return undefined;
  let text = "";
  let imageKey: string | undefined;
  if ((m.message_type === "text" || m.message_type === "image") && m.content) {
    try {
      const parsed = JSON.parse(m.content) as { text?: unknown; image_key?: unknown };
      text = m.message_type === "text" && typeof parsed.text === "string" ? parsed.text : "";
      // `{"image_key":"img_v3_…"}`: kept so an image can be filed (e.g. as crisis evidence).
      if (m.message_type === "image" && typeof parsed.image_key === "string") imageKey = parsed.image_key;
    } catch {
      text = "";
    }
  }
  const mentions: Mention[] = [];
  for (const men of m.mentions ?? []) {
    const id = men.id?.open_id;
    if (!men.key || !id) continue;
    const index = mentions.push({ userId: id, name: men.name ?? id }) - 1;
    text = text.split(men.key).join(`@{${index}}`);
  }
  return {
    kind: "message",
    platform: "feishu",
    chat: { platform: "feishu", chatId: m.chat_id, chatType: m.chat_type === "p2p" ? "p2p" : "group" },
    sender: { platform: "feishu", userId: openId },
    text,
    mentions,
    messageId: m.message_id,
    ...(imageKey ? { imageKey } : {}),
  };
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function normaliseCardAction(e: FeishuCardEvent): InboundCardAction | undefined {
  const openId = e.operator?.open_id;
  const messageId = e.context?.open_message_id;
  if (!openId || !messageId) return undefined;
  return {
    kind: "card_action",
    platform: "feishu",
    sender: { platform: "feishu", userId: openId },
    value: asRecord(e.action?.value),
    formValue: asRecord(e.action?.form_value),
    buttonName: e.action?.name,
    messageId,
    chatId: e.context?.open_chat_id,
  };
}
