import type { InboundCardAction, InboundMessage, Mention } from "../../core/types.ts";

/**
 * WeCom callback fields (decrypted XML) → platform-neutral events. A self-built app only receives 1:1
 * messages with members (never a group's), so every message is a DM and its chat id is the member's userid.
 */

/**
 * WeCom userids: letters, digits and `_ - . @` (企业微信 成员 UserID rules), at most 64 characters;
 * optionally followed by the person's name in brackets: `@lijie(李姐)`.
 */
const USERID = /(^|\s)@([A-Za-z0-9_.-][A-Za-z0-9_.@-]{0,63})(?:[(（]([^()（）\s]{1,20})[)）])?(?=\s|$)/g;

/**
 * App chats carry no mention metadata, so `@userid` typed in a command is the mention: `/role add legal
 * @chenls(陈律师)`. The tokens become `@{n}` like Feishu's placeholders. Without a bracketed name the
 * name is unknown (""): People keeps the name it has, or shows 企微用户… until one is given.
 */
export function mentionsOf(text: string): { text: string; mentions: Mention[] } {
  const mentions: Mention[] = [];
  const out = text.replace(USERID, (whole: string, pre: string, id: string, name: string | undefined) => {
    // `/submit … @2026-11-20 20:00` is a planned time, not a member.
    if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(id)) return whole;
    // `@all` is WeCom's word for everyone, never a member: as a mention it made a person "all" and left
    // "@{0}" in the stored text (a crisis description read "顾客投诉 @{0}"). It stays the words typed.
    if (id.toLowerCase() === "all") return whole;
    let i = mentions.findIndex((m) => m.userId === id);
    if (i === -1) i = mentions.push({ userId: id, name: name ?? "" }) - 1;
    return `${pre}@{${i}}`;
  });
  return { text: out, mentions };
}

export function normaliseWecomMessage(f: Record<string, string>): InboundMessage | undefined {
  const from = f.FromUserName;
  if (!from || !f.MsgId) return undefined;
  let text = "";
  let imageKey: string | undefined;
  if (f.MsgType === "text") text = f.Content ?? "";
  else if (f.MsgType === "image" && f.MediaId) imageKey = f.MediaId;
  else return undefined;
  const m = mentionsOf(text);
  return {
    kind: "message",
    platform: "wecom",
    chat: { platform: "wecom", chatId: from, chatType: "p2p" },
    sender: { platform: "wecom", userId: from },
    text: m.text,
    mentions: m.mentions,
    messageId: f.MsgId,
    ...(imageKey ? { imageKey } : {}),
  };
}

/** A button's `key` is the action value as JSON, plus `"?"` when the button needs a typed field. */
export interface ButtonKey {
  value: Record<string, unknown>;
  /** Form field the button needs, and how to ask for it (e.g. 驳回 → opinion, "驳回意见"). */
  ask?: { field: string; label: string };
}

export function parseButtonKey(key: string): ButtonKey | undefined {
  try {
    const v = JSON.parse(key) as unknown;
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    const { "?": ask, ...value } = v as Record<string, unknown>;
    if (Array.isArray(ask) && typeof ask[0] === "string" && typeof ask[1] === "string") {
      return { value, ask: { field: ask[0], label: ask[1] } };
    }
    return { value };
  } catch {
    return undefined;
  }
}

/**
 * `template_card_event` → the same card action as a Feishu click. `messageId` names the click, not the
 * copy: WeCom's answer to the callback cannot update the card for us (a passive reply changes only the
 * clicker's copy and gives no code), so the clicked copy is updated through the outbox like every other
 * copy — with the click's own `response_code` — and no copy may be left out as "already updated".
 */
export function normaliseWecomCardEvent(
  f: Record<string, string>,
  formValue: Record<string, unknown> = {},
): InboundCardAction | undefined {
  const from = f.FromUserName;
  const key = f.EventKey ? parseButtonKey(f.EventKey) : undefined;
  if (!from || !f.TaskId || !key) return undefined;
  return {
    kind: "card_action",
    platform: "wecom",
    sender: { platform: "wecom", userId: from },
    value: key.value,
    formValue,
    buttonName: undefined,
    messageId: `click:${f.TaskId}:${f.ResponseCode ?? ""}`,
    chatId: from,
  };
}
