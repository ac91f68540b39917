import type { Cue, FeedbackLists, Filter } from "./lists.ts";
import type { Sentiment } from "./sentiment.ts";
import { quoted, type Structure } from "./text.ts";

/**
 * Severe events (seeds/000 第十一条: 疑似危机) as classes — 受伤, 报警, 食品安全 … — each a set of cues,
 * read only as events that happened or are being threatened now. Whether a cue stands is decided by the
 * context filters of policy/feedback/severe.json (story, question, hypothetical, negation, joke, quotes,
 * a compliment), which are data: words looked for before or after the cue within its clause, sentence
 * or message. Nothing here knows a particular word.
 */

/** The message read without severe events: what the joke and compliment filters consult. */
export type Mood = { sentiment: Sentiment; score: number };

export type SevereFound = { key: string; name: string; weight: number; at: number; text: string };

type Range = readonly [number, number];

/** 了 right after a cue, not as 了吗 / 了没: 孩子受伤了你们管吗 tells, 你们是被限流了吗 asks. */
const PERFECTIVE = /^.?了(?![吗么嘛没])/u;
type Match = { at: number; end: number; text: string };

/**
 * Every match of a RegExp over the whole text, found once per message and kept: the filters ask about
 * the same few word lists around every cue, and a long message has many cues.
 */
class Matches {
  private readonly memo = new Map<RegExp, Match[]>();

  constructor(readonly text: string) {}

  all(re: RegExp): Match[] {
    let found = this.memo.get(re);
    if (found === undefined) {
      found = [];
      re.lastIndex = 0;
      for (let m = re.exec(this.text); m !== null; m = re.exec(this.text)) {
        if (m[0] === "") {
          re.lastIndex += 1;
          continue;
        }
        found.push({ at: m.index, end: m.index + m[0].length, text: m[0] });
      }
      this.memo.set(re, found);
    }
    return found;
  }

  /** Matches lying wholly inside [from, to). */
  within(re: RegExp | undefined, from: number, to: number): Match[] {
    if (re === undefined) return [];
    return this.all(re).filter((m) => m.at >= from && m.end <= to);
  }

  some(re: RegExp | undefined, from: number, to: number): boolean {
    return re !== undefined && this.all(re).some((m) => m.at >= from && m.end <= to);
  }
}

function cueHits(cue: Cue, m: Matches): Match[] {
  const out = cue.literals === undefined ? [] : [...m.all(cue.literals)];
  for (const p of cue.patterns) out.push(...m.all(p));
  return out.sort((a, b) => a.at - b.at);
}

function accompanied(cue: Cue, m: Matches, at: number, end: number): boolean {
  const w = cue.with;
  if (w === undefined) return true;
  const from = Math.max(0, at - w.window);
  const to = Math.min(m.text.length, end + w.windowAfter);
  return m.some(w.literals, from, to) || w.patterns.some((p) => m.some(p, from, to));
}

function scope(f: Filter, st: Structure, at: number, length: number): Range {
  if (f.scope === "clause") return st.clauses[st.clauseOf[at] ?? 0] ?? [0, length];
  if (f.scope === "sentence") return st.sentences[st.sentenceOf[at] ?? 0] ?? [0, length];
  return [0, length];
}

/** Whether the filter silences the cue found at [at, end). */
function silences(
  f: Filter,
  m: Matches,
  st: Structure,
  hit: { at: number; end: number },
  firm: boolean,
  mood: Mood,
  quotes: ReadonlyMap<string, string>,
): boolean {
  if (f.when === "positive" && (mood.sentiment !== "positive" || mood.score < f.atLeast)) return false;
  if (f.when === "notNegative" && mood.sentiment === "negative") return false;
  if (firm && f.spareFirm) return false;
  if (f.perfective && PERFECTIVE.test(m.text.slice(hit.end, hit.end + 3))) return false;
  const [from, to] = scope(f, st, hit.at, m.text.length);
  if (m.some(f.unless, from, to)) return false;
  const conditions = f.before !== undefined || f.after !== undefined || f.anywhere !== undefined || f.quoted;
  if (!conditions) return true;
  if (f.quoted && quoted(m.text, hit.at, hit.end, quotes) !== undefined) return true;
  for (const w of m.within(f.before, from, hit.at))
    if (f.reach === undefined || hit.at - w.end <= f.reach) return true;
  for (const w of m.within(f.after, hit.end, to))
    if (f.reach === undefined || w.at - hit.end <= f.reach) return true;
  return m.some(f.anywhere, from, to);
}

/** The classes whose cues stand in their context, in order of first appearance. */
export function findSevere(text: string, st: Structure, lists: FeedbackLists, mood: Mood): SevereFound[] {
  const found: SevereFound[] = [];
  const m = new Matches(text);
  for (const k of lists.severe) {
    let first: { at: number; text: string } | undefined;
    for (const cue of k.cues) {
      for (const h of cueHits(cue, m)) {
        if (first !== undefined && h.at >= first.at) break;
        if (!accompanied(cue, m, h.at, h.end)) continue;
        const applies = (f: Filter) => f.only === undefined || f.only.has(k.key);
        if (lists.filters.some((f) => applies(f) && silences(f, m, st, h, cue.firm, mood, lists.quotes)))
          continue;
        first = h;
        break;
      }
    }
    if (first !== undefined) found.push({ key: k.key, name: k.name, weight: k.weight, ...first });
  }
  return found.sort((a, b) => a.at - b.at);
}
