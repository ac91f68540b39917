import type { Services } from "../services.ts";

/** The exam's pass mark (percent of right answers, at most 100) as the policy sets it. */
export const passMark = (services: Services) => Math.min(100, services.policy.count("exam.pass"));
/** Questions per attempt, at least one. */
export const questionCount = (services: Services) => Math.max(1, services.policy.count("exam.count"));
/** Fewest right answers that pass `total` questions at `pct` percent. */
export const needed = (total: number, pct: number) => Math.ceil((total * pct) / 100);
