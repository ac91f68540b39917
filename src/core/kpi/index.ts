import { cronJob } from "../cron-job.ts";
import type { Feature } from "../feature.ts";
import { deferIfQuiet } from "../sla/defer.ts";
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
    cronJob(services, {
      kind: TIMER_ENGAGEMENT,
      ref: "weekly",
      rule: "kpi.engagement.cron",
      run: (t) => {
        if (deferIfQuiet(t, services.clock.now(), services)) return false; // a cron set inside quiet hours waits
        const lines = engagementWarnings(services, t.fireAt);
        if (lines.length > 0)
          services.outbound.toGroups("ops", { type: "text", text: engagementMessage(lines) });
        return true;
      },
    });
  },
};
