import { metricKind } from "../metrics/keys.ts";
import { ratioPct } from "../metrics/numbers.ts";
import { catalog } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import type { Period } from "./period.ts";
import {
  type BelowTarget,
  belowTarget,
  type ContentRank,
  type CrisisCounts,
  crisisCounts,
  type DailyPoint,
  dailySeries,
  type FindingCount,
  findingCounts,
  type KeyTotal,
  metricTotals,
  postsByPlatform,
  type ReviewCounts,
  reviewCounts,
  type StepMedian,
  stepMedians,
  storeNames,
  type TicketCounts,
  ticketCounts,
  topContent,
} from "./queries.ts";

/** A section another feature adds to the report (监督检查, 考核指标). */
export interface Section {
  title: string;
  lines: string[];
}

/** The numbers of one report, as plain data: the card, the text, the CSV and the chart all read this. */

export interface PlatformFigures {
  exposure: number;
  interactions: number;
  /** 互动率 in percent; undefined when there was no 曝光 (never NaN). */
  rate: number | undefined;
  follows: number;
  posts: number;
}

export interface PlatformRow {
  platform: string;
  label: string;
  /** Posting target for the period (cadence.<platform> per week, scaled to a month); undefined: none. */
  target: number | undefined;
  /** Whether any daily metric was logged for the platform in the period. */
  logged: boolean;
  cur: PlatformFigures;
  prev: PlatformFigures;
}

export interface StoreRow {
  name: string;
  visits: number;
  bookings: number;
  packages: number;
  positiveRate: number | undefined;
  negatives: number;
}

export interface ReportData {
  period: Period;
  now: number;
  tz: string;
  empty: boolean;
  platforms: PlatformRow[];
  stores: StoreRow[];
  review: ReviewCounts & { medians: StepMedian[]; findings: FindingCount[]; findingItems: number };
  tickets: TicketCounts;
  crises: CrisisCounts;
  topExposure: ContentRank[];
  topRate: ContentRank[];
  below: { rows: BelowTarget[]; total: number };
  daily: DailyPoint[];
  /** Sections other modules add (监督检查: spot checks and rectifications), after the fixed ones. */
  extra?: Section[];
}

function figures(totals: KeyTotal[], posts: Map<string, number>, platform: string): PlatformFigures {
  const sum = (key: string) =>
    totals.filter((t) => t.subject === platform && t.key === key).reduce((s, t) => s + t.total, 0);
  const interactions = sum("likes") + sum("comments") + sum("shares");
  const exposure = sum("exposure");
  return {
    exposure,
    interactions,
    rate: ratioPct(interactions, exposure),
    follows: sum("follows"),
    posts: posts.get(platform) ?? 0,
  };
}

/** Weekly cadence target (policy cadence.<platform>), scaled to the period's days for a month. */
function cadenceTarget(d: Services, platform: string, p: Period): number | undefined {
  const def = d.policy.def(`cadence.${platform}`);
  if (!def) return undefined;
  const weekly = d.policy.count(`cadence.${platform}`);
  if (p.kind === "week") return weekly;
  const days = Math.round((Date.parse(p.endDay) - Date.parse(p.startDay)) / 86_400_000);
  return Math.round((weekly * days) / 7);
}

export function buildReport(d: Services, period: Period): ReportData {
  const now = d.clock.now();
  const cur = metricTotals(d.db, "platform", period);
  const prev = metricTotals(d.db, "platform", period.prev);
  const posts = postsByPlatform(d.db, period);
  const prevPosts = postsByPlatform(d.db, period.prev);
  const platforms: PlatformRow[] = catalog.platforms
    .map((p) => ({
      platform: p.key,
      label: p.label,
      target: cadenceTarget(d, p.key, period),
      logged: cur.some((t) => t.subject === p.key),
      cur: figures(cur, posts, p.key),
      prev: figures(prev, prevPosts, p.key),
    }))
    .filter(
      (r) =>
        r.target !== undefined ||
        r.logged ||
        r.cur.posts > 0 ||
        prev.some((t) => t.subject === r.platform) ||
        r.prev.posts > 0,
    );

  const names = storeNames(d.db);
  const storeTotals = metricTotals(d.db, "store", period);
  const storeIds = [...new Set(storeTotals.map((t) => t.subject))].sort((a, b) => Number(a) - Number(b));
  const stores: StoreRow[] = storeIds.map((id) => {
    const get = (key: string) => {
      const t = storeTotals.find((x) => x.subject === id && x.key === key);
      if (!t) return undefined;
      return metricKind(key) === "rate" ? t.mean : t.total;
    };
    return {
      name: names.get(id) ?? `门店${id}`,
      visits: get("visits") ?? 0,
      bookings: get("bookings") ?? 0,
      packages: get("packages") ?? 0,
      positiveRate: get("positive_rate"),
      negatives: get("negatives") ?? 0,
    };
  });

  const counts = reviewCounts(d.db, period);
  const findings = findingCounts(d.db, period);
  const review = {
    ...counts,
    medians: stepMedians(d.db, period),
    findings: findings.byCategory,
    findingItems: findings.items,
  };
  const tickets = ticketCounts(d.db, period, now);
  const windows = {
    1: d.policy.durationMs("crisis.contain.1"),
    2: d.policy.durationMs("crisis.contain.2"),
    3: d.policy.durationMs("crisis.contain.3"),
  };
  const crises = crisisCounts(d.db, period, now, windows);
  const topExposure = topContent(d.db, period, "exposure");
  const topRate = topContent(d.db, period, "rate");
  const below = belowTarget(d.db, period);
  const daily = dailySeries(d.db, period);

  const empty =
    cur.length === 0 &&
    storeTotals.length === 0 &&
    posts.size === 0 &&
    counts.submitted + counts.resubmitted + counts.approved + counts.rejected === 0 &&
    tickets.positive + tickets.neutral + tickets.negative === 0 &&
    crises.tier1 + crises.tier2 + crises.tier3 === 0;
  return {
    period,
    now,
    tz: d.tz,
    empty,
    platforms,
    stores,
    review,
    tickets,
    crises,
    topExposure,
    topRate,
    below,
    daily,
  };
}
