import type { FeedbackLists, Token } from "./lists.ts";
import { atClauseStart, gap, type Hit, quoted, type Structure, scan } from "./text.ts";

/**
 * Sentiment as a lexicon score: each praise or complaint word adds its weight, modified by what precedes
 * it in the same clause — a negator (不好玩), an intensifier (太差), a sarcasm marker (好一个…, ‘好’ in
 * quotes) — or follows it (代入感都没有), and by where it stands (before 但是 / a clause-initial 就是,
 * inside a question or request). A rating (1–5星, N分) decides when one is given.
 */

export type Sentiment = "positive" | "neutral" | "negative";

/** How a middle rating (3星, 中评) is filed: the rule feedback.rating.mid. */
export type MidRating = "negative" | "neutral";

export type Evidence = { at: number; clause: number; value: number; reason: string };

export type SentimentRead = {
  evidence: Evidence[];
  /** Ratings in text order; `mid` ones are decided by the rule. */
  ratings: { at: number; value: number; mid: boolean; reason: string }[];
  lastContrast: number;
  /** Clauses that ask: praise there asks about praise, a refund there is asked for. */
  asked: Set<number>;
  /** Clauses that request something (想、麻烦、申请). */
  requested: Set<number>;
};

/** How far a negator reaches (不是我们想要的… no; 没有任何隐形消费 yes) and an intensifier (太TM差). */
const NEGATION_REACH = 2;
const INTENSITY_REACH = 1;
const MAX_INTENSITY = 2;
/** The middle rating's weight when it is read as a complaint (as the bot has always filed it). */
const MID_AS_COMPLAINT = -1.5;
/** How much the part after the last contrast must weigh to decide alone. */
const AFTER_CONTRAST = 0.5;

type Modifier = { at: number; end: number; clause: number; factor: number };

