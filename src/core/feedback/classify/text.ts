import { normalise } from "../../text/normalise.ts";

/**
 * Text helpers shared by the feedback classifier: normalisation (the shared text layer: NFKC, lower case,
 * invisible characters dropped, 繁→简 by OpenCC), clause and sentence structure, quotes, and a
 * longest-match dictionary. The lists get the text's treatment, so a data file may use any form.
 */

export function normaliseFeedback(s: string): string {
  return normalise(s).text;
}

/** A pattern gets the text's treatment except lower-casing, which would turn \p{L} into \p{l}. */
export function patternSource(source: string): string {
  return source.normalize("NFKC").replace(/[^ -~\s]+/g, (run) => normalise(run).text);
}

/** Characters that end a clause: negation, intensity and sarcasm markers do not reach across them. */
export const CLAUSE_END = new Set([..."。!?;,.…~\n\r:"]);
/** Characters that end a sentence. */
const SENTENCE_END = new Set([..."。!?\n\r…~"]);

export type Structure = {
  /** Clause number of each position. */
  clauseOf: Int32Array;
  /** Start and end of each clause and sentence, by number. */
  clauses: [number, number][];
  sentences: [number, number][];
  sentenceOf: Int32Array;
  /** Clauses closing with a question mark. */
  asked: Set<number>;
};

const ASCII_WORD = /[a-z0-9]/;

/** A space between Chinese words is punctuation (“我老公直接绊倒 额头磕在桌角”); between “DM” and “好” too. */
function spaceBetweenWords(text: string, i: number): boolean {
  if (text.charAt(i) !== " ") return false;
  const before = text.charAt(i - 1);
  const after = text.charAt(i + 1);
  if (before === "" || after === "" || before === " ") return false;
  return !(ASCII_WORD.test(before) && ASCII_WORD.test(after));
}

export function structure(text: string): Structure {
  const clauseOf = new Int32Array(text.length + 1);
  const sentenceOf = new Int32Array(text.length + 1);
  const clauses: [number, number][] = [];
  const sentences: [number, number][] = [];
  const asked = new Set<number>();
  let clauseStart = 0;
  let sentenceStart = 0;
  for (let i = 0; i < text.length; i++) {
    clauseOf[i] = clauses.length;
    sentenceOf[i] = sentences.length;
    const ch = text.charAt(i);
    if (CLAUSE_END.has(ch) || spaceBetweenWords(text, i)) {
      if (ch === "?") asked.add(clauses.length);
      clauses.push([clauseStart, i + 1]);
      clauseStart = i + 1;
    }
    if (SENTENCE_END.has(ch)) {
      sentences.push([sentenceStart, i + 1]);
      sentenceStart = i + 1;
    }
  }
  clauseOf[text.length] = clauses.length;
  sentenceOf[text.length] = sentences.length;
  clauses.push([clauseStart, text.length]);
  sentences.push([sentenceStart, text.length]);
  return { clauseOf, clauses, sentences, sentenceOf, asked };
}

/** True when nothing but spaces stands between the start of its clause and `at` (就是 as a contrast). */
export function atClauseStart(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const ch = text.charAt(i);
    if (CLAUSE_END.has(ch) || ch === "(" || ch === ")") return true;
    if (ch !== " ") return false;
  }
  return true;
}

/** The quoted piece around [at, end), with up to `slack` characters inside the quotes (“好”, “很专业”). */
export function quoted(
  text: string,
  at: number,
  end: number,
  quotes: ReadonlyMap<string, string>,
  slack = 2,
): string | undefined {
  for (let open = at - 1; open >= Math.max(0, at - 1 - slack); open--) {
    const close = quotes.get(text.charAt(open));
    if (close === undefined) {
      if (CLAUSE_END.has(text.charAt(open))) return undefined;
      continue;
    }
    for (let i = end; i <= Math.min(text.length - 1, end + slack); i++) {
      if (text.charAt(i) === close) return text.slice(open, i + 1);
      if (CLAUSE_END.has(text.charAt(i))) return undefined;
    }
    return undefined;
  }
  return undefined;
}

