import type { Feature } from "../feature.ts";
import { registerReviewActions } from "./actions.ts";
import { type ReviewApi, reviewService } from "./api.ts";
import { reviewBreaches } from "./breaches.ts";
import { contentChainLabels, contentChainNames } from "./chains.ts";
import { reviewCommands } from "./commands.ts";
import { ReviewDecider } from "./decide.ts";
import { ReviewEngine } from "./engine.ts";
import { registerReviewTimers } from "./reminders.ts";

/**
 * The review chain (《制度》第五条, 第六条): /submit and its form card, 通过/驳回 by command or button, the
 * reminders and deadlines of each step, publishing, /status and the ledger.
 */
export const review: Feature = {
  name: "review",
  apply(r, services) {
    services.policy.setChoices("review.chain", contentChainNames, contentChainLabels);
    const engine = new ReviewEngine(services);
    const api: ReviewApi = { engine, decider: new ReviewDecider(services, engine) };
    r.provide(reviewService, api);
    registerReviewTimers(services, engine);
    registerReviewActions(r, api);
    r.command(...reviewCommands(api));
    r.breaches(reviewBreaches);
  },
};