export function readSentiment(text: string, st: Structure, lists: FeedbackLists): SentimentRead {
  const hits = scan(text, lists.tokens);
  const asked = new Set(st.asked);
  const requested = new Set<number>();
  const rhetorical = new Set<number>();
  for (const h of hits) {
    const k = h.value.kind;
    const clause = st.clauseOf[h.at] ?? 0;
    if (k === "question") asked.add(clause);
    if (k === "request") requested.add(clause);
    if (k === "rhetorical") rhetorical.add(clause);
  }
  // “过期两个月了？？？” “这也行？！”: doubled marks are indignation, not a question.
  st.clauses.forEach(([, end], i) => {
    const next = text.charAt(end);
    if (text.charAt(end - 1) === "?" && (next === "?" || next === "!")) rhetorical.add(i);
    if (text.charAt(end - 1) === "!" && next === "?") rhetorical.add(i);
  });
  for (const c of rhetorical) asked.delete(c);
  // Thanks in a message that asks for something is politeness (麻烦帮看一下，谢谢), not praise.
  const polite = asked.size > 0 || requested.size > 0;

  const evidence: Evidence[] = [];
  const ratings: SentimentRead["ratings"] = [];
  const ambivalent: Hit<Token>[] = [];
  let lastContrast = -1;
  let negator: Modifier | undefined;
  let intensity: Modifier | undefined;
  let flip: { evidence: Evidence; text: string } | undefined;
  let last: { evidence: Evidence; end: number } | undefined;

  for (const h of hits) {
    const t = h.value;
    const clause = st.clauseOf[h.at] ?? 0;
    const reaches = (m: Modifier | undefined, reach: number): m is Modifier =>
      m !== undefined && m.clause === clause && gap(text, m.end, h.at) <= reach;
    if (flip !== undefined && flip.evidence.clause !== clause) flip = undefined;

    switch (t.kind) {
      case "neutral":
      case "question":
      case "request":
        continue;
      case "contrast":
        lastContrast = h.at;
        continue;
      case "contrastStart":
        if (atClauseStart(text, h.at)) lastContrast = h.at;
        continue;
      case "negator": {
        if (reaches(negator, 0)) {
          negator = undefined; // 没有不好的地方, 不是不好玩: two negators cancel
          continue;
        }
        const chain = reaches(intensity, INTENSITY_REACH) ? intensity : undefined;
        negator = { at: chain?.at ?? h.at, end: h.end, clause, factor: t.value };
        if (chain) chain.end = h.end; // 一点都不坑: the intensifier reaches over the negator
        continue;
      }
      case "postNegator": {
        // 一点代入感都没有: the sentiment word just before is negated.
        if (last !== undefined && last.evidence.clause === clause && gap(text, last.end, h.at) <= 1) {
          const e = last.evidence;
          e.value *= e.value > 0 ? -t.value : -t.value * lists.negatedComplaint;
          e.reason = text.slice(e.at, h.end);
          last = undefined;
        }
        continue;
      }
      case "intensifier": {
        const chain = reaches(intensity, INTENSITY_REACH) ? intensity : undefined;
        intensity = chain
          ? { ...chain, end: h.end, factor: Math.min(MAX_INTENSITY, chain.factor * t.value) }
          : { at: h.at, end: h.end, clause, factor: t.value };
        if (reaches(negator, NEGATION_REACH)) negator.end = h.end; // 不是特别好
        continue;
      }
      case "ambivalent":
        ambivalent.push(h);
        continue;
      case "rating":
        if (flip !== undefined && t.value > 0) {
          // 你们说的五星服务: a mocked rating is no rating.
          flip.evidence.value -= t.value;
          flip.evidence.reason = `${flip.text}…${h.text}（反讽）`;
          flip = undefined;
          continue;
        }
        ratings.push({ at: h.at, value: t.value, mid: t.mid, reason: midReason(h.text, t.mid) });
        continue;
      case "rhetorical":
      case "sarcasm":
        evidence.push({ at: h.at, clause, value: t.value, reason: h.text });
        continue;
      case "flip": {
        const e = { at: h.at, clause, value: t.value, reason: h.text };
        evidence.push(e);
        flip = { evidence: e, text: h.text };
        continue;
      }
      case "positive":
      case "negative": {
        if (t.ask && (asked.has(clause) || requested.has(clause))) continue; // 改期了想退款, 能退吗: a request, not a complaint
        if (t.polite && polite) continue;
        let value = t.value;
        let from = h.at;
        const intense = reaches(intensity, INTENSITY_REACH) ? intensity : undefined;
        const negated = reaches(negator, NEGATION_REACH) ? negator : undefined;
        negator = undefined;
        intensity = undefined;
        if (intense) {
          value *= intense.factor;
          from = Math.min(from, intense.at);
        }
        if (negated && !t.fixed) {
          value *= value > 0 ? -negated.factor : -negated.factor * lists.negatedComplaint;
          from = Math.min(from, negated.at);
        }
        let reason = text.slice(from, h.end);
        if (value < 0 && asked.has(clause)) value *= lists.askedComplaint;
        if (value > 0) {
          const inQuotes = quoted(text, h.at, h.end, lists.quotes);
          if (flip !== undefined) {
            // 好一个沉浸式体验: the marker and the praise it mocks become one piece of evidence.
            flip.evidence.value -= value;
            flip.evidence.reason = `${flip.text}…${h.text}（反讽）`;
            flip = undefined;
            continue;
          }
          if (inQuotes !== undefined) {
            value = -value * lists.quoteFactor;
            reason = `${inQuotes}（反讽）`;
          } else if (withinQuotation(text, h.at, h.end, lists.quotes)) {
            continue; // 店长说“这是沉浸式互动”: someone else's words, not the customer's praise
          } else if (asked.has(clause)) {
            continue; // praise words inside a question ask about, not give, praise
          }
        }
        const e = { at: from, clause, value, reason };
        evidence.push(e);
        last = { evidence: e, end: h.end };
        continue;
      }
    }
  }

  // Ambivalent praise (绝了, 厉害了) mocks when the rest of the message complains.
  const complaint = evidence.reduce((sum, e) => sum + Math.min(0, e.value), 0) <= -1;
  for (const h of ambivalent) {
    const clause = st.clauseOf[h.at] ?? 0;
    const inQuotes = quoted(text, h.at, h.end, lists.quotes);
    if (complaint || inQuotes !== undefined) {
      evidence.push({ at: h.at, clause, value: -h.value.mock, reason: `${inQuotes ?? h.text}（反讽）` });
    } else if (h.value.value > 0 && !asked.has(clause)) {
      evidence.push({ at: h.at, clause, value: h.value.value, reason: h.text });
    }
  }
  return { evidence, ratings, lastContrast, asked, requested };
}

