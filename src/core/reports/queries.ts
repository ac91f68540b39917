import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { INTERACTIONS } from "../metrics/keys.ts";
import type { Span } from "./period.ts";

/**
 * The SQL behind a report (docs/metrics-reports.md). Every number is an aggregate computed by SQLite over an indexed
 * range (metric days, publication time, review-event time, ticket creation time); only per-period results
 * (a row per platform, store, step or ranked item) come back into memory.
 */

const inList = (keys: readonly string[]): SQL =>
  sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  );
const INTERACTION_KEYS = inList(INTERACTIONS.sum);

export interface KeyTotal {
  subject: string;
  key: string;
  total: number;
  mean: number;
}

/** Sum and mean per platform (or store) and key over the days of a span. */
export function metricTotals(db: Db, scope: "platform" | "store", s: Span): KeyTotal[] {
  const subject = scope === "platform" ? sql`platform` : sql`cast(store_id as text)`;
  return db.all<KeyTotal>(sql`
    select ${subject} as subject, key, sum(value) as total, avg(value) as mean
    from metric_values where scope = ${scope} and day >= ${s.startDay} and day < ${s.endDay}
    group by subject, key`);
}

/** Content published per platform in the span (a publication is one platform of one item). */
export function postsByPlatform(db: Db, s: Span): Map<string, number> {
  const rows = db.all<{ platform: string; n: number }>(sql`
    select p.platform as platform, count(*) as n from publications p
    join content_items c on c.id = p.item_id
    where c.kind = 'content' and p.published_at >= ${s.start} and p.published_at < ${s.end}
    group by p.platform`);
  return new Map(rows.map((r) => [r.platform, r.n]));
}

export interface DailyPoint {
  platform: string;
  day: string;
  exposure: number;
  interactions: number;
}

/** The chart's series: 曝光 and 互动量 per platform and day. */
export function dailySeries(db: Db, s: Span): DailyPoint[] {
  return db.all<DailyPoint>(sql`
    select platform, day,
      sum(case when key = 'exposure' then value else 0 end) as exposure,
      sum(case when key in (${INTERACTION_KEYS}) then value else 0 end) as interactions
    from metric_values where scope = 'platform' and day >= ${s.startDay} and day < ${s.endDay}
    group by platform, day order by day`);
}

export interface ReviewCounts {
  submitted: number;
  resubmitted: number;
  approved: number;
  rejected: number;
  firstPassed: number;
  firstDecided: number;
}

/**
 * Review decisions of content in the span. "Approved" is the approval of a revision's last step (the chain
 * finished); first-pass counts revision 1's outcomes: passed = its last step approved, failed = rejected.
 */
const DECISIONS = (s: Span) => sql`
  select e.type as type, e.revision as revision, st.label as label, st.position as position,
    e.at - st.opened_at as dur,
    st.position = (select max(s2.position) from review_steps s2
                   where s2.item_id = e.item_id and s2.revision = e.revision) as last
  from review_events e
  join content_items c on c.id = e.item_id and c.kind = 'content'
  join review_steps st on st.item_id = e.item_id and st.revision = e.revision and st.step_key = e.step_key
  where e.at >= ${s.start} and e.at < ${s.end} and e.type in ('approve', 'reject')`;

export function reviewCounts(db: Db, s: Span): ReviewCounts {
  const sub = db.get<{ submitted: number; resubmitted: number }>(sql`
    select coalesce(sum(e.type = 'submit'), 0) as submitted, coalesce(sum(e.type = 'resubmit'), 0) as resubmitted
    from review_events e join content_items c on c.id = e.item_id and c.kind = 'content'
    where e.at >= ${s.start} and e.at < ${s.end} and e.type in ('submit', 'resubmit')`);
  const dec = db.get<Omit<ReviewCounts, "submitted" | "resubmitted">>(sql`
    with d as (${DECISIONS(s)})
    select coalesce(sum(type = 'approve' and last), 0) as approved,
      coalesce(sum(type = 'reject'), 0) as rejected,
      coalesce(sum(type = 'approve' and last and revision = 1), 0) as firstPassed,
      coalesce(sum(revision = 1 and (type = 'reject' or last)), 0) as firstDecided
    from d`);
  return {
    submitted: sub?.submitted ?? 0,
    resubmitted: sub?.resubmitted ?? 0,
    approved: dec?.approved ?? 0,
    rejected: dec?.rejected ?? 0,
    firstPassed: dec?.firstPassed ?? 0,
    firstDecided: dec?.firstDecided ?? 0,
  };
}

