/**
 * Keeps what a person typed from making a message undeliverable. A platform refuses a message over its
 * size limit for good (Feishu 230025: card 30 KB, text 150 KB), so a 12,000-character complaint would
 * never reach customer service. Instead the longest texts in a card's data are cut, visibly ("…" and
 * where to read the whole text), until the rendered card fits; the rest of the card (buttons, deadline,
 * who reported it) stays as it is.
 */
import type { CardView } from "../core/types.ts";

/** Shown after a cut text when the view does not say where the whole text is. */
export const DEFAULT_MORE = "内容过长，已截断";

/** Strings shorter than this are never cut: names, numbers, button values, dates. */
const KEEP_CHARS = 40;
/** Each cut removes a little more than the excess, so a few renders are enough. */
const SLACK_BYTES = 64;

export const utf8Bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** The pointer after a cut: "…（发送 /status 12 查看全文）". */
export function cutMark(more: string | undefined): string {
  return `…（${more ?? DEFAULT_MORE}）`;
}

/** The first `chars` characters of `s` (never splitting a surrogate pair) and the cut mark. */
export function cutTo(s: string, chars: number, more: string | undefined): string {
  const kept = Array.from(s).slice(0, Math.max(0, chars)).join("");
  return kept + cutMark(more);
}

/** Cuts a text so that `measure(text)` ≤ `max` bytes, keeping as much of its start as fits. */
export function fitText(
  text: string,
  max: number,
  measure: (t: string) => number,
  more: string | undefined,
): string {
  let size = measure(text);
  if (size <= max) return text;
  const chars = Array.from(text);
  let keep = chars.length;
  let out = text;
  for (let i = 0; i < 64 && size > max && keep > 0; i++) {
    // Bytes per character of what is kept (Chinese is 3 in UTF-8, more once JSON-escaped).
    const perChar = Math.max(1, size / Math.max(1, keep));
    keep = Math.max(0, keep - Math.ceil((size - max + SLACK_BYTES) / perChar));
    out = cutTo(text, keep, more);
    size = measure(out);
  }
  return out;
}

type Path = (string | number)[];

/** Every string in the view's data longer than KEEP_CHARS, with where it is. */
function longStrings(v: unknown, path: Path, out: { path: Path; text: string }[]): void {
  if (typeof v === "string") {
    if (v.length > KEEP_CHARS) out.push({ path, text: v });
  } else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) longStrings(x, [...path, i], out);
  } else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) longStrings(x, [...path, k], out);
}

/** A copy of `data` with the value at `path` replaced. */
function setAt(data: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(data)) {
    const copy = [...data];
    copy[head as number] = setAt(copy[head as number], rest, value);
    return copy;
  }
  const obj = (data ?? {}) as Record<string, unknown>;
  return { ...obj, [head]: setAt(obj[head], rest, value) };
}

/** Arrays in the data, longest first: lists (findings, rows) are shortened when cutting texts is not enough. */
function arrays(v: unknown, path: Path, out: { path: Path; list: unknown[] }[]): void {
  if (Array.isArray(v)) {
    if (v.length > 1) out.push({ path, list: v });
    for (const [i, x] of v.entries()) arrays(x, [...path, i], out);
  } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) arrays(x, [...path, k], out);
}

/**
 * The view with its data cut until `size(render(view))` ≤ `max`, or undefined when even the cut view does
 * not fit (the caller then sends a short stand-in card). `render` must be pure.
 */
export function fitView(view: CardView, max: number, size: (v: CardView) => number): CardView | undefined {
  let current = view;
  let bytes = size(current);
  // Strings first: the longest one is cut by the excess (shown several times, it may be cut again).
  const cuts = new Map<string, { chars: string[]; keep: number }>();
  for (let i = 0; i < 200 && bytes > max; i++) {
    const found: { path: Path; text: string }[] = [];
    longStrings(current.data, [], found);
    const open = found.filter((f) => (cuts.get(JSON.stringify(f.path))?.keep ?? KEEP_CHARS) >= KEEP_CHARS);
    const longest = open.sort((a, b) => b.text.length - a.text.length)[0];
    if (!longest) break;
    const key = JSON.stringify(longest.path);
    const cut = cuts.get(key) ?? { chars: Array.from(longest.text), keep: Array.from(longest.text).length };
    cuts.set(key, cut);
    const perChar = Math.max(1, utf8Bytes(JSON.stringify(longest.text)) / Array.from(longest.text).length);
    const less = Math.max(20, Math.ceil((bytes - max + SLACK_BYTES) / perChar));
    cut.keep = Math.max(KEEP_CHARS / 2, cut.keep - less);
    const text = cutTo(cut.chars.join(""), cut.keep, view.more);
    current = { ...current, data: setAt(current.data, longest.path, text) as Record<string, unknown> };
    bytes = size(current);
  }
  // Then lists: halve the longest until it fits.
  for (let i = 0; i < 50 && bytes > max; i++) {
    const found: { path: Path; list: unknown[] }[] = [];
    arrays(current.data, [], found);
    const longest = found.sort((a, b) => b.list.length - a.list.length)[0];
    if (!longest) break;
    const half = longest.list.slice(0, Math.ceil(longest.list.length / 2));
    current = { ...current, data: setAt(current.data, longest.path, half) as Record<string, unknown> };
    bytes = size(current);
  }
  return bytes <= max ? current : undefined;
}
