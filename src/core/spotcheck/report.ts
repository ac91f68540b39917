import { and, gte, lt, sql } from "drizzle-orm";
import { rectifications } from "../../store/schema/index.ts";
import type { Section } from "../reports/format.ts";
import type { Period } from "../reports/period.ts";
import type { Services } from "../services.ts";
import { spotCounts } from "./sample.ts";

/**
 * 监督检查 in the monthly report (《制度》第十三条): the month's spot checks (合格 / 不合格 / 待判定) and
 * the 整改通知 issued in it (confirmed, done on time, overdue). Only when a check was decided or a notice
 * issued, so a month of samples nobody judged does not change the report.
 */
export function supervisionSection(services: Services, p: Period): Section | undefined {
  if (p.kind !== "month") return undefined;
  const spot = spotCounts(services, p.start, p.end);
  const r = services.db
    .select({
      issued: sql<number>`count(*)`,
      confirmed: sql<number>`coalesce(sum(${rectifications.status} = 'confirmed'), 0)`,
      onTime: sql<number>`coalesce(sum(${rectifications.breachedAt} is null and ${rectifications.status} != 'open'), 0)`,
      overdue: sql<number>`coalesce(sum(${rectifications.breachedAt} is not null), 0)`,
    })
    .from(rectifications)
    .where(and(gte(rectifications.createdAt, p.start), lt(rectifications.createdAt, p.end)))
    .get() ?? { issued: 0, confirmed: 0, onTime: 0, overdue: 0 };
  // Results, not a sample nobody looked at yet: a month with only pending checks adds nothing.
  if (spot.pass + spot.fail === 0 && r.issued === 0) return undefined;
  const pct = spot.pass + spot.fail > 0 ? Math.round((spot.pass * 100) / (spot.pass + spot.fail)) : undefined;
  return {
    title: "监督检查",
    lines: [
      `每日抽查 ${spot.total} 项：合格 ${spot.pass}、不合格 ${spot.fail}、待判定 ${spot.pending}${pct === undefined ? "" : `（合格率 ${pct}%）`}`,
      `整改通知 ${r.issued} 项：已确认 ${r.confirmed}、按期完成 ${r.onTime}、超期 ${r.overdue}`,
    ],
  };
}
