import { pinyin } from "pinyin-pro";
import { z } from "zod";
import { dataFilePath, readDataFile } from "../data-file.ts";

/**
 * Homophones, pinyin and numerals that stand for a character (policy/text/variants.json). pinyin-pro
 * gives the readings: a listed homophone must share one with its character (so the data file cannot
 * drift into unrelated characters), and a Latin run is read back as characters only when it splits
 * wholly into the readings of the listed characters (zui好, diyi), so English words are left alone.
 */

const file = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  homophones: z.record(z.string().length(1), z.array(z.string().length(1)).min(1)),
  pinyin: z.array(z.string().length(1)).min(1),
  numerals: z.record(z.string().min(1), z.string().length(1)),
});

export type Variants = {
  /** Homophone → the character it stands for. */
  readonly homophone: ReadonlyMap<string, string>;
  /** Toneless reading → the listed character that has it. */
  readonly syllable: ReadonlyMap<string, string>;
  readonly numeral: ReadonlyMap<string, string>;
};

export const DEFAULT_TEXT_DIR = new URL("../../../policy/text/", import.meta.url);

const readings = (c: string): string[] =>
  pinyin(c, { toneType: "none", type: "array", multiple: true }).map((r) => r.replace("ü", "v"));

export function loadVariants(dir: string | URL = DEFAULT_TEXT_DIR): Variants {
  const path = dataFilePath(dir, "variants.json");
  const data = readDataFile(path, file, { zh: "文字变体表", en: "text variants" });
  const homophone = new Map<string, string>();
  for (const [target, list] of Object.entries(data.homophones)) {
    const own = new Set(readings(target));
    for (const h of list) {
      if (!readings(h).some((r) => own.has(r)))
        throw new Error(`文字变体表错误 / not a homophone in ${path}: 「${h}」与「${target}」读音不同`);
      homophone.set(h, target);
    }
  }
  const syllable = new Map<string, string>();
  for (const c of data.pinyin) for (const r of readings(c)) if (!syllable.has(r)) syllable.set(r, c);
  return { homophone, syllable, numeral: new Map(Object.entries(data.numerals)) };
}

/** The characters a Latin run spells as pinyin of listed characters (zuihao → 最好), or undefined. */
export function readPinyin(run: string, v: Variants): string | undefined {
  // Longer runs are words or links, not a superlative spelled out; and each position is solved once.
  if (run.length > 24) return undefined;
  const memo = new Map<number, string | undefined>();
  const walk = (at: number): string | undefined => {
    if (at === run.length) return "";
    if (memo.has(at)) return memo.get(at);
    let found: string | undefined;
    for (let len = Math.min(6, run.length - at); len >= 1 && found === undefined; len--) {
      const c = v.syllable.get(run.slice(at, at + len));
      if (c === undefined) continue;
      const rest = walk(at + len);
      if (rest !== undefined) found = c + rest;
    }
    memo.set(at, found);
    return found;
  };
  return walk(0);
}
