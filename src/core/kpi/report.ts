import type { Section } from "../reports/format.ts";
import type { Period } from "../reports/period.ts";
import type { Services } from "../services.ts";
import { computeKpi, kpiLine } from "./kpi.ts";

/** People listed in the report's KPI section; more are counted (the whole list is /kpi 部门). */
const REPORT_PEOPLE = 10;

/**
 * 考核指标 in the monthly report (《制度》第十五条): the department's five KPI and each person's. Only when
 * something could be judged, so a month with nothing to measure leaves the report as it was.
 */
export function kpiSection(services: Services, p: Period): Section | undefined {
  if (p.kind !== "month") return undefined;
  const k = computeKpi(services, p, services.clock.now());
  const t = k.total;
  if (t.publish.n + t.firstPass.n + t.response.n + t.crisis.n + t.violations === 0) return undefined;
  const shown = k.people.slice(0, REPORT_PEOPLE);
  const lines = [`部门：${kpiLine(t)}`, ...shown.map((x) => `${x.name}：${kpiLine(x.row)}`)];
  if (k.people.length > shown.length)
    lines.push(`…另有 ${k.people.length - shown.length} 人，发送 /kpi 部门 ${p.label} 查看`);
  return { title: "考核指标", lines };
}
