import { writeFileSync } from "node:fs";
import {
  lexiconFeatures,
  messageFeatures,
  SENTIMENT_MODEL_FILE,
  type SentimentModelFile,
} from "../src/core/feedback/classify/model.ts";
import { classifyFeedback } from "../src/core/feedback/classify.ts";
import { messages } from "./corpus.ts";

/**
 * The sentiment model, fitted on the TUNING half only (softmax regression over the message's character
 * n-grams and words plus the lexicon's verdict), written to policy/feedback/model.json. Deterministic.
 * Leave-one-writer-out on the tuning half is printed beside the lexicon alone; the held-out half is never
 * read here.
 */

const CLASSES = ["positive", "neutral", "negative"] as const;
const EPOCHS = 20;
const RATE = 0.1;
const L2 = 1e-3;
const MIN_DF = 2;

type Example = { writer: string; y: number; feats: string[]; lexicon: number; mid: boolean };

const all: Example[] = messages("tuning").map((m) => {
  const c = classifyFeedback(m.text, { model: false });
  return {
    writer: m.id.split("-")[0] ?? "",
    y: CLASSES.indexOf(m.sentiment),
    feats: messageFeatures(m.text, lexiconFeatures(c.sentiment, c.score, c.severe.length > 0)),
    lexicon: CLASSES.indexOf(c.sentiment),
    // A middle rating is decided by the rule, never by the model: such messages teach it nothing.
    mid: /(^|[^0-9])3\s*(星|分)|三星|中评/.test(m.text),
  };
});

function fitModel(train: readonly Example[]): { bias: number[]; weights: Map<string, number[]> } {
  const bias = [0, 0, 0];
  const weights = new Map<string, number[]>();
  for (let e = 0; e < EPOCHS; e++)
    for (const ex of train) {
      const z = [...bias];
      for (const f of ex.feats) {
        const w = weights.get(f);
        if (w) for (let k = 0; k < 3; k++) z[k] = (z[k] ?? 0) + (w[k] ?? 0);
      }
      const top = Math.max(...z);
      const exp = z.map((v) => Math.exp(v - top));
      const sum = exp.reduce((a, b) => a + b, 0);
      const g = exp.map((v, k) => v / sum - (k === ex.y ? 1 : 0));
      for (let k = 0; k < 3; k++) bias[k] = (bias[k] ?? 0) - RATE * (g[k] ?? 0);
      for (const f of ex.feats) {
        let w = weights.get(f);
        if (!w) {
          w = [0, 0, 0];
          weights.set(f, w);
        }
        for (let k = 0; k < 3; k++) w[k] = (w[k] ?? 0) - RATE * ((g[k] ?? 0) + L2 * (w[k] ?? 0));
      }
    }
  return { bias, weights };
}

function predict(m: ReturnType<typeof fitModel>, ex: Example): number {
  const z = [...m.bias];
  for (const f of ex.feats) {
    const w = m.weights.get(f);
    if (w) for (let k = 0; k < 3; k++) z[k] = (z[k] ?? 0) + (w[k] ?? 0);
  }
  return z.indexOf(Math.max(...z));
}

const usable = all.filter((ex) => !ex.mid);
const writers = [...new Set(usable.map((ex) => ex.writer))];
let lexiconRight = 0;
let modelRight = 0;
for (const w of writers) {
  const m = fitModel(usable.filter((ex) => ex.writer !== w));
  for (const ex of usable.filter((e) => e.writer === w)) {
    if (ex.lexicon === ex.y) lexiconRight += 1;
    if (predict(m, ex) === ex.y) modelRight += 1;
  }
}
console.log(
  `sentiment, leave-one-writer-out on the tuning half (${writers.length} writers, ${usable.length} messages ` +
    `without a middle rating): lexicon ${(lexiconRight / usable.length).toFixed(3)} (flattered: written ` +
    `while reading them), model ${(modelRight / usable.length).toFixed(3)}`,
);

const df = new Map<string, number>();
for (const ex of usable) for (const f of ex.feats) df.set(f, (df.get(f) ?? 0) + 1);
const final = fitModel(
  usable.map((ex) => ({ ...ex, feats: ex.feats.filter((f) => (df.get(f) ?? 0) >= MIN_DF) })),
);
const round = (n: number) => Math.round(n * 1000) / 1000;
const weights: Record<string, number[]> = {};
for (const [f, w] of [...final.weights].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  if (w.some((v) => Math.abs(v) >= 0.005)) weights[f] = w.map(round);
const file: SentimentModelFile = { classes: [...CLASSES], bias: final.bias.map(round), weights };
writeFileSync(SENTIMENT_MODEL_FILE, `${JSON.stringify(file)}\n`);
console.log(`wrote ${Object.keys(weights).length} features × ${CLASSES.length} classes`);
