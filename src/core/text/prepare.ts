import { normalise } from "./normalise.ts";
import { type Token, tokens } from "./segment.ts";
import { squeeze } from "./squeeze.ts";
import { loadVariants, readPinyin, type Variants } from "./variants.ts";
import { type View, ViewBuilder } from "./view.ts";

/**
 * A text ready for judgement: normalised (NFKC, lower case, simplified), squeezed (interposed filler
 * gone), variants read back (醉好 → 最好, zui好 → 最好, 第① → 第一) and cut into words. Every view keeps
 * the original span of each character, so findings quote the words as they were written.
 */
export type Prepared = {
  readonly raw: string;
  /** Normalised, every character kept: sentence structure, quotes and brackets. */
  readonly norm: View;
  /** Squeezed and variants read back: what words are matched against. */
  readonly canon: View;
  readonly words: readonly Token[];
};

let variants: Variants | undefined;

export function prepare(raw: string, given?: Variants): Prepared {
  variants ??= loadVariants();
  const v = given ?? variants;
  const norm = normalise(raw);
  const squeezed = squeeze(norm);
  const first = tokens(squeezed.text);
  const canon = readBack(squeezed, first, v);
  return { raw, norm, canon, words: canon === squeezed ? first : tokens(canon.text) };
}

const LATIN = /^[a-z]+$/;

/** Replaces variant tokens by the characters they stand for; returns the same view when none. */
function readBack(view: View, words: readonly Token[], v: Variants): View {
  let changed = false;
  const b = new ViewBuilder();
  const copy = (start: number, end: number) => {
    for (let i = start; i < end; i++) b.push(view.text.charAt(i), view.from[i] ?? 0, view.to[i] ?? 0);
  };
  const as = (text: string, t: Token) => {
    changed = true;
    b.push(text, view.from[t.start] ?? 0, view.to[t.end - 1] ?? 0);
  };
  let at = 0;
  words.forEach((t, i) => {
    copy(at, t.start); // whatever the segmenter did not return as a word (spaces) stays as it was
    at = t.end;
    const prev = words[i - 1]?.text;
    const homophone = t.text.length === 1 ? v.homophone.get(t.text) : undefined;
    const numeral = prev?.endsWith("第") ? v.numeral.get(t.text) : undefined;
    const spelled = LATIN.test(t.text) ? readPinyin(t.text, v) : undefined;
    if (homophone !== undefined) as(homophone, t);
    else if (numeral !== undefined && numeral !== t.text) as(numeral, t);
    else if (spelled !== undefined) as(spelled, t);
    else copy(t.start, t.end);
  });
  copy(at, view.text.length);
  return changed ? b.build() : view;
}
