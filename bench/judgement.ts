import { performance } from "node:perf_hooks";
import { messages, posts } from "../eval/corpus.ts";

/**
 * The judgement's cost: the compliance check per 1,000-character post, the feedback classifier per
 * message (both over the tuning corpora, repeated), and what loading the rule files and the segmenter's
 * dictionaries adds to start-up. Runs first in the bench so that nothing has loaded them yet.
 */
export type JudgementBench = { loadMs: number; checkMsPer1000: number; classifyMs: number };

export async function benchJudgement(): Promise<JudgementBench> {
  const t0 = performance.now();
  const { checkCompliance, defaultComplianceRules } = await import("../src/core/compliance/check.ts");
  const { warmUp } = await import("../src/core/text/segment.ts");
  const { classifyFeedback } = await import("../src/core/feedback/classify.ts");
  defaultComplianceRules();
  warmUp();
  classifyFeedback("开店");
  const loadMs = performance.now() - t0;

  // Posts glued to ~1,000 characters each, as a long 公众号 article would be.
  const all = posts("tuning").map((p) => `${p.title}\n${p.body}`);
  const drafts: string[] = [];
  let draft = "";
  for (const p of all) {
    draft += `${p}\n`;
    if (draft.length >= 1000) {
      drafts.push(draft.slice(0, 1000));
      draft = "";
    }
  }
  for (const d of drafts) checkCompliance({ title: "", body: d, isAd: false }); // warm the JIT
  const rounds = 5;
  let t = performance.now();
  for (let r = 0; r < rounds; r++)
    for (const d of drafts) checkCompliance({ title: "", body: d, isAd: true });
  const checkMsPer1000 = (performance.now() - t) / (rounds * drafts.length);

  const texts = messages("tuning").map((m) => m.text);
  for (const m of texts) classifyFeedback(m);
  t = performance.now();
  for (let r = 0; r < rounds * 4; r++) for (const m of texts) classifyFeedback(m);
  const classifyMs = (performance.now() - t) / (rounds * 4 * texts.length);
  return { loadMs, checkMsPer1000, classifyMs };
}
