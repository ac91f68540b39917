import { readdirSync, readFileSync } from "node:fs";
import type { CardView, Mention, OutMessage } from "../../core/types.ts";
import type { Recipient, Renderer } from "../../outbox/outbound.ts";
import { cutMark } from "../fit.ts";
import { renderTemplate } from "../template.ts";

export const WECOM_CARDS_DIR = new URL("../../../cards/wecom/", import.meta.url);

/**
 * WeCom payloads (what `WecomDeliverer` sends). Cards as data live in cards/wecom/<template>.json:
 *   { "card": <template_card, button_interaction>, "text": [lines], "markdown": [lines] (optional) }
 * - `card` goes to members by DM. Buttons carry their action value as `key` (JSON, ≤ 1024 bytes); a
 *   button with `"ask": [field, label]` needs a typed field (cards have no inputs), asked for after the
 *   click. With no button left (decided, closed) the card can only be an update: `replace_text` greys it.
 * - `text` (or `markdown`) lines are the same card for group robots, which cannot show buttons, and for a
 *   DM of a card that has no buttons.
 * Helpers on top of the shared template language, resolved before it runs (so user text is still inserted
 * as data, never as template): `{"$lines": [..]}` joins lines into one string, a line being a string,
 * `{"$if": "x", "t": "…"}` or a `$join`; `{"$join": "list", "$key": "text", "$sep": "\n"}` joins a list
 * (or `"$item": "【{{title}}】{{text}}"`, filled per element);
 * `{"$map": "path", "<value>": "<text>", "$else": "<text>"}` picks a text by a value.
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

/** A rendered card: the template_card (for sends and updates) and its text form (groups, fallbacks). */
export interface WecomCard {
  /** undefined when the template has no card (a notice): DMs get the text. */
  templateCard: Record<string, unknown> | undefined;
  /** True when buttons are left to press. */
  open: boolean;
  text: string;
  markdown: string | undefined;
  atAll: boolean;
}

export type WecomPayload =
  | { to: "member"; userId: string; msg: AppMsg }
  | { to: "robot"; robotId: number; msg: RobotMsg }
  | { card: WecomCard; exceptMessageId?: string };

interface Template {
  card?: unknown;
  text: unknown[];
  markdown?: unknown[];
}

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
/** Documented field sizes of template_card (longer text is cut by WeCom; we cut it ourselves, visibly). */
const FIELD_CHARS = { title: 36, desc: 44, subTitle: 160, quote: 160, value: 30, button: 10, replace: 10 };

export const ROBOT_PREFIX = "robot:";

export function loadWecomTemplates(dir: URL = WECOM_CARDS_DIR): Map<string, Template> {
  const out = new Map<string, Template>();
  for (const f of readdirSync(dir)) {
    if (f.endsWith(".json")) out.set(f.slice(0, -5), JSON.parse(readFileSync(new URL(f, dir), "utf8")));
  }
  return out;
}

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join("")}…` : s);
/** A cut that says where the whole text is, when the card says so and there is room for it. */
const clipMore = (s: string, n: number, more: string | undefined) => {
  const mark = [...cutMark(more)];
  if ([...s].length <= n || !more || mark.length > n / 2) return clip(s, n);
  return [...s].slice(0, n - mark.length).join("") + mark.join("");
};

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

function lookup(data: Record<string, unknown>, path: string): unknown {
  let cur: unknown = data;
  for (const p of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Resolves `$join` / `$map` into `{{__wN}}` placeholders plus the values they stand for. */
function helpers(node: unknown, data: Record<string, unknown>, extra: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((n) => helpers(n, data, extra));
  if (!node || typeof node !== "object") return node;
  const o = node as Record<string, unknown>;
  const slot = (value: string) => {
    const name = `__w${Object.keys(extra).length}`;
    extra[name] = value;
    return `{{${name}}}`;
  };
  if (typeof o.$join === "string") {
    const list = lookup(data, o.$join);
    const key = typeof o.$key === "string" ? o.$key : undefined;
    // `$item`: a text per element, filled from the element (its values inserted as data).
    const item = typeof o.$item === "string" ? o.$item : undefined;
    const one = (x: unknown): string => {
      if (item) return String(renderTemplate(item, (x ?? {}) as Record<string, unknown>));
      return String(key ? (lookup(x as Record<string, unknown>, key) ?? "") : x);
    };
    const items = Array.isArray(list) ? list.map(one) : [];
    return slot(items.join(typeof o.$sep === "string" ? o.$sep : "\n"));
  }
  if (typeof o.$map === "string") {
    const v = String(lookup(data, o.$map) ?? "");
    const picked = Object.hasOwn(o, v) && !v.startsWith("$") ? o[v] : o.$else;
    return typeof picked === "string" ? picked : "";
  }
  if (Array.isArray(o.$lines)) {
    // One string template from lines: `{"$if": "x", "t": "…"}` kept when x is truthy, `$join` slotted.
    const kept: string[] = [];
    for (const line of o.$lines as unknown[]) {
      if (typeof line === "string") kept.push(line);
      else if (line && typeof line === "object") {
        const l = line as Record<string, unknown>;
        if (typeof l.$if === "string") {
          const v = lookup(data, l.$if);
          if (Array.isArray(v) ? v.length > 0 : Boolean(v)) kept.push(String(l.t ?? ""));
        } else {
          const h = helpers(l, data, extra);
          if (typeof h === "string" && (h.startsWith("{{") ? extra[h.slice(2, -2)] !== "" : h !== ""))
            kept.push(h);
        }
      }
    }
    return kept.join("\n");
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, helpers(v, data, extra)]));
}

function fill(template: unknown, data: Record<string, unknown>): unknown {
  const extra: Record<string, unknown> = {};
  const resolved = helpers(template, data, extra);
  return renderTemplate(resolved, { ...data, ...extra });
}

/** WeCom markdown would turn user text into links, headings or colours: neutralise its syntax. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[<>[\]*`#]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/**
 * WeCom app text messages render `<a href="…">` as a clickable link (应用消息 text: "支持换行、以及A标签").
 * The bot never sends one, so an `<a` in a text is user text (a title, a body, feedback) and would let
 * anyone put a disguised link into the bot's messages: it is shown with a full-width bracket instead.
 */
