import { randomInt } from "node:crypto";
import { z } from "zod";
import { readDataFile } from "../data-file.ts";

/**
 * The 上岗考核 question bank (policy/exam/questions.json, 《制度》第十四条(二)1): single-choice questions
 * written from the policy, each naming the clause it rests on, so a failed attempt can say what to reread.
 */

export const LETTERS = ["A", "B", "C", "D", "E", "F"] as const;

/**
 * A question and its options must fit a WeCom template card without being cut (quote and sub-title hold
 * 160 characters each); 150 leaves room for the letters and line breaks.
 */
const CARD_ROOM = 150;

const questionSchema = z
  .object({
    id: z.string().min(1),
    clause: z.string().min(1),
    question: z.string().min(1).max(CARD_ROOM),
    options: z.array(z.string().min(1)).min(2).max(LETTERS.length),
    answer: z.enum(LETTERS),
  })
  .refine((q) => LETTERS.indexOf(q.answer) < q.options.length, {
    message: "answer is not one of the options",
  })
  .refine((q) => optionLines(q.options).length <= CARD_ROOM, { message: "options too long for a card" });
export type Question = z.infer<typeof questionSchema>;

/** "A. …\nB. …" */
export function optionLines(options: readonly string[]): string {
  return options.map((o, i) => `${LETTERS[i]}. ${o}`).join("\n");
}

/** The policy asks for a real bank, not a handful: at least this many questions. */
export const MIN_QUESTIONS = 40;

export function loadBank(
  file: string | URL = new URL("../../../policy/exam/questions.json", import.meta.url),
) {
  const data = readDataFile(file, z.object({ questions: z.array(questionSchema).min(MIN_QUESTIONS) }), {
    zh: "上岗考核题库",
    en: "exam question bank",
  });
  const ids = new Set<string>();
  for (const q of data.questions) {
    if (ids.has(q.id)) throw new Error(`上岗考核题库题号重复 / duplicate exam question id ${q.id}`);
    ids.add(q.id);
  }
  return data.questions;
}

export const bank: Question[] = loadBank();
const byId = new Map(bank.map((q) => [q.id, q]));

export function questionById(id: string): Question | undefined {
  return byId.get(id);
}

/** `n` different questions in random order (Fisher–Yates over a copy, crypto-random). */
export function drawQuestions(n: number): string[] {
  const ids = bank.map((q) => q.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  return ids.slice(0, Math.max(1, Math.min(n, ids.length)));
}

/** A letter typed by a person: "b", "Ｂ", "B." → "B"; undefined when it is not a letter of the question. */
export function parseChoice(token: string | undefined, q: Question): string | undefined {
  const t = (token ?? "")
    .trim()
    .replace(/[Ａ-Ｆａ-ｆ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[.。、．]$/, "")
    .toUpperCase();
  const i = LETTERS.indexOf(t as (typeof LETTERS)[number]);
  return i >= 0 && i < q.options.length ? t : undefined;
}
