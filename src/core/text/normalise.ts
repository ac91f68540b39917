import * as OpenCC from "opencc-js";
import { type View, ViewBuilder } from "./view.ts";

/**
 * The first step for every judgement: the text as the word lists are written. Per code point:
 * NFKC (full-width → half-width, ① → 1, ㈠ → (一)), lower case, invisible characters dropped, and
 * traditional → simplified by OpenCC (opencc-js: the maintained dictionaries, 絕對 → 绝对,
 * 後臺 → 后台), so neither an IME setting nor a Hong Kong or Taiwan source hides a word.
 */

// Zero-width characters, emoji variation selectors and skin-tone modifiers: they change nothing a
// reader sees, so they must change nothing the checker sees (最\u200b好, 👍🏻).
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]|\uFE0E|\uFE0F|[\u{1F3FB}-\u{1F3FF}]/u;

// OpenCC's Taiwan table includes the standard traditional forms; one pass costs ~0.2 ms per 1,000 characters.
const toSimplified = OpenCC.Converter({ from: "tw", to: "cn" });

/** Characters that OpenCC may rewrite: anything but printable ASCII. Pure-ASCII texts skip the converter. */
const NON_ASCII = /[^\u0020-\u007e\t\n\r]/;

/** Per character: does OpenCC change it? Most texts hold no traditional character and skip the converter. */
const changes = new Map<string, boolean>();

function anyTraditional(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x2e80) continue;
    const c = text.charAt(i);
    let changed = changes.get(c);
    if (changed === undefined) {
      changed = toSimplified(c) !== c;
      changes.set(c, changed);
    }
    if (changed) return true;
  }
  return false;
}

export function normalise(raw: string): View {
  const view = fold(raw);
  if (!NON_ASCII.test(view.text) || !anyTraditional(view.text)) return view;
  const simplified = toSimplified(view.text);
  // OpenCC's traditional→simplified tables map character for character; should a phrase ever change
  // length, fall back to converting each character alone so the spans stay exact.
  if (simplified.length === view.text.length) return { ...view, text: simplified };
  let text = "";
  for (const c of view.text) {
    const s = toSimplified(c);
    text += s.length === c.length ? s : c;
  }
  return { ...view, text };
}

/**
 * NFKC, lower case, invisible characters out. Most texts keep their length under all three, and then
 * every character stands for itself (~40× faster than going code point by code point).
 */
function fold(raw: string): View {
  const whole = raw.normalize("NFKC").toLowerCase();
  if (whole.length === raw.length && !INVISIBLE.test(raw)) {
    const from = new Int32Array(raw.length);
    const to = new Int32Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      from[i] = i;
      to[i] = i + 1;
    }
    // A surrogate pair's two halves both stand for the whole code point.
    for (let i = 0; i + 1 < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        to[i] = i + 2;
        from[i + 1] = i;
      }
    }
    return { text: whole, from, to };
  }
  const b = new ViewBuilder();
  let i = 0;
  for (const cp of raw) {
    const start = i;
    i += cp.length;
    if (INVISIBLE.test(cp)) continue;
    b.push(cp.normalize("NFKC").toLowerCase(), start, i);
  }
  return b.build();
}