/** A RegExp that finds any of the words (already normalised), or undefined for an empty list. */
export function anyOf(words: readonly string[]): RegExp | undefined {
  if (words.length === 0) return undefined;
  const sorted = [...new Set(words.map(normaliseFeedback))].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "gu");
}

/** Whether a (global) RegExp occurs in the text, from the start whatever it matched before. */
export function occurs(re: RegExp | undefined, text: string): boolean {
  if (re === undefined) return false;
  re.lastIndex = 0;
  return re.test(text);
}

/** Characters between two positions, not counting spaces (“DM 全程看手机”). */
export function gap(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charAt(i) !== " ") n += 1;
  return n;
}

// ---------- a longest-match dictionary ----------

type Entry<T> = { value: T; rank: number; order: number };
type Literal<T> = Entry<T> & { text: string };
type Pattern<T> = Entry<T> & { re: RegExp };

/** Literals indexed by first character, patterns run once per text. */
export type Lexicon<T> = { literals: Map<string, Literal<T>[]>; patterns: Pattern<T>[] };

export type Hit<T> = { at: number; end: number; text: string; value: T };

export class LexiconBuilder<T> {
  private readonly literals = new Map<string, Literal<T>[]>();
  private readonly patterns: Pattern<T>[] = [];
  private readonly seen = new Map<string, string>();
  private order = 0;

  constructor(private readonly file: string) {}

  /** A literal listed twice would silently let one entry shadow the other, so it is an error. */
  literal(term: string, value: T, rank: number, where: string): void {
    const text = normaliseFeedback(term);
    const before = this.seen.get(text);
    if (before !== undefined) {
      throw new Error(
        `反馈词表重复词 / term listed twice in ${this.file}: 「${term}」（${before} 与 ${where} / in ${before} and ${where}）`,
      );
    }
    this.seen.set(text, where);
    const first = text.charAt(0);
    const list = this.literals.get(first) ?? [];
    list.push({ text, value, rank, order: this.order++ });
    this.literals.set(first, list);
  }

  pattern(source: string, value: T, rank: number): void {
    this.patterns.push({ re: new RegExp(patternSource(source), "gu"), value, rank, order: this.order++ });
  }

  build(): Lexicon<T> {
    for (const list of this.literals.values())
      list.sort((a, b) => b.text.length - a.text.length || a.rank - b.rank || a.order - b.order);
    return { literals: this.literals, patterns: this.patterns };
  }
}

function wins<T>(len: number, e: Entry<T>, otherLen: number, other: Entry<T>): boolean {
  return len > otherLen || (len === otherLen && (e.rank - other.rank || e.order - other.order) < 0);
}

/** Left to right, the longest entry at each position (ties: rank, then file order); the rest is skipped. */
export function scan<T>(text: string, lex: Lexicon<T>): Hit<T>[] {
  const fromPatterns = new Map<number, Pattern<T> & { end: number }>();
  for (const p of lex.patterns) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m !== null; m = p.re.exec(text)) {
      if (m[0] === "") {
        p.re.lastIndex += 1;
        continue;
      }
      const end = m.index + m[0].length;
      const had = fromPatterns.get(m.index);
      if (had === undefined || wins(end - m.index, p, had.end - m.index, had))
        fromPatterns.set(m.index, { ...p, end });
    }
  }
  const hits: Hit<T>[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { end: number; entry: Entry<T> } | undefined;
    for (const l of lex.literals.get(text.charAt(at)) ?? []) {
      if (text.startsWith(l.text, at)) {
        best = { end: at + l.text.length, entry: l }; // sorted: the first that fits is the best literal
        break;
      }
    }
    const p = fromPatterns.get(at);
    if (p !== undefined && (best === undefined || wins(p.end - at, p, best.end - at, best.entry)))
      best = { end: p.end, entry: p };
    if (best === undefined) {
      at += 1;
      continue;
    }
    hits.push({ at, end: best.end, text: text.slice(at, best.end), value: best.entry.value });
    at = best.end;
  }
  return hits;
}
