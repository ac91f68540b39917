import type { Span } from "../reports/period.ts";
import type { Services } from "../services.ts";
import {
  type Count,
  crisisTimeliness,
  firstPass,
  publishTimeliness,
  type Ratio,
  responseTimeliness,
  violations,
} from "./queries.ts";

/** One person's (or the department's) KPI for a span: each rate as met / judged, 违规 as a count. */
export interface KpiRow {
  publish: { ok: number; n: number };
  firstPass: { ok: number; n: number };
  violations: number;
  response: { ok: number; n: number };
  crisis: { ok: number; n: number };
}

export interface Kpi {
  /** Per person (canonical id), people with at least one measured event, by name. */
  people: { pid: number; name: string; row: KpiRow }[];
  /** Everyone, including work nobody owns. */
  total: KpiRow;
}

const empty = (): KpiRow => ({
  publish: { ok: 0, n: 0 },
  firstPass: { ok: 0, n: 0 },
  violations: 0,
  response: { ok: 0, n: 0 },
  crisis: { ok: 0, n: 0 },
});

/** The KPI of 《制度》第十五条 for a span, per person and in total. */
export function computeKpi(d: Services, s: Span, now: number): Kpi {
  const windows = {
    1: d.policy.durationMs("crisis.contain.1"),
    2: d.policy.durationMs("crisis.contain.2"),
    3: d.policy.durationMs("crisis.contain.3"),
  };
  const rows = new Map<number, KpiRow>();
  const total = empty();
  const rowOf = (pid: number | null): KpiRow | undefined => {
    if (pid === null) return undefined;
    const id = d.people.canonical(pid); // a person linked across platforms counts once
    const r = rows.get(id) ?? empty();
    rows.set(id, r);
    return r;
  };
  const addRatio = (list: Ratio[], pick: (r: KpiRow) => { ok: number; n: number }) => {
    for (const x of list) {
      for (const r of [rowOf(x.pid), total]) {
        if (!r) continue;
        pick(r).ok += x.ok;
        pick(r).n += x.n;
      }
    }
  };
  addRatio(publishTimeliness(d.db, s, d.policy.durationMs("kpi.publish.grace")), (r) => r.publish);
  addRatio(firstPass(d.db, s), (r) => r.firstPass);
  addRatio(responseTimeliness(d.db, s, now), (r) => r.response);
  addRatio(crisisTimeliness(d.db, s, now, windows), (r) => r.crisis);
  const counts: Count[] = violations(d.db, s);
  for (const x of counts) {
    const r = rowOf(x.pid);
    if (r) r.violations += x.n;
    total.violations += x.n;
  }
  const names = d.people.names([...rows.keys()]);
  const people = [...rows.entries()]
    .map(([pid, row]) => ({ pid, name: names.get(pid) ?? `#${pid}`, row }))
    .sort((a, b) => a.name.localeCompare(b.name, "zh-CN") || a.pid - b.pid);
  return { people, total };
}

export function kpiOf(k: Kpi, pid: number): KpiRow {
  return k.people.find((p) => p.pid === pid)?.row ?? empty();
}

/** "100%（2/2）", or "—（无可考核事项）" when nothing could be judged. */
export function pctText(x: { ok: number; n: number }): string {
  return x.n === 0 ? "—" : `${Math.round((x.ok * 100) / x.n)}%（${x.ok}/${x.n}）`;
}

/** The five KPI of one row in one line, as /kpi, the report and the CSV-free text show them. */
export function kpiLine(r: KpiRow): string {
  return [
    `发布及时率 ${pctText(r.publish)}`,
    `审核一次通过率 ${pctText(r.firstPass)}`,
    `违规内容 ${r.violations}${r.violations > 0 ? " 🔴" : ""}`,
    `回应及时率 ${pctText(r.response)}`,
    `危机处置及时率 ${pctText(r.crisis)}`,
  ].join("｜");
}

/** The five KPI of one row, one per line (a single person's /kpi). */
export function kpiLines(r: KpiRow): string[] {
  return kpiLine(r)
    .split("｜")
    .map((l) => `· ${l}`);
}
