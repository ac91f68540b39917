import { defaultLists, type FeedbackLists, type FeedbackSource, type Kind } from "./lists.ts";
import { defaultSentimentModel, lexiconFeatures } from "./model.ts";
import { decide, type MidRating, preliminary, readSentiment, type Sentiment } from "./sentiment.ts";
import { findSevere } from "./severe.ts";
import { findSource } from "./source.ts";
import { normaliseFeedback, occurs, type Structure, scan, structure } from "./text.ts";

/**
 * Feedback classification (seeds/000 第九条(二)(三), 第十一条): sentiment, category, source platform and
 * severe events of a customer message, for the ticket it becomes. The word lists and context rules live
 * in policy/feedback/*.json so that customer service can tune them without a code change; this code only
 * knows how to match and weigh them. Deterministic; every RegExp is built when the lists load.
 */

export type { FeedbackLists, FeedbackSource, Kind, MidRating, Sentiment };

export type Classification = {
  sentiment: Sentiment;
  /** Sum of the weighed evidence; ≥ thresholds.positive is positive, ≤ thresholds.negative negative. */
  score: number;
  /** The matched words, in text order, so that people can see why (不好玩, ‘好’（反讽）, 1星). */
  reasons: string[];
  category: string;
  /** The ticket's source: platform and kind together (抖音私信), with its response rule. */
  source?: FeedbackSource;
  /** The platform the message came from (douyin, wechat_oa …), when the text names it. */
  platform?: string;
  kind?: Kind;
  /** Severe events as shown on cards (受伤, 报警, 食品安全 …), in order of first appearance. */
  severe: string[];
  /** The same events by class key (injury, police, food …). */
  severeClasses: string[];
};

/** Praise this strong is not turned into a complaint by a severe event the customer reports. */
const PRAISE = 3;

export type ClassifyOptions = {
  lists?: FeedbackLists;
  /** false: the lexicon alone (for training the model, and to compare). */
  model?: boolean;
  /** How 3星 / 中评 is filed: the rule feedback.rating.mid (default 差评, as the bot always has). */
  midRating?: MidRating;
};

export function classifyFeedback(raw: string, options: FeedbackLists | ClassifyOptions = {}): Classification {
  const o: ClassifyOptions = "tokens" in options ? { lists: options } : options;
  const lists = o.lists ?? defaultLists();
  const mid = o.midRating ?? "negative";
  const text = normaliseFeedback(raw);
  const st = structure(text);
  const read = readSentiment(text, st, lists);
  const mood = preliminary(read, lists, mid);
  const severe = findSevere(text, st, lists, mood);
  // An event is found whatever the tone, but it makes the message a complaint only when the customer
  // complains: not in a polite request with no complaint in it (扭到脚了，想问下能不能报意外险？), nor
  // in praise of how the store handled it (插座冒烟，店员马上疏散了大家，靠谱).
  const complains = read.evidence.reduce((sum, e) => sum + Math.min(0, e.value), 0) <= -1;
  const asking = !complains && occurs(lists.polite, text);
  const praising = mood.sentiment === "positive" && mood.score >= PRAISE;
  const extra = severe
    .filter((s) => s.weight > 0 && !asking && !praising && !read.asked.has(st.clauseOf[s.at] ?? 0))
    .map((s) => ({ at: s.at, clause: st.clauseOf[s.at] ?? 0, value: -s.weight, reason: s.text }));
  const verdict = decide(read, extra, lists, mid);
  const { platform, kind, source } = findSource(text, st, lists);

  // The trained reader has the last word, except on a middle rating, which the rule decides.
  const model = o.model === false ? undefined : defaultSentimentModel();
  const sentiment =
    model === undefined || read.ratings.some((r) => r.mid)
      ? verdict.sentiment
      : model.classify(raw, lexiconFeatures(verdict.sentiment, verdict.score, severe.length > 0));

  const result: Classification = {
    sentiment,
    score: verdict.score,
    reasons: verdict.reasons,
    category: category(text, st, verdict.perClause, sentiment, lists),
    severe: severe.map((s) => s.name),
    severeClasses: severe.map((s) => s.key),
  };
  if (source !== undefined) result.source = source;
  if (platform !== undefined) result.platform = platform.key;
  if (kind !== undefined) result.kind = kind;
  return result;
}

/**
 * The category with the most keyword hits; a hit in a clause that carries the message's sentiment counts
 * triple, so “剧本挺好的，但DM太敷衍” is about the DM. Ties go to the data-file order.
 */
function category(
  text: string,
  st: Structure,
  perClause: ReadonlyMap<number, number>,
  sentiment: Sentiment,
  lists: FeedbackLists,
): string {
  const sign = sentiment === "positive" ? 1 : sentiment === "negative" ? -1 : 0;
  const scores = new Array<number>(lists.categoryNames.length).fill(0);
  for (const h of scan(text, lists.categories)) {
    const inClause = perClause.get(st.clauseOf[h.at] ?? 0) ?? 0;
    const aligned = sign !== 0 && Math.sign(inClause) === sign;
    scores[h.value] = (scores[h.value] ?? 0) + (aligned ? 3 : 1);
  }
  let best = -1;
  let bestScore = 0;
  scores.forEach((s, i) => {
    const weighted = s * (lists.categoryWeights[i] ?? 1);
    if (weighted > bestScore) {
      best = i;
      bestScore = weighted;
    }
  });
  return lists.categoryNames[best] ?? lists.defaultCategory;
}
