import { describe, expect, it } from "vitest";
import { scoreCompliance } from "../../eval/compliance.ts";
import { prf } from "../../eval/score.ts";

/**
 * Floors on the held-out half of the judgement corpora (test/corpus/, split by writer): texts that
 * tuning never read. A change to the rules or the model that costs judgement on unseen text fails here.
 * `npm run eval` prints both halves in full.
 */
describe("judgement on held-out text", () => {
  it("compliance pre-check, per post: precision and recall ≥ 0.90", () => {
    const s = scoreCompliance("heldout");
    const { p, r } = prf(s.perPost);
    expect(s.size).toBeGreaterThanOrEqual(300);
    expect(s.clean).toBeGreaterThanOrEqual(100);
    expect(p).toBeGreaterThanOrEqual(0.9);
    expect(r).toBeGreaterThanOrEqual(0.9);
  });
});
