/** A place in the canonical text where a rule fired, before it becomes a finding. */
export type Hit = {
  category: string;
  /** Canonical-view span [start, end). */
  start: number;
  end: number;
  suggestion: string;
  /** A scope word (全网, 全市…) made it unambiguous: story and question exemptions do not apply. */
  strong?: boolean;
  /** Found by the model alone, not by a rule: the words are the sentence it weighs most. */
  byModel?: boolean;
};

const LETTER = /[a-z0-9]/;

/** A Latin term must stand as a word: best, not bestie. */
export function latinBounded(text: string, start: number, end: number): boolean {
  const first = text.charAt(start);
  const last = text.charAt(end - 1);
  if (LETTER.test(first) && LETTER.test(text.charAt(start - 1))) return false;
  if (LETTER.test(last) && LETTER.test(text.charAt(end))) return false;
  return true;
}

/** Every occurrence of each term: a first-character index keeps the scan linear in practice. */
export class TermIndex<T> {
  private readonly byFirst = new Map<string, { term: string; value: T }[]>();

  constructor(entries: readonly { term: string; value: T }[]) {
    for (const e of entries) {
      const list = this.byFirst.get(e.term.charAt(0)) ?? [];
      list.push(e);
      this.byFirst.set(e.term.charAt(0), list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.term.length - a.term.length);
  }

  /** Longest term at each position; positions inside a match are not tried again. */
  scan(text: string, each: (start: number, end: number, value: T) => void): void {
    let at = 0;
    while (at < text.length) {
      const found = this.byFirst.get(text.charAt(at))?.find((e) => text.startsWith(e.term, at));
      if (found === undefined || !latinBounded(text, at, at + found.term.length)) {
        at += 1;
        continue;
      }
      each(at, at + found.term.length, found.value);
      at += found.term.length;
    }
  }
}
