import { describe, expect, it } from "vitest";
import { scoreCompliance } from "../../eval/compliance.ts";
import { scoreFeedback } from "../../eval/feedback.ts";
import { prf } from "../../eval/score.ts";

/**
 * Floors on the held-out half of the judgement corpora (test/corpus/, split by writer): texts that
 * tuning never read. A change to the rules or the models that costs judgement on unseen text fails here.
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

  it("feedback: severe events recall ≥ 0.95 at precision ≥ 0.85; sentiment as filed ≥ 0.88", () => {
    const s = scoreFeedback("heldout");
    const severe = prf(s.severe);
    expect(severe.r).toBeGreaterThanOrEqual(0.95);
    expect(severe.p).toBeGreaterThanOrEqual(0.85);
    // As filed by default (中评/3星 → 差评, the rule feedback.rating.mid); the corpus reads them as 中性.
    // 0.88 is the floor today, below the 0.90 target: see docs/feedback.md.
    expect(s.correct / s.size).toBeGreaterThanOrEqual(0.88);
    expect((s.correct + s.midRating) / s.size).toBeGreaterThanOrEqual(0.9);
    expect(s.platformRight).toBe(s.platformNamed);
  });
});
