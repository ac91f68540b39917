import type { Feature } from "../feature.ts";
import { reviewService } from "../review/api.ts";
import { dutyBreaches } from "./breaches.ts";
import { metricCommands } from "./commands.ts";
import { registerDutyTimers, startDuty } from "./duties.ts";
import { withSubmitTargets } from "./submit-targets.ts";

/**
 * 数据台账 (seeds/000 第十条): /metric and /target, the 目标 words of /submit, and the post-publish data
 * rule (seeds/003 三.1): a publication starts the duty, /metric #n ends it, the timers remind and record the breach.
 */
export const metrics: Feature = {
  name: "metrics",
  apply(r, services) {
    r.command(...metricCommands);
    r.wrapCommand("submit", withSubmitTargets);
    registerDutyTimers(services);
    r.need(reviewService).engine.onPublished((itemId, platform, at) =>
      startDuty(services, itemId, platform, at),
    );
    r.breaches(dutyBreaches);
  },
};
