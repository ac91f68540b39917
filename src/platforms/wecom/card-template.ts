import { readdirSync, readFileSync } from "node:fs";
import type { CardView } from "../../core/types.ts";
import { cutMark } from "../fit.ts";
import { lookup, renderTemplate } from "../template.ts";

export const WECOM_CARDS_DIR = new URL("../../../cards/wecom/", import.meta.url);

/**
 * WeCom cards from data, filled from a CardView and shaped to what template_card accepts (field sizes,
 * at most 10 options, a greyed card once nothing is left to press); render.ts wraps them in payloads.
 * Cards as data live in cards/wecom/<template>.json:
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

export interface Template {
  card?: unknown;
  text: unknown[];
  markdown?: unknown[];
}

/** Documented field sizes of template_card (longer text is cut by WeCom; we cut it ourselves, visibly). */
const FIELD_CHARS = { title: 36, desc: 44, subTitle: 160, quote: 160, value: 30, button: 10, replace: 10 };

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

/** The card for `view` from its template (`t`), or a line saying what it is when WeCom has none. */
export function fillCard(t: Template | undefined, view: CardView): WecomCard {
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
