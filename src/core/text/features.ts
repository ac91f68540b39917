/**
 * What the trained readers (the compliance model, the sentiment model) see of a text: its character
 * pairs and triples that hold a letter, digit or Han character, and its jieba words. Shared so that both
 * models and their training read text the same way.
 */

const MEANINGFUL = /[\p{Script=Han}a-z0-9]/u;

/** The features of a text: character pairs and triples with a letter, digit or Han in them, and words. */
export function features(text: string, words: readonly { text: string }[]): string[] {
  const out = new Set<string>();
  // Which characters are letters, digits or Han, computed once: a gram counts when any of them is.
  const meaningful = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) meaningful[i] = MEANINGFUL.test(text.charAt(i)) ? 1 : 0;
  for (let i = 0; i + 2 <= text.length; i++) {
    const two = (meaningful[i] ?? 0) + (meaningful[i + 1] ?? 0);
    if (two > 0) out.add(text.slice(i, i + 2));
    if (i + 3 <= text.length && two + (meaningful[i + 2] ?? 0) > 0) out.add(text.slice(i, i + 3));
  }
  for (const w of words) if (w.text.trim() !== "") out.add(`w:${w.text}`);
  return [...out];
}

/**
 * A trained model's weights, looked up by feature without building a string per character gram: grams
 * are numbers (their UTF-16 codes packed, a triple always ≥ 2³²), words stay strings. Iterates each
 * distinct feature of a text once, as `features` lists them for training.
 */
export class FeatureTable<T> {
  private readonly grams = new Map<number, T>();
  private readonly words = new Map<string, T>();

  constructor(entries: Iterable<[string, T]>) {
    for (const [f, v] of entries) {
      if ((f.length === 2 || f.length === 3) && !f.includes(":")) this.grams.set(code(f, 0, f.length), v);
      else this.words.set(f, v);
    }
  }

  /** Any other named feature (a word `w:…`, or one a model adds of its own). */
  get(feature: string): T | undefined {
    return this.words.get(feature);
  }

  /** Calls `each` with the value of every distinct feature of the text that has one. */
  forEachIn(text: string, words: readonly { text: string }[], each: (v: T) => void): void {
    const seen = new Set<number>();
    const meaningful = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) meaningful[i] = isMeaningful(text.charCodeAt(i)) ? 1 : 0;
    const visit = (c: number) => {
      if (seen.has(c)) return;
      seen.add(c);
      const v = this.grams.get(c);
      if (v !== undefined) each(v);
    };
    for (let i = 0; i + 2 <= text.length; i++) {
      const two = (meaningful[i] ?? 0) + (meaningful[i + 1] ?? 0);
      if (two > 0) visit(code(text, i, 2));
      if (i + 3 <= text.length && two + (meaningful[i + 2] ?? 0) > 0) visit(code(text, i, 3));
    }
    const seenWords = new Set<string>();
    for (const w of words) {
      const key = `w:${w.text}`;
      if (w.text.trim() === "" || seenWords.has(key)) continue;
      seenWords.add(key);
      const v = this.words.get(key);
      if (v !== undefined) each(v);
    }
  }
}

function code(s: string, at: number, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) c = c * 65536 + s.charCodeAt(at + i);
  return c;
}

/** The same test as MEANINGFUL, on a UTF-16 code: ASCII letters and digits, and Han (incl. surrogates' pairs). */
function isMeaningful(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) return true;
  if (c < 0x2e80) return false;
  return MEANINGFUL.test(String.fromCharCode(c));
}