export interface StepMedian {
  label: string;
  medianMs: number;
  n: number;
}

/** Median time from a step's opening to its decision, per step (window functions; SQLite has no median). */
export function stepMedians(db: Db, s: Span): StepMedian[] {
  return db.all<StepMedian>(sql`
    with d as (${DECISIONS(s)}),
    r as (select label, position, dur,
            row_number() over (partition by label order by dur) as rn,
            count(*) over (partition by label) as n
          from d where dur is not null)
    select label, avg(dur) as medianMs, max(n) as n from r
    where rn in ((n + 1) / 2, (n + 2) / 2)
    group by label order by min(position), label`);
}

export interface FindingCount {
  category: string;
  n: number;
}

/** Compliance pre-check findings on every revision submitted in the span, by category. */
export function findingCounts(db: Db, s: Span): { byCategory: FindingCount[]; items: number } {
  const from = sql`
    from review_events e
    join content_items c on c.id = e.item_id and c.kind = 'content'
    join revisions r on r.item_id = e.item_id and r.revision = e.revision
    join json_each(r.findings) f
    where e.at >= ${s.start} and e.at < ${s.end} and e.type in ('submit', 'resubmit')`;
  const byCategory = db.all<FindingCount>(sql`
    select json_extract(f.value, '$.category') as category, count(*) as n ${from}
    group by category order by n desc, category`);
  const items = db.get<{ n: number }>(sql`select count(distinct e.item_id) as n ${from}`)?.n ?? 0;
  return { byCategory, items };
}

export interface TicketCounts {
  positive: number;
  neutral: number;
  negative: number;
  /** Tickets created in the span that owed a first response whose outcome is known (answered, or late). */
  owed: number;
  onTime: number;
  breached: number;
  /** Open and past their deadline right now. */
  openBreaches: number;
}

export function ticketCounts(db: Db, s: Span, now: number): TicketCounts {
  const row = db.get<Omit<TicketCounts, "openBreaches">>(sql`
    select coalesce(sum(sentiment = 'positive'), 0) as positive,
      coalesce(sum(sentiment = 'neutral'), 0) as neutral,
      coalesce(sum(sentiment = 'negative'), 0) as negative,
      coalesce(sum(due_at is not null and (closed_at is not null or due_at <= ${now})), 0) as owed,
      coalesce(sum(due_at is not null and closed_at is not null and closed_at <= due_at), 0) as onTime,
      coalesce(sum(breached_at is not null), 0) as breached
    from tickets where created_at >= ${s.start} and created_at < ${s.end}`);
  const open = db.get<{ n: number }>(sql`
    select count(*) as n from tickets where status = 'open' and breached_at is not null`);
  return {
    positive: row?.positive ?? 0,
    neutral: row?.neutral ?? 0,
    negative: row?.negative ?? 0,
    owed: row?.owed ?? 0,
    onTime: row?.onTime ?? 0,
    breached: row?.breached ?? 0,
    openBreaches: open?.n ?? 0,
  };
}

export interface CrisisCounts {
  tier1: number;
  tier2: number;
  tier3: number;
  acked: number;
  ackAvgMs: number | null;
  ackMaxMs: number | null;
  /** Contained within the tier's window; late (contained after it, or open past it); still within it. */
  containedOnTime: number;
  containLate: number;
  containRunning: number;
}

/** Crises reported in the span. `windows` are the contain windows per tier (policy crisis.contain.N). */
export function crisisCounts(
  db: Db,
  s: Span,
  now: number,
  windows: { 1: number; 2: number; 3: number },
): CrisisCounts {
  const row = db.get<CrisisCounts>(sql`
    with c as (
      select tier, reported_at,
        (select min(ev.at) from crisis_events ev where ev.crisis_id = crises.id and ev.type = 'ack') as acked_at,
        coalesce(contained_at, closed_at) as done_at,
        reported_at + case tier when 1 then ${windows[1]} when 2 then ${windows[2]} else ${windows[3]} end as due_at
      from crises where reported_at >= ${s.start} and reported_at < ${s.end}
        and id not in (select crisis_id from crisis_drills))
    select coalesce(sum(tier = 1), 0) as tier1, coalesce(sum(tier = 2), 0) as tier2,
      coalesce(sum(tier = 3), 0) as tier3,
      count(acked_at) as acked, avg(acked_at - reported_at) as ackAvgMs, max(acked_at - reported_at) as ackMaxMs,
      coalesce(sum(done_at is not null and done_at <= due_at), 0) as containedOnTime,
      coalesce(sum((done_at is not null and done_at > due_at) or (done_at is null and due_at <= ${now})), 0)
        as containLate,
      coalesce(sum(done_at is null and due_at > ${now}), 0) as containRunning
    from c`);
  return (
    row ?? {
      tier1: 0,
      tier2: 0,
      tier3: 0,
      acked: 0,
      ackAvgMs: null,
      ackMaxMs: null,
      containedOnTime: 0,
      containLate: 0,
      containRunning: 0,
    }
  );
}