/** A middle rating says so in its reason (3星（中评）), once (中评). */
function midReason(text: string, mid: boolean): string {
  return !mid || text.includes("中评") ? text : `${text}（中评）`;
}

/** How far a quotation may stretch around a word and still be read as one quotation. */
const QUOTATION_REACH = 40;

/** True when [at, end) stands inside a quotation of the same sentence (reported speech). */
function withinQuotation(
  text: string,
  at: number,
  end: number,
  quotes: ReadonlyMap<string, string>,
): boolean {
  for (let i = at - 1; i >= Math.max(0, at - QUOTATION_REACH); i--) {
    const ch = text.charAt(i);
    if (ch === "。" || ch === "\n") return false;
    const close = quotes.get(ch);
    if (close === undefined || close === ch) continue; // a symmetric pair ("…") cannot tell open from close
    if (text.slice(i + 1, at).includes(close)) return false;
    const after = text.slice(end, end + QUOTATION_REACH).indexOf(close);
    return after >= 0;
  }
  return false;
}

const round = (n: number) => Math.round(n * 100) / 100 + 0; // + 0 turns -0 into 0

export type Verdict = {
  sentiment: Sentiment;
  score: number;
  reasons: string[];
  /** Weighed evidence per clause, for the category. */
  perClause: Map<number, number>;
};

/**
 * The verdict from the evidence (plus any severe events found): before the last contrast counts less;
 * a rating, when given, decides; otherwise the score against the thresholds.
 */
export function decide(
  read: SentimentRead,
  extra: readonly Evidence[],
  lists: FeedbackLists,
  mid: MidRating,
): Verdict {
  // A severe event (extra) is not softened by a 但是 after it: it happened all the same.
  const evidence = read.evidence.map((e) =>
    e.at < read.lastContrast ? { ...e, value: e.value * lists.contrastBefore } : e,
  );
  evidence.push(...extra);
  const rating = read.ratings[0];
  for (const r of read.ratings) {
    const value = r.mid ? (mid === "negative" ? MID_AS_COMPLAINT : 0) : r.value;
    evidence.push({ at: r.at, clause: -1, value, reason: r.reason });
  }
  let score = 0;
  const perClause = new Map<number, number>();
  for (const e of evidence) {
    score += e.value;
    perClause.set(e.clause, (perClause.get(e.clause) ?? 0) + e.value);
  }
  score = round(score);
  // The point of the message follows its last 但是 / 就是: when that part says something, it decides
  // (本子不错，就是前台态度差). A severe event anywhere keeps the full score in charge.
  let after = 0;
  if (read.lastContrast >= 0 && extra.length === 0)
    for (const e of read.evidence) if (e.at > read.lastContrast) after += e.value;
  const bySign = (n: number): Sentiment => (n > 0 ? "positive" : n < 0 ? "negative" : "neutral");
  const sentiment: Sentiment =
    rating !== undefined
      ? rating.mid
        ? mid
        : bySign(rating.value)
      : Math.abs(after) >= AFTER_CONTRAST
        ? bySign(after)
        : score >= lists.thresholds.positive
          ? "positive"
          : score <= lists.thresholds.negative
            ? "negative"
            : "neutral";
  const reasons = [
    ...new Set(
      evidence
        .filter((e) => round(e.value) !== 0 || e.clause === -1)
        .sort((a, b) => a.at - b.at)
        .map((e) => e.reason),
    ),
  ];
  return { sentiment, score, reasons, perClause };
}

/** The verdict without severe events, which the severe filters consult (a compliment, a joke). */
export function preliminary(
  read: SentimentRead,
  lists: FeedbackLists,
  mid: MidRating,
): { sentiment: Sentiment; score: number } {
  const v = decide(read, [], lists, mid);
  return { sentiment: v.sentiment, score: v.score };
}
