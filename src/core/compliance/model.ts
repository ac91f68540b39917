import { existsSync, readFileSync } from "node:fs";
import { FeatureTable, features } from "../text/features.ts";
import type { Prepared } from "../text/prepare.ts";

/**
 * A second reader beside the rules: logistic regressions over the characters (pairs and triples) and
 * jieba words of a post, trained by `npm run eval:train` on the tuning half of test/corpus/ only, stored
 * as data in policy/compliance/model.json. Rules name the words and the clause; the model catches what no
 * list foresaw (a competitor attacked in new words, a new way to sell chips for cash) and vetoes a rule
 * that fires on text that reads as clean. Thresholds are data too, chosen on the tuning half by
 * leave-one-writer-out (each writer's posts scored by a model that never saw that writer).
 */

export type ModelFile = {
  labels: string[];
  bias: number[];
  /** Feature → one weight per label (0 where absent). */
  weights: Record<string, number[]>;
  /** Below `veto` the post reads as clean and plain rule findings are dropped; above `alone` the model flags on its own. */
  thresholds: { veto: number; alone: number; category: number; minChars: number };
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export const MODEL_FILE = new URL("../../../policy/compliance/model.json", import.meta.url);

export class ComplianceModel {
  /** Weights as typed arrays in a Map: a plain object of ~20k keys is a slow dictionary to look up. */
  private readonly weights: Map<string, Float64Array>;
  private readonly table: FeatureTable<Float64Array>;

  private constructor(private readonly m: ModelFile) {
    this.weights = new Map(Object.entries(m.weights).map(([f, w]) => [f, Float64Array.from(w)]));
    this.table = new FeatureTable(this.weights);
  }

  /** The model, or undefined when none has been trained (the rules then work alone). */
  static load(file: URL | string = MODEL_FILE): ComplianceModel | undefined {
    if (!existsSync(file)) return undefined;
    return new ComplianceModel(JSON.parse(readFileSync(file, "utf8")) as ModelFile);
  }

  get thresholds(): ModelFile["thresholds"] {
    return this.m.thresholds;
  }

  /**
   * Probability that the post violates anything, and a way to get the per-category probabilities when
   * they are needed (only when the model flags alone: the common path sums one weight per feature).
   */
  predict(p: Prepared): { any: number; categories: () => Map<string, number> } {
    const found: Float64Array[] = [];
    let z = this.m.bias[0] ?? 0;
    this.table.forEachIn(p.canon.text, p.words, (w) => {
      found.push(w);
      z += w[0] ?? 0;
    });
    const categories = () => {
      const out = new Map<string, number>();
      this.m.labels.forEach((label, k) => {
        if (k === 0) return;
        let zk = this.m.bias[k] ?? 0;
        for (const w of found) zk += w[k] ?? 0;
        out.set(label, sigmoid(zk));
      });
      return out;
    };
    return { any: sigmoid(z), categories };
  }

  /**
   * The sentence that weighs most toward `label`, as [start, end) in the canonical view: what a reviewer
   * is pointed at when the model flags a post on its own.
   */
  strongestSentence(p: Prepared, label: string): [number, number] {
    const k = this.m.labels.indexOf(label);
    const text = p.canon.text;
    let best: [number, number] = [0, Math.min(text.length, 40)];
    let bestScore = Number.NEGATIVE_INFINITY;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length && !/[。！？!?\n]/.test(text.charAt(i))) continue;
      if (i > start) {
        const s = features(text.slice(start, i), []).reduce(
          (sum, f) => sum + (this.weights.get(f)?.[k] ?? 0),
          0,
        );
        if (s > bestScore) {
          bestScore = s;
          best = [start, i];
        }
      }
      start = i + 1;
    }
    return best;
  }
}
