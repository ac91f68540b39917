/**
 * The 上岗考核 question bank (policy/exam/questions.json) is data the bot refuses to start with when it is
 * not a real bank: fewer than 40 questions, a duplicate id, an answer that is not an option.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bank, LETTERS, loadBank, MIN_QUESTIONS } from "../../../src/core/exam/bank.ts";

const write = (questions: unknown[]) => {
  const file = join(mkdtempSync(join(tmpdir(), "exam-")), "questions.json");
  writeFileSync(file, JSON.stringify({ questions }));
  return file;
};
const q = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `Q${i}`,
  clause: "第八条(一)4",
  question: `问题 ${i}`,
  options: ["甲", "乙", "丙", "丁"],
  answer: "B",
  ...extra,
});

describe("the question bank", () => {
  it("has at least 40 questions, each citing a clause of the policy, with four options", () => {
    expect(bank.length).toBeGreaterThanOrEqual(MIN_QUESTIONS);
    for (const x of bank) {
      expect(x.clause, x.id).toMatch(/^第[一二三四五六七八九十]+条/);
      expect(x.options, x.id).toHaveLength(4);
      expect(new Set(x.options).size, x.id).toBe(4);
    }
  });

  it("cannot be passed by always picking the same letter", () => {
    for (const letter of LETTERS.slice(0, 4)) {
      const right = bank.filter((x) => x.answer === letter).length;
      expect(right / bank.length, letter).toBeLessThan(0.5);
    }
  });

  it("refuses a bank that is too small, has a duplicate id or an answer that is no option", () => {
    const many = Array.from({ length: MIN_QUESTIONS }, (_, i) => q(i));
    expect(() => loadBank(write(many.slice(1)))).toThrow(/上岗考核题库格式错误/);
    expect(() => loadBank(write([...many, q(3)]))).toThrow(/duplicate exam question id Q3/);
    expect(() => loadBank(write([...many, q(99, { options: ["甲", "乙"], answer: "C" })]))).toThrow(
      /answer is not one of the options/,
    );
    expect(loadBank(write(many))).toHaveLength(MIN_QUESTIONS);
  });
});
