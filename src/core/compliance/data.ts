import { z } from "zod";
import { dataFilePath, readDataFile } from "../data-file.ts";

/** The shapes of policy/compliance/*.json; loading checks them and names the file on any mistake. */

const comment = z.union([z.string(), z.array(z.string())]).optional();
const word = z.string().trim().min(1);
const words = z.array(word);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "gu");
    return true;
  } catch {
    return false;
  }
}
const regex = word.refine(compiles, "不是有效的正则 / not a valid RegExp");

const suggested = z.strictObject({
  term: word,
  suggestion: word,
  benignAfter: words.optional(),
  benignBefore: words.optional(),
  benignIfAlso: words.optional(),
});

export const absoluteFile = z.strictObject({
  $comment: comment,
  clause: word,
  superlative: z.strictObject({
    marker: word,
    suggestion: word.refine((s) => s.includes("{X}"), "须含 {X} / must contain {X}"),
    special: z.record(word, word),
    benign: words,
    objective: z.strictObject({ words, numberAfter: z.boolean(), hanBefore: z.number().int().min(0).max(8) }),
    adverb: z.strictObject({ words, before: words }),
    benignFollowers: words,
    benignBefore: words,
  }),
  compounds: words,
  terms: z.array(suggested).min(1),
  phrases: z.array(suggested),
  latin: z.array(suggested),
  scopes: words,
  award: z.strictObject({ before: words, after: words }),
});

const exempts = z.array(word);

export const contextFile = z.strictObject({
  $comment: comment,
  prohibition: z.strictObject({
    window: z.number().int().min(1).max(40),
    words,
    clauseWords: words,
    after: words,
    exempts,
  }),
  scene: z.strictObject({ words, unlessMoney: words, exempts }),
  titles: z.strictObject({ pairs: z.array(z.tuple([word, word])), exempts }),
  story: z.strictObject({ before: words, after: words, sentence: words, exempts }),
  question: z.strictObject({ words, self: words, exempts }),
});

export const categoriesFile = z.strictObject({
  $comment: comment,
  categories: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z_]+$/, "key 须为小写英文 / lower-case key"),
        name: word,
        clause: word,
        suggestion: word,
        why: z.string().optional(),
        terms: words.default([]),
        patterns: z.array(regex).default([]),
        near: z
          .array(
            z.strictObject({ a: words.min(1), b: words.min(1), window: z.number().int().min(1).max(60) }),
          )
          .default([]),
        /** Patterns that no context excuses (a full name right before a mobile number). */
        strictPatterns: z.array(regex).default([]),
        /** Words that, spelled out in pinyin (dian zi ban, wei cheng nian), are an evasion in themselves. */
        spelled: words.default([]),
        /** Terms that are only words of the story when the sentence is about the script (赌局). */
        sceneTerms: words.default([]),
        ownContact: z.strictObject({ window: z.number().int().min(1), words, personal: words }).optional(),
      }),
    )
    .min(1),
});

export type AbsoluteData = z.output<typeof absoluteFile>;
export type ContextData = z.output<typeof contextFile>;
export type CategoriesData = z.output<typeof categoriesFile>;
export type CategoryData = CategoriesData["categories"][number];

export const COMPLIANCE_FILES = {
  absolute: "absolute.json",
  context: "context.json",
  categories: "categories.json",
} as const;

export const DEFAULT_COMPLIANCE_DIR = new URL("../../../policy/compliance/", import.meta.url);

const WHAT = { zh: "合规规则", en: "compliance rules" };

export type ComplianceData = { absolute: AbsoluteData; context: ContextData; categories: CategoriesData };

export function readComplianceData(dir: string | URL = DEFAULT_COMPLIANCE_DIR): ComplianceData {
  return {
    absolute: readDataFile(dataFilePath(dir, COMPLIANCE_FILES.absolute), absoluteFile, WHAT),
    context: readDataFile(dataFilePath(dir, COMPLIANCE_FILES.context), contextFile, WHAT),
    categories: readDataFile(dataFilePath(dir, COMPLIANCE_FILES.categories), categoriesFile, WHAT),
  };
}
