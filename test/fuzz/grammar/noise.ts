/**
 * Near misses and noise: a well-formed command with one token mutated, dropped, duplicated or swapped,
 * full-width or odd whitespace, emoji, very long words; and random unicode after a slash. Whether these
 * parse is not known up front, so they are held to the consistency properties.
 */
import fc from "fast-check";
import { badNumber, type Case, junkWord, MENTIONS, PLATFORM_WORDS, pick } from "./vocab.ts";

const FULL_WIDTH_OFFSET = 0xfee0;
/** ASCII → full-width (／ｓｕｂｍｉｔ, ＝, １２): what a Chinese IME types with full-width on. */
export const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + FULL_WIDTH_OFFSET));

const SPACES = [" ", "  ", "\u3000", "\t", "\u00a0", "\u2003", " \u3000 "];
const EMOJI = ["😀", "🎉", "👨‍👩‍👧", "🇨🇳", "❤️", "🧧"];
const HOSTILE = [
  "__proto__",
  "constructor",
  "prototype",
  '<at user_id="all">所有人</at>',
  "'; drop table people; --",
  "%s%n%x",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder typed as text, on purpose
  "${process.exit()}",
  "\u0000",
  "\u202e反转",
  "\ud800",
  "-0",
  "9".repeat(30),
  "1e309",
  "Infinity",
];
const longWord = fc
  .tuple(pick(["长", "a", "😀", "的", "#1"]), fc.integer({ min: 500, max: 20_000 }))
  .map(([ch, n]) => ch.repeat(n));
const strangeToken = fc.oneof(
  junkWord,
  badNumber,
  pick(HOSTILE),
  pick(EMOJI),
  pick(PLATFORM_WORDS),
  pick(MENTIONS),
  fc.string({ unit: "binary", minLength: 1, maxLength: 10 }).filter((s) => !/\s/.test(s)),
  { weight: 1, arbitrary: longWord },
);

type Mutation = (tokens: string[], rnd: { i: number; token: string; space: string }) => string[];
const MUTATIONS: Record<string, Mutation> = {
  drop: (t, r) => t.filter((_, j) => j !== 1 + (r.i % Math.max(1, t.length - 1)) || t.length === 1),
  duplicate: (t, r) => {
    const j = r.i % t.length;
    return [...t.slice(0, j + 1), t[j] ?? "", ...t.slice(j + 1)];
  },
  swap: (t, r) => {
    if (t.length < 3) return t.slice().reverse();
    const j = 1 + (r.i % (t.length - 2));
    const out = t.slice();
    [out[j], out[j + 1]] = [out[j + 1] ?? "", out[j] ?? ""];
    return out;
  },
  replace: (t, r) => t.map((x, j) => (j === 1 + (r.i % Math.max(1, t.length - 1)) ? r.token : x)),
  insert: (t, r) => {
    const j = 1 + (r.i % t.length);
    return [...t.slice(0, j), r.token, ...t.slice(j)];
  },
  fullWidthToken: (t, r) => t.map((x, j) => (j === r.i % t.length ? toFullWidth(x) : x)),
  fullWidthAll: (t) => t.map(toFullWidth),
  emoji: (t, r) => t.map((x, j) => (j === r.i % t.length ? `${x}${EMOJI[r.i % EMOJI.length]}` : x)),
  upperCommand: (t) => [(t[0] ?? "").toUpperCase(), ...t.slice(1)],
  noSlash: (t) => [(t[0] ?? "").replace(/^[/／]/, ""), ...t.slice(1)],
  zeroWidth: (t, r) => t.map((x, j) => (j === r.i % t.length ? `${x.slice(0, 1)}\u200b${x.slice(1)}` : x)),
};

/** Cases from `wellFormed`, each with one mutation of its first line, joined by odd whitespace. */
export const nearMissOf = (wellFormed: fc.Arbitrary<Case>): fc.Arbitrary<Case & { mutation: string }> =>
  fc
    .record({
      base: wellFormed,
      mutation: pick(Object.keys(MUTATIONS)),
      i: fc.nat({ max: 50 }),
      token: strangeToken,
      space: pick(SPACES),
      lead: pick(["", " ", "\u3000", "\n"]),
    })
    .map(({ base, mutation, i, token, space, lead }) => {
      const [first = "", ...body] = base.text.split("\n");
      const tokens = first.split(" ").filter(Boolean);
      const mutated = (MUTATIONS[mutation] as Mutation)(tokens, { i, token, space });
      const text = [lead + mutated.join(space), ...body].join("\n");
      return { ...base, text, mutation };
    });

/** A slash (or full-width slash) and random text: mostly no command at all. */
export const slashNoise: fc.Arbitrary<string> = fc
  .tuple(
    pick(["/", "／", "/ ", "//"]),
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
      longWord,
    ),
  )
  .map(([s, rest]) => s + rest);