/** Content published in the span with its latest numbers (summed over platforms): the rankings' basis. */
const CONTENT = (s: Span) => sql`
  pub as (select distinct p.item_id from publications p join content_items c on c.id = p.item_id
          where c.kind = 'content' and p.published_at >= ${s.start} and p.published_at < ${s.end}),
  latest as (select m.item_id, m.key, m.value,
               row_number() over (partition by m.item_id, m.platform, m.key order by m.day desc) as rn
             from metric_values m where m.scope = 'item' and m.item_id in (select item_id from pub)),
  tot as (select item_id, key, sum(value) as value from latest where rn = 1 group by item_id, key),
  agg as (select item_id, sum(case when key = 'exposure' then value end) as exposure,
            sum(case when key in (${INTERACTION_KEYS}) then value end) as interactions
          from tot group by item_id)`;

export interface ContentRank {
  itemId: number;
  title: string;
  platforms: string;
  exposure: number;
  interactions: number | null;
}

export function topContent(db: Db, s: Span, by: "exposure" | "rate", limit = 3): ContentRank[] {
  const order =
    by === "exposure"
      ? sql`a.exposure desc, a.item_id`
      : sql`coalesce(a.interactions, 0) * 1.0 / a.exposure desc, a.exposure desc, a.item_id`;
  const where = by === "exposure" ? sql`a.exposure > 0` : sql`a.exposure > 0 and a.interactions is not null`;
  return db.all<ContentRank>(sql`
    with ${CONTENT(s)}
    select a.item_id as itemId, c.title as title, c.platforms as platforms, a.exposure as exposure,
      a.interactions as interactions
    from agg a join content_items c on c.id = a.item_id
    where ${where} order by ${order} limit ${limit}`);
}

export interface BelowTarget {
  itemId: number;
  title: string;
  key: string;
  target: number;
  /** null when no data was logged for the item at all. */
  actual: number | null;
}

/** Content published in the span below one of its targets (达成率 < 100 %), worst first. */
export function belowTarget(db: Db, s: Span, limit = 10): { rows: BelowTarget[]; total: number } {
  const base = sql`
    with ${CONTENT(s)},
    t as (select t.item_id, t.key, t.value as target,
            case when t.key = ${INTERACTIONS.key} then a.interactions
                 else (select tot.value from tot where tot.item_id = t.item_id and tot.key = t.key) end as actual,
            (select count(*) from tot where tot.item_id = t.item_id) as logged
          from content_targets t join pub on pub.item_id = t.item_id
          left join agg a on a.item_id = t.item_id)`;
  const rows = db.all<BelowTarget>(sql`
    ${base}
    select t.item_id as itemId, c.title as title, t.key as key, t.target as target,
      case when t.logged = 0 then null else coalesce(t.actual, 0) end as actual
    from t join content_items c on c.id = t.item_id
    where t.logged = 0 or coalesce(t.actual, 0) < t.target
    order by t.logged = 0, coalesce(t.actual, 0) * 1.0 / t.target, t.item_id, t.key
    limit ${limit}`);
  const total =
    db.get<{ n: number }>(sql`
    ${base} select count(*) as n from t where t.logged = 0 or coalesce(t.actual, 0) < t.target`)?.n ?? 0;
  return { rows, total };
}

/** Stores by id → name, for the store section. */
export function storeNames(db: Db): Map<string, string> {
  const rows = db.all<{ id: number; name: string }>(sql`select id, name from stores order by id`);
  return new Map(rows.map((r) => [String(r.id), r.name]));
}
