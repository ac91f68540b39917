/**
 * What every command area of the grammar draws from: the case shapes, the shared vocabularies (from the
 * data files the bot reads), free text, item references, dates, and the builders of a well-formed or an
 * unparseable case. Words only one area uses live in that area's file.
 */
import fc from "fast-check";
import { catalog, findPlatform, findPurpose, findRole } from "../../../src/core/people/catalog.ts";
import type { Who } from "../../support/harness.ts";

export interface Case {
  who: Who;
  text: string;
  /** A group chat; default the sender's DM with the bot. */
  chatId?: string;
  /** The registered command word the case is about (for matching its usage line). */
  command: string;
}

/** Unparseable cases also say which answers are acceptable. */
export interface BadCase extends Case {
  answer: ("usage" | "hint")[];
}

// ---------------------------------------------------------------- vocabularies (from the data files)

export const PLATFORM_WORDS = catalog.platforms.flatMap((p) => [p.key, p.label, ...p.aliases]);
export const STORES = ["城东店", "城西店"];
export const MENTIONS = ["@李姐", "@林哥", "@张总", "@陈律师", "@小刘", "@小美", "@小王", "@路人"];
const PHRASES = [
  "周末新本首发",
  "城东店密室受伤",
  "服务很好下次还来",
  "等了一个小时才开场",
  "灯光太暗看不清线索",
  "已电话回访并道歉",
  "转给店长跟进",
  "新本《雾都疑案》上线",
];

export const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** One word of free text: a Chinese phrase or a few random graphemes (no whitespace, no slash, no @). */
export const word = fc.oneof(
  { weight: 3, arbitrary: pick(PHRASES) },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 8 })
      .filter((s) => /^[^\s/@＠#＃]+$/u.test(s) && !/^发现于|^目标/.test(s)),
  },
);
export const words = (max: number) =>
  fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(" "));

export const itemRef = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map(String),
  fc.constantFrom("#1", "＃1", "#2", "1"),
);
export const pad2 = (n: number) => String(n).padStart(2, "0");
export const futureDateTime = fc
  .record({
    d: fc.integer({ min: 17, max: 30 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ d, h, mi }) => `2026-11-${pad2(d)} ${pad2(h)}:${pad2(mi)}`);

export const c = (
  who: Who,
  command: string,
  text: fc.Arbitrary<string>,
  chatId?: string,
): fc.Arbitrary<Case> => text.map((t) => ({ who, command, text: t, ...(chatId ? { chatId } : {}) }));
export const opt = (a: fc.Arbitrary<string>) => fc.option(a, { nil: "" }).map((s) => (s ? ` ${s}` : ""));

/** A word that is none of the vocabularies: no platform, role, purpose, number or keyword. */
export const junkWord = fc
  .oneof(
    fc.constantFrom(
      "frob",
      "🎉",
      "abc",
      "—",
      "Ｘ",
      "__proto__",
      "constructor",
      "NaN",
      "-1",
      "1e9999",
      "１２",
      "\u200b",
    ),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
  )
  .filter(
    (w) =>
      /^\S+$/u.test(w) &&
      !/^[#＃]?\d/.test(w) &&
      !findPlatform(w) &&
      !findRole(w) &&
      !findPurpose(w) &&
      !STORES.includes(w) &&
      !/^[@＠/]/.test(w),
  );
/** Numbers that are no item number: negative, zero-padded past 9 digits, fractions, full-width. */
export const badNumber = fc.constantFrom(
  "-1",
  "#-3",
  "1234567890",
  "#1.5",
  "１",
  "#",
  "1e3",
  "0x10",
  "T-1",
  "C-1",
);

export const bad = (
  who: Who,
  command: string,
  answer: BadCase["answer"],
  text: fc.Arbitrary<string>,
  chatId?: string,
) => text.map((t): BadCase => ({ who, command, text: t, answer, ...(chatId ? { chatId } : {}) }));
export const U: BadCase["answer"] = ["usage"];
export const UH: BadCase["answer"] = ["usage", "hint"];
