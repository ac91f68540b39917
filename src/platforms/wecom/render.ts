import type { CardView, Mention, OutMessage } from "../../core/types.ts";
import type { Recipient, Renderer } from "../../outbox/outbound.ts";
import { cutMark } from "../fit.ts";
import { fillCard, loadWecomTemplates, type WecomCard } from "./card-template.ts";

/**
 * WeCom payloads (what `WecomDeliverer` sends): app messages to one member, posts of a group robot, and
 * card updates. Cards themselves (cards/wecom/*.json → template_card and text forms) are card-template.ts.
 */

export type AppMsg =
  | { msgtype: "text"; parts: string[] }
  | { msgtype: "markdown"; content: string }
  | { msgtype: "template_card"; template_card: Record<string, unknown> }
  | { msgtype: "file" | "image"; fileName: string; base64: string };

export type RobotMsg =
  | { msgtype: "text"; content: string; mentioned_list: string[] }
  | { msgtype: "markdown"; content: string }
  | { msgtype: "file" | "image"; fileName: string; base64: string };

export type WecomPayload =
  | { to: "member"; userId: string; msg: AppMsg }
  | { to: "robot"; robotId: number; msg: RobotMsg }
  | { card: WecomCard; exceptMessageId?: string };

/** WeCom counts bytes: text ≤ 2048 (app and robot), markdown ≤ 2048 (app) / 4096 (robot). */
export const TEXT_MAX_BYTES = 2048;
/** Identical content to the same member within this window is sent once (WeCom's duplicate check). */
export const DUPLICATE_CHECK_SEC = 1800;
/**
 * A legitimate repeat within that window (the second "已通过「初审」" in half an hour, the same 驳回 question
 * for two items) carries its count in zero-width characters at the end, so WeCom sees different content
 * and the member sees the same text. Room for them is kept when long texts are split.
 */
const ZERO_WIDTH = ["\u200b", "\u200c", "\u200d"];
/** Up to 7 base-3 digits: 2,186 repeats, more than WeCom lets one member receive in 30 min (1000/h). */
const REPEAT_MARK_DIGITS = 7;
const REPEAT_MARK_BYTES = REPEAT_MARK_DIGITS * 3;

/** The n-th mark (distinct for every n), or undefined past what the marks can tell apart. */
function repeatMark(n: number): string | undefined {
  let out = "";
  for (let k = n; k > 0; k = Math.floor(k / 3)) out += ZERO_WIDTH[k % 3];
  return out.length <= REPEAT_MARK_DIGITS ? out : undefined;
}
export const ROBOT_MARKDOWN_MAX_BYTES = 4096;
/** A long answer (/status with the full body) goes as at most this many texts. */
const MAX_PARTS = 5;

export const ROBOT_PREFIX = "robot:";

/** Cuts to at most `max` UTF-8 bytes without splitting a character. */
export function clipBytes(s: string, max: number, tail = "…"): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = "";
  let size = Buffer.byteLength(tail);
  for (const ch of s) {
    const b = Buffer.byteLength(ch);
    if (size + b > max) break;
    out += ch;
    size += b;
  }
  return out + tail;
}

/** Splits into parts of at most `max` bytes, preferring line breaks; at most `maxParts`. */
export function splitBytes(s: string, max = TEXT_MAX_BYTES, maxParts = MAX_PARTS, more?: string): string[] {
  const parts: string[] = [];
  let cur = "";
  const push = () => {
    if (cur) parts.push(cur);
    cur = "";
  };
  for (const line of s.split("\n")) {
    const add = cur ? `${cur}\n${line}` : line;
    if (Buffer.byteLength(add) <= max) {
      cur = add;
      continue;
    }
    push();
    let rest = line;
    while (Buffer.byteLength(rest) > max) {
      const head = clipBytes(rest, max, "");
      parts.push(head);
      rest = rest.slice(head.length);
    }
    cur = rest;
  }
  push();
  if (parts.length > maxParts) {
    const kept = parts.slice(0, maxParts);
    const tail = `\n${cutMark(more)}`;
    kept[maxParts - 1] = clipBytes(kept[maxParts - 1] ?? "", max - Buffer.byteLength(tail), "") + tail;
    return kept;
  }
  return parts.length ? parts : [""];
}

/**
 * WeCom app text messages render `<a href="…">` as a clickable link (应用消息 text: "支持换行、以及A标签").
 * The bot never sends one, so an `<a` in a text is user text (a title, a body, feedback) and would let
 * anyone put a disguised link into the bot's messages: it is shown with a full-width bracket instead.
 */
