import type { Core } from "../core.ts";
import { metricCommands } from "./commands.ts";
import { registerDutyTimers, startDuty } from "./duties.ts";

/**
 * Metrics (seeds/000 第十条) plugged into the core: /metric and /target, and the post-publish data rule (seeds/003 三.1):
 * a publication starts the duty, /metric #n ends it, the timers remind and record the breach.
 */
export function registerMetrics(core: Core): void {
  core.commands.add(...metricCommands);
  registerDutyTimers(core.reviewDeps);
  core.review.onPublished((itemId, platform, at) => startDuty(core.reviewDeps, itemId, platform, at));
}
