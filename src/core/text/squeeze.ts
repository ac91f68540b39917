import { type View, ViewBuilder } from "./view.ts";

/**
 * Drops what people put inside a word to slip it past a filter: spaces, emoji, symbols and punctuation
 * (最 好, 最✨好, 最-好, 1 3 8 - 1 2 3 4…). Sentence ends and line breaks stay, so that nothing is
 * matched across two sentences, and so does a long run of filler (a divider line is not an evasion).
 */

const FILLER = /^(?:[\p{Z}\t\r]|\p{Extended_Pictographic}|\p{S}|\p{P}|\p{M})$/u;
/**
 * Ends of sentences and clauses, brackets of titles, quotation marks (a name or a mocking word in quotes)
 * and the percent sign (100%) carry meaning, so they are not filler.
 */
const KEEP = new Set([..."。！？!?\n，,；;《》〈〉%“”‘’「」\"'"]);
/** More filler than this in a row is layout, not an evasion. */
const MAX_RUN = 4;

export function squeeze(view: View): View {
  const b = new ViewBuilder();
  const text = view.text;
  let i = 0;
  while (i < text.length) {
    const width = fillerAt(text, i);
    if (width === 0) {
      const c = text.charCodeAt(i);
      const w = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      b.push(text.slice(i, i + w), view.from[i] ?? 0, view.to[i + w - 1] ?? 0);
      i += w;
      continue;
    }
    // A run of filler: dropped when short, kept as one space (a word boundary) when long.
    let end = i;
    let count = 0;
    for (let w = width; w > 0; w = fillerAt(text, end)) {
      end += w;
      count += 1;
    }
    // Between two Latin letters a space is a word boundary (the best, best seller), not an evasion.
    const latin = isLatin(text.charCodeAt(i - 1)) && isLatin(text.charCodeAt(end));
    if (count > MAX_RUN || latin) b.push(" ", view.from[i] ?? 0, view.to[end - 1] ?? 0);
    i = end;
  }
  return b.build();
}

const isLatin = (c: number) => c >= 0x61 && c <= 0x7a;

/** UTF-16 width of the filler character at `i`, or 0. Letters, digits and Han skip the regex. */
function fillerAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if ((c >= 0x30 && c <= 0x39) || isLatin(c) || (c >= 0x4e00 && c <= 0x9fff)) return 0;
  const w = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  const ch = text.slice(i, i + w);
  return !KEEP.has(ch) && FILLER.test(ch) ? w : 0;
}