export function defuseLinkTags(s: string): string {
  return s.replace(/<(\/?a\b)/gi, "＜$1");
}

export class WecomRenderer implements Renderer {
  constructor(private readonly templates = loadWecomTemplates()) {}

  /** Renderer.repeat: texts and markdown to a member; cards have unique task ids, robots no check. */
  readonly repeat = {
    windowMs: DUPLICATE_CHECK_SEC * 1000,
    distinct(payload: unknown, earlier: number): unknown {
      const p = payload as WecomPayload;
      if (!("to" in p) || p.to !== "member") return undefined;
      const mark = repeatMark(earlier);
      if (mark === undefined) return undefined; // the writer stops looking for a free variant
      if (p.msg.msgtype === "text")
        return { ...p, msg: { ...p.msg, parts: p.msg.parts.map((t) => t + mark) } };
      if (p.msg.msgtype === "markdown") return { ...p, msg: { ...p.msg, content: p.msg.content + mark } };
      return undefined;
    },
  };

  card(view: CardView): WecomCard {
    return fillCard(this.templates.get(view.template), view);
  }

  send(to: Recipient, msg: OutMessage, mentions: Mention[]): WecomPayload {
    const robot = to.type === "chat" && to.id.startsWith(ROBOT_PREFIX);
    if (robot)
      return {
        to: "robot",
        robotId: Number(to.id.slice(ROBOT_PREFIX.length)),
        msg: this.robot(msg, mentions),
      };
    // A DM: app chats are 1:1, so a "chat" that is not a robot is the member's userid.
    return { to: "member", userId: to.id, msg: this.app(msg) };
  }

  private app(msg: OutMessage): AppMsg {
    switch (msg.type) {
      case "text":
        return {
          msgtype: "text",
          parts: splitBytes(
            defuseLinkTags(msg.text),
            TEXT_MAX_BYTES - REPEAT_MARK_BYTES,
            MAX_PARTS,
            msg.more,
          ),
        };
      case "card": {
        const c = this.card(msg.card);
        if (c.templateCard && c.open) return { msgtype: "template_card", template_card: c.templateCard };
        // A card without buttons (a report, a notice): markdown when it has a markdown form that fits.
        if (c.markdown && Buffer.byteLength(c.markdown) <= TEXT_MAX_BYTES)
          return { msgtype: "markdown", content: c.markdown };
        return {
          msgtype: "text",
          parts: splitBytes(
            defuseLinkTags(c.text),
            TEXT_MAX_BYTES - REPEAT_MARK_BYTES,
            MAX_PARTS,
            msg.card.more,
          ),
        };
      }
      case "file":
        return { msgtype: "file", fileName: msg.fileName, base64: msg.base64 };
      case "image":
        return { msgtype: "image", fileName: msg.fileName ?? "image.png", base64: msg.base64 };
    }
  }

  /** Group robots: text with `mentioned_list` (userids, "@all"), markdown, file, image — no buttons. */
  private robot(msg: OutMessage, mentions: Mention[]): RobotMsg {
    const mentioned = mentions.map((m) => m.userId);
    switch (msg.type) {
      case "text":
        return {
          msgtype: "text",
          content: clipBytes(msg.text, TEXT_MAX_BYTES, cutMark(msg.more)),
          mentioned_list: [...(msg.mentionAll ? ["@all"] : []), ...mentioned],
        };
      case "card": {
        const c = this.card(msg.card);
        if (c.markdown && !c.atAll)
          return {
            msgtype: "markdown",
            content: clipBytes(c.markdown, ROBOT_MARKDOWN_MAX_BYTES, cutMark(msg.card.more)),
          };
        return {
          msgtype: "text",
          content: clipBytes(c.text, TEXT_MAX_BYTES, cutMark(msg.card.more)),
          mentioned_list: c.atAll ? ["@all"] : [],
        };
      }
      case "file":
        return { msgtype: "file", fileName: msg.fileName, base64: msg.base64 };
      case "image":
        return { msgtype: "image", fileName: msg.fileName ?? "image.png", base64: msg.base64 };
    }
  }

  /** Group robot posts cannot carry buttons: the people who act on such a card get it by DM too. */
  buttonlessChat(chatId: string): boolean {
    return chatId.startsWith(ROBOT_PREFIX);
  }
}
