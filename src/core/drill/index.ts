import { eq } from "drizzle-orm";
import { crisisDrills } from "../../store/schema/index.ts";
import { crisisService } from "../crisis/api.ts";
import { isDrill } from "../crisis/drill-mark.ts";
import type { Feature } from "../feature.ts";
import { describeDuration, formatDateTime } from "../time.ts";
import { drillCommand } from "./commands.ts";
import { drillReportText, lastDrillOrSetup } from "./report.ts";

/**
 * 危机演练 (《制度》第十四条(二)4：每年组织一次运营危机处置模拟演练): `/drill`, the
 * drill report when a drill is closed (to the crisis group and kept with the drill, which the archive
 * copies), and a digest line once `drill.interval` (365 天) passed without one.
 */
export const drill: Feature = {
  name: "drill",
  apply(r, services) {
    r.command(drillCommand);
    services.policy.setChoices("drill.escalate", ["开", "关"]);
    r.need(crisisService).onClosed((c, crisisId) => {
      if (!isDrill(c.db, crisisId)) return;
      const now = c.clock.now();
      const report = drillReportText(c, crisisId, now);
      c.db
        .update(crisisDrills)
        .set({ endedAt: now, report })
        .where(eq(crisisDrills.crisisId, crisisId))
        .run();
      c.outbound.toGroups("crisis", { type: "text", text: report });
    });
    r.digestSection((c, now) => {
      const since = lastDrillOrSetup(c);
      const interval = c.policy.durationMs("drill.interval");
      if (!since || now - since.at < interval) return undefined;
      const what = since.drill ? `上次演练 ${formatDateTime(since.at, c.tz)}` : "还没有进行过演练";
      return {
        label: "危机演练",
        lines: [
          `已超过 ${describeDuration(interval)} 没有危机演练（${what}；《制度》第十四条(二)4：每年组织一次），请用 /drill 2 [说明] 安排演练`,
        ],
      };
    });
  },
};
