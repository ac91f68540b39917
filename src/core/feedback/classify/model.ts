import { existsSync, readFileSync } from "node:fs";
import { FeatureTable, features } from "../../text/features.ts";
import { prepare } from "../../text/prepare.ts";
import type { Sentiment } from "./sentiment.ts";

/**
 * A trained second reader of sentiment (policy/feedback/model.json, `npm run eval:train`, tuning half
 * only). It reads the lexicon's verdict as evidence among the characters and words of the message, so it
 * can keep what the lexicon knows and learn what it misses (就这？, 再也不会来了: complaints with no
 * complaint word). A 中评 / 3星 rating is never its call: the rule feedback.rating.mid decides those.
 */

export type SentimentModelFile = {
  classes: Sentiment[];
  bias: number[];
  weights: Record<string, number[]>;
};

export const SENTIMENT_MODEL_FILE = new URL("../../../../policy/feedback/model.json", import.meta.url);

/** What the lexicon said, as features: its verdict, its score (bucketed) and whether an event was found. */
export function lexiconFeatures(sentiment: Sentiment, score: number, severe: boolean): string[] {
  const bucket = Math.max(-4, Math.min(4, Math.round(score)));
  return [`lex:${sentiment}`, `score:${bucket}`, `lex:${sentiment}:sev${severe}`];
}

/** For training: every feature of a message, as strings. */
export function messageFeatures(raw: string, lexicon: readonly string[]): string[] {
  const p = prepare(raw);
  return [...features(p.canon.text, p.words), ...lexicon];
}

export class SentimentModel {
  private readonly table: FeatureTable<Float64Array>;

  private constructor(private readonly m: SentimentModelFile) {
    this.table = new FeatureTable(Object.entries(m.weights).map(([f, w]) => [f, Float64Array.from(w)]));
  }

  static load(file: URL | string = SENTIMENT_MODEL_FILE): SentimentModel | undefined {
    if (!existsSync(file)) return undefined;
    return new SentimentModel(JSON.parse(readFileSync(file, "utf8")) as SentimentModelFile);
  }

  classify(raw: string, lexicon: readonly string[]): Sentiment {
    const z = Float64Array.from(this.m.bias);
    const add = (w: Float64Array) => {
      for (let k = 0; k < z.length; k++) z[k] = (z[k] ?? 0) + (w[k] ?? 0);
    };
    const p = prepare(raw);
    this.table.forEachIn(p.canon.text, p.words, add);
    for (const f of new Set(lexicon)) {
      const w = this.table.get(f);
      if (w !== undefined) add(w);
    }
    let best = 0;
    for (let k = 1; k < z.length; k++) if ((z[k] ?? 0) > (z[best] ?? 0)) best = k;
    return this.m.classes[best] ?? "neutral";
  }
}

let loaded: SentimentModel | null | undefined;

/** The shipped model, loaded once; null when none has been trained. */
export function defaultSentimentModel(): SentimentModel | undefined {
  if (loaded === undefined) loaded = SentimentModel.load() ?? null;
  return loaded ?? undefined;
}
