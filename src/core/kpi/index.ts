import type { Core } from "../core.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { nextCronTime } from "../sla/digest.ts";
import { kpiCommand } from "./commands.ts";
import { engagementMessage, engagementWarnings } from "./engagement.ts";
import { kpiSection } from "./report.ts";

export const TIMER_ENGAGEMENT = "kpi.engagement";

/**
 * KPI (《制度》第十五条) plugged into the core: `/kpi`, the monthly report's 考核指标 section, and the weekly
 * 互动率 check (附件 004 5.3) on a durable timer re-armed after each run like the digest.
 */
export function registerKpi(core: Core): void {
  core.commands.add(kpiCommand);
  core.reportSections.push(kpiSection);
  const arm = (from: number) =>
    core.timers.schedule(
      TIMER_ENGAGEMENT,
      "weekly",
      nextCronTime(core.policy.get("kpi.engagement.cron"), from, core.tz),
    );
  core.timers.on(TIMER_ENGAGEMENT, (t) => {
    if (deferIfQuiet(t, core.clock.now(), core.reviewDeps)) return; // a cron set inside quiet hours waits
    const lines = engagementWarnings(core, t.fireAt);
    if (lines.length > 0) core.outbound.toGroups("ops", { type: "text", text: engagementMessage(lines) });
    arm(core.clock.now());
  });
  core.policy.onChange((key) => {
    if (key === "kpi.engagement.cron") arm(core.clock.now());
  });
  if (!core.timers.pending(TIMER_ENGAGEMENT, "weekly")) arm(core.clock.now());
}
