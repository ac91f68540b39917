import type { Feature } from "../feature.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { nextCronTime } from "../sla/digest.ts";
import { kpiCommand } from "./commands.ts";
import { engagementMessage, engagementWarnings } from "./engagement.ts";
import { kpiSection } from "./report.ts";

export const TIMER_ENGAGEMENT = "kpi.engagement";

/**
 * KPI (《制度》第十五条): `/kpi`, the monthly report's 考核指标 section, and the weekly
 * 互动率 check (附件 004 5.3) on a durable timer re-armed after each run like the digest.
 */
export const kpi: Feature = {
  name: "kpi",
  apply(r, services) {
    r.command(kpiCommand);
    r.reportSection(kpiSection);
    const arm = (from: number) =>
      services.timers.schedule(
        TIMER_ENGAGEMENT,
        "weekly",
        nextCronTime(services.policy.get("kpi.engagement.cron"), from, services.tz),
      );
    services.timers.on(TIMER_ENGAGEMENT, (t) => {
      if (deferIfQuiet(t, services.clock.now(), services)) return; // a cron set inside quiet hours waits
      const lines = engagementWarnings(services, t.fireAt);
      if (lines.length > 0)
        services.outbound.toGroups("ops", { type: "text", text: engagementMessage(lines) });
      arm(services.clock.now());
    });
    services.policy.onChange((key) => {
      if (key === "kpi.engagement.cron") arm(services.clock.now());
    });
    if (!services.timers.pending(TIMER_ENGAGEMENT, "weekly")) arm(services.clock.now());
  },
};
