import { sql } from "drizzle-orm";
import { addDays, dayOf } from "../metrics/days.ts";
import { INTERACTIONS } from "../metrics/keys.ts";
import { platformLabel } from "../people/catalog.ts";
import { isoWeekOf } from "../reports/period.ts";
import type { Services } from "../services.ts";

/**
 * 互动率预警 (附件 004 5.3 「互动率连续两周低于基准线即触发预警」): each week, per platform, 互动率 =
 * 互动量 / 曝光 of the platform's daily numbers (as the reports compute it). A week is below its baseline
 * when its rate is under the mean of the four weeks before it; the four must all have numbers, or there is
 * no baseline yet. When the last two complete weeks were both below their own baselines, a warning goes to
 * the ops group. Checked weekly at `kpi.engagement.cron` (Monday 10:00) on a durable timer.
 */

const INTERACTION_KEYS = sql.join(
  INTERACTIONS.sum.map((k) => sql`${k}`),
  sql`, `,
);

export interface WeekRate {
  label: string;
  monday: string;
  /** Percent; undefined when the week has no 曝光. */
  rate: number | undefined;
}

/** 互动率 per platform for the `n` complete weeks before the week of `now`, oldest first. */
export function weeklyRates(services: Services, now: number, n: number): Map<string, WeekRate[]> {
  const today = dayOf(now, services.tz);
  const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const thisMonday = addDays(today, -dow);
  const mondays = Array.from({ length: n }, (_, i) => addDays(thisMonday, -7 * (n - i)));
  const first = mondays[0] as string;
  const rows = services.db.all<{
    platform: string;
    monday: string;
    exposure: number;
    interactions: number;
  }>(sql`
    select platform, date(day, '-' || ((cast(strftime('%w', day) as integer) + 6) % 7) || ' days') as monday,
      sum(case when key = 'exposure' then value else 0 end) as exposure,
      sum(case when key in (${INTERACTION_KEYS}) then value else 0 end) as interactions
    from metric_values where scope = 'platform' and day >= ${first} and day < ${thisMonday}
    group by platform, monday`);
  const out = new Map<string, WeekRate[]>();
  for (const platform of new Set(rows.map((r) => r.platform))) {
    out.set(
      platform,
      mondays.map((monday) => {
        const r = rows.find((x) => x.platform === platform && x.monday === monday);
        const { year, week } = isoWeekOf(monday);
        return {
          label: `${year}-W${String(week).padStart(2, "0")}`,
          monday,
          rate: r && r.exposure > 0 ? (r.interactions * 100) / r.exposure : undefined,
        };
      }),
    );
  }
  return out;
}

const BASELINE_WEEKS = 4;

/** The mean of the four weeks before index i, or undefined when one of them has no numbers. */
function baseline(weeks: WeekRate[], i: number): number | undefined {
  const prior = weeks.slice(i - BASELINE_WEEKS, i).map((w) => w.rate);
  if (prior.length < BASELINE_WEEKS || prior.some((r) => r === undefined)) return undefined;
  return (prior as number[]).reduce((a, b) => a + b, 0) / BASELINE_WEEKS;
}

const pct = (x: number) => `${Math.round(x * 10) / 10}%`;

/** The warning lines, one per platform two weeks running below its baseline (empty: nothing to warn). */
export function engagementWarnings(services: Services, now: number): string[] {
  const lines: string[] = [];
  for (const [platform, weeks] of weeklyRates(services, now, BASELINE_WEEKS + 2)) {
    const checks = [weeks.length - 2, weeks.length - 1].map((i) => ({
      week: weeks[i] as WeekRate,
      base: baseline(weeks, i),
    }));
    const below = checks.every(
      (c) => c.week.rate !== undefined && c.base !== undefined && c.week.rate < c.base,
    );
    if (!below) continue;
    lines.push(
      `· ${platformLabel(platform)}：${checks
        .map((c) => `${c.week.label} ${pct(c.week.rate as number)}（基线 ${pct(c.base as number)}）`)
        .join("，")}`,
    );
  }
  return lines;
}

export function engagementMessage(lines: string[]): string {
  return [
    "📉 互动率预警：以下平台的互动率连续两周低于各自前 4 周的平均水平（附件 004 5.3）",
    ...lines,
    "请运营团队负责人分析原因并调整内容形式、话题或互动活动，落实到负责人。",
  ].join("\n");
}
