import { printCompliance, scoreCompliance } from "./compliance.ts";
import { printFeedback, printFeedbackMisses, scoreFeedback } from "./feedback.ts";

/**
 * npm run eval: the judgement scored on both halves of the corpora. `--misses` lists the tuning half's
 * mistakes (never the held-out half's: reading those would turn it into a second tuning half).
 */
const showMisses = process.argv.includes("--misses");

for (const half of ["tuning", "heldout"] as const) {
  const s = scoreCompliance(half);
  console.log(printCompliance(s).join("\n"));
  if (showMisses && half === "tuning")
    for (const m of s.misses)
      console.log(
        `    ✗ ${m.post.id} [${m.post.labels.join(",") || "clean"}] found ${m.found.join(" ") || "-"} :: ${m.post.title} ${m.post.body.replace(/\n/g, " ").slice(0, 160)}`,
      );
}
console.log("");
for (const half of ["tuning", "heldout"] as const) {
  const s = scoreFeedback(half);
  console.log(printFeedback(s).join("\n"));
  if (showMisses && half === "tuning") console.log(printFeedbackMisses(s).join("\n"));
}
