import type { Prepared } from "../text/prepare.ts";
import type { ContextData } from "./data.ts";

/**
 * Where a match stands: its sentence and clause, whether it is inside a title (《…》), a question, or
 * the scope of a prohibition (禁止…, 谢绝…, …仅供娱乐). Built once per text; the rules that use it say in
 * context.json which categories each exemption applies to.
 */
export class Context {
  private readonly sentence: Int32Array;
  private readonly titled: Uint8Array;
  private scene: boolean | undefined;

  constructor(
    private readonly p: Prepared,
    private readonly data: ContextData,
  ) {
    const text = p.canon.text;
    this.sentence = new Int32Array(text.length + 1);
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      this.sentence[i] = n;
      if (SENTENCE_END.has(text.charAt(i))) n += 1;
    }
    this.sentence[text.length] = n;
    this.titled = titles(p, data.titles.pairs);
  }

  exempt(category: string, rule: keyof Omit<ContextData, "$comment">): boolean {
    return this.data[rule].exempts.includes(category);
  }

  inTitle(start: number): boolean {
    return this.titled[this.p.canon.from[start] ?? 0] === 1;
  }

  /** A question with a question word (哪个、什么) that says nothing of “us”: it asks, it does not claim. */
  inQuestion(start: number): boolean {
    const q = this.data.question;
    const text = this.sentenceText(start);
    return q.words.some((w) => text.includes(w)) && !q.self.some((w) => text.includes(w));
  }

  /** The post is about the script itself (剧情、故事简介、场景、道具) and speaks of no money. */
  inScene(): boolean {
    const { words, unlessMoney } = this.data.scene;
    const text = this.p.canon.text;
    this.scene ??= words.some((w) => text.includes(w)) && !unlessMoney.some((w) => text.includes(w));
    return this.scene;
  }

  sentenceText(start: number): string {
    const text = this.p.canon.text;
    const s = this.sentence[start] ?? 0;
    let a = start;
    while (a > 0 && this.sentence[a - 1] === s) a -= 1;
    let b = start;
    while (b < text.length && this.sentence[b] === s) b += 1;
    return text.slice(a, b);
  }

  /** Text of the same clause within `window` characters before `start`. */
  before(start: number, window: number): string {
    const text = this.p.canon.text;
    let a = start;
    while (a > 0 && start - a < window && !CLAUSE_END.has(text.charAt(a - 1))) a -= 1;
    return text.slice(a, start);
  }

  /** Text of the same clause within `window` characters after `end`. */
  after(end: number, window: number): string {
    const text = this.p.canon.text;
    let b = end;
    while (b < text.length && b - end < window && !CLAUSE_END.has(text.charAt(b))) b += 1;
    return text.slice(end, b);
  }

  /** 你最大的愿望 / 唯一的线索: a person before it or a story noun after it (past 的/之). */
  storyAround(start: number, end: number): boolean {
    const { before, after, sentence } = this.data.story;
    const told = this.sentenceText(start);
    if (sentence.some((w) => told.includes(w))) return true;
    const lead = this.before(start, 4);
    if (before.some((w) => lead.endsWith(w))) return true;
    const next = this.after(end, 8).replace(/^[的之]/, "");
    return after.some((w) => next.startsWith(w));
  }

  /** 禁止任何形式的赌博 / 谢绝未成年人 / 筹码仅供娱乐: the words are said in order to rule them out. */
  prohibited(start: number, end: number): boolean {
    const { window, words, clauseWords, after } = this.data.prohibition;
    const before = this.sentenceBefore(start, window);
    if (words.some((w) => before.includes(w))) return true;
    const clause = this.before(start, window);
    if (clauseWords.some((w) => clause.includes(w))) return true;
    const next = this.after(end, window);
    return after.some((w) => next.includes(w)) || this.prohibitedWithin(start, end);
  }

  /** 恐怖本谢绝未成年人: a prohibition between the two halves of a pair rules the pair out. */
  prohibitedWithin(start: number, end: number): boolean {
    const inside = this.p.canon.text.slice(start, end);
    const { words, after } = this.data.prohibition;
    return words.some((w) => inside.includes(w)) || after.some((w) => inside.includes(w));
  }

  /** Like `before`, but a prohibition reaches over commas within its sentence (禁止赌博、押注，…). */
  private sentenceBefore(start: number, window: number): string {
    const text = this.p.canon.text;
    const s = this.sentence[start] ?? 0;
    let a = start;
    while (a > 0 && start - a < window && this.sentence[a - 1] === s) a -= 1;
    return text.slice(a, start);
  }
}

const SENTENCE_END = new Set([..."。！？!?\n"]);
const CLAUSE_END = new Set([..."。！？!?\n，,；;"]);

/** Marks every original character inside a title pair (《绝对零度》). */
function titles(p: Prepared, pairs: readonly (readonly [string, string])[]): Uint8Array {
  const raw = p.raw;
  const marks = new Uint8Array(raw.length + 1);
  const open = new Map(pairs.map(([a, b]) => [a, b]));
  for (let i = 0; i < raw.length; i++) {
    const close = open.get(raw.charAt(i));
    if (close === undefined) continue;
    const end = raw.indexOf(close, i + 1);
    // An unclosed bracket (or a title longer than any title) is not a title.
    if (end < 0 || end - i > 40) continue;
    marks.fill(1, i, end + 1);
    i = end;
  }
  return marks;
}