export function defuseLinkTags(s: string): string {
  return s.replace(/<(\/?a\b)/gi, "＜$1");
}

function deepMap(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) return v.map((x) => deepMap(x, f));
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepMap(x, f)]));
  return v;
}

/** A button value (object) → WeCom `key`: JSON, with `"?": [field, label]` when the button asks. */
export function buttonKey(value: unknown, ask: unknown): string {
  const v: Record<string, unknown> =
    value && typeof value === "object" ? { ...(value as Record<string, unknown>) } : { a: String(value) };
  if (Array.isArray(ask)) v["?"] = ask;
  return JSON.stringify(v);
}

function shapeCard(
  raw: Record<string, unknown>,
  more?: string,
): { card: Record<string, unknown>; open: boolean } {
  const card = { ...raw };
  const title = card.main_title as Record<string, string> | undefined;
  if (title) {
    card.main_title = {
      ...title,
      ...(title.title !== undefined ? { title: clip(title.title, FIELD_CHARS.title) } : {}),
      ...(title.desc !== undefined ? { desc: clip(title.desc, FIELD_CHARS.desc) } : {}),
    };
  }
  if (typeof card.sub_title_text === "string")
    card.sub_title_text = clipMore(card.sub_title_text, FIELD_CHARS.subTitle, more);
  const quote = card.quote_area as Record<string, unknown> | undefined;
  if (quote && typeof quote.quote_text === "string") {
    card.quote_area = { ...quote, quote_text: clipMore(quote.quote_text, FIELD_CHARS.quote, more) };
  }
  if (Array.isArray(card.horizontal_content_list)) {
    card.horizontal_content_list = (card.horizontal_content_list as Record<string, string>[])
      .filter((h) => h.value)
      .map((h) => ({ ...h, value: clip(h.value ?? "", FIELD_CHARS.value) }));
  }
  const sel = card.button_selection as Record<string, unknown> | undefined;
  if (sel && Array.isArray(sel.option_list)) {
    // A dropdown takes at most 10 options; with none it cannot be shown at all.
    const options = (sel.option_list as Record<string, string>[]).slice(0, 10);
    if (options.length === 0) delete card.button_selection;
    else
      card.button_selection = {
        ...sel,
        option_list: options.map((x) => ({ ...x, text: clip(x.text ?? "", 16) })),
      };
  }
  const buttons = Array.isArray(card.button_list) ? (card.button_list as Record<string, unknown>[]) : [];
  card.button_list = buttons.map(({ ask, key, text, ...b }) => ({
    ...b,
    text: clip(String(text ?? ""), FIELD_CHARS.button),
    key: buttonKey(key, ask),
  }));
  const open = buttons.length > 0;
  if (open) delete card.replace_text;
  else {
    // Nothing left to press: the update greys the card with a short result in place of the buttons.
    card.replace_text = clip(String(card.replace_text || "已处理"), FIELD_CHARS.replace);
    card.button_list = [{ text: card.replace_text, style: 4, key: JSON.stringify({ a: "noop" }) }];
    delete card.button_selection;
  }
  return { card, open };
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
    const t = this.templates.get(view.template);
    if (!t) {
      // A card made for another platform only: say what it is rather than nothing.
      const d = view.data;
      const text = String(d.summary ?? d.title ?? d.headerTitle ?? view.template);
      return { templateCard: undefined, open: false, text, markdown: undefined, atAll: false };
    }
    const text = String(fill({ $lines: t.text }, view.data));
    const markdown = t.markdown
      ? String(fill({ $lines: t.markdown }, deepMap(view.data, escapeMarkdown) as Record<string, unknown>))
      : undefined;
    const atAll = view.data.atAll === true;
    if (!t.card) return { templateCard: undefined, open: false, text, markdown, atAll };
    const { card, open } = shapeCard(fill(t.card, view.data) as Record<string, unknown>, view.more);
    return { templateCard: card, open, text, markdown, atAll };
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
