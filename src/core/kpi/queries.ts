import { sql } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import type { Span } from "../reports/period.ts";

/**
 * The KPI of 《制度》第十五条 per person, by SQL over the store (like the reports): each query returns one
 * row per person with the count that met the rule (`ok`) and the count that could be judged (`n`), or a
 * plain count. A null person is work nobody owns (a ticket never assigned, a crisis nobody acknowledged):
 * it counts in the department total only.
 */

export interface Ratio {
  pid: number | null;
  ok: number;
  n: number;
}
export interface Count {
  pid: number | null;
  n: number;
}

/**
 * 内容发布及时率 (第十五条 2): publications in the span of content that had a planned time, by its author;
 * on time when published no later than the planned time plus `grace`. Content without a planned time has
 * nothing to be late against and is left out.
 */
export function publishTimeliness(db: Db, s: Span, grace: number): Ratio[] {
  return db.all<Ratio>(sql`
    select c.author_id as pid, count(*) as n,
      coalesce(sum(p.published_at <= c.planned_at + ${grace}), 0) as ok
    from publications p join content_items c on c.id = p.item_id
    where c.kind = 'content' and c.planned_at is not null
      and p.published_at >= ${s.start} and p.published_at < ${s.end}
    group by c.author_id`);
}

/**
 * 审核一次通过率 (第十五条 1 发布内容审核通过率): first revisions decided in the span, by author; passed
 * when the chain's last step approved revision 1, failed when any step rejected it.
 */
export function firstPass(db: Db, s: Span): Ratio[] {
  return db.all<Ratio>(sql`
    with d as (
      select c.author_id as pid, e.type as type,
        st.position = (select max(s2.position) from review_steps s2
                       where s2.item_id = e.item_id and s2.revision = e.revision) as last
      from review_events e
      join content_items c on c.id = e.item_id and c.kind = 'content'
      join review_steps st on st.item_id = e.item_id and st.revision = e.revision and st.step_key = e.step_key
      where e.at >= ${s.start} and e.at < ${s.end} and e.revision = 1 and e.type in ('approve', 'reject'))
    select pid, coalesce(sum(type = 'approve'), 0) as ok, count(*) as n
    from d where type = 'reject' or last group by pid`);
}

/**
 * 违规内容数量 (第十五条 1, 零容忍): content the 市场部门负责人 judged 不合格 in the 每日抽查 (第十三条(一))
 * in the span, by author. A person's verdict, not the pre-check's findings (those are candidates, mostly
 * fixed before publishing; the report's 合规预审 line counts them).
 */
export function violations(db: Db, s: Span): Count[] {
  return db.all<Count>(sql`
    select owner_id as pid, count(distinct item_id) as n from spot_checks
    where kind = 'content' and status = 'fail' and decided_at >= ${s.start} and decided_at < ${s.end}
    group by owner_id`);
}

/**
 * 粉丝互动回应及时率 (第十五条 2): tickets created in the span that owed a first response whose outcome is
 * known (closed, or past the deadline), by who closed them or else who owns them; on time when closed by the
 * deadline — the same rule as the report's 回应及时率.
 */
export function responseTimeliness(db: Db, s: Span, now: number): Ratio[] {
  return db.all<Ratio>(sql`
    select coalesce(closed_by, owner_id) as pid,
      count(*) as n, coalesce(sum(closed_at is not null and closed_at <= due_at), 0) as ok
    from tickets
    where created_at >= ${s.start} and created_at < ${s.end} and due_at is not null
      and (closed_at is not null or due_at <= ${now})
    group by pid`);
}

/**
 * 危机事件处置及时率 (第十五条 4): crises reported in the span, by their lead (the first to acknowledge);
 * on time when contained (or closed) within the tier's contain window. One still inside its window is not
 * judged yet. Drills are never counted (危机演练, 第十四条(二)4).
 */
export function crisisTimeliness(
  db: Db,
  s: Span,
  now: number,
  windows: { 1: number; 2: number; 3: number },
): Ratio[] {
  return db.all<Ratio>(sql`
    with c as (
      select lead_id as pid, coalesce(contained_at, closed_at) as done_at,
        reported_at + case tier when 1 then ${windows[1]} when 2 then ${windows[2]} else ${windows[3]} end as due_at
      from crises where reported_at >= ${s.start} and reported_at < ${s.end}
        and id not in (select crisis_id from crisis_drills))
    select pid, coalesce(sum(done_at is not null and done_at <= due_at), 0) as ok,
      coalesce(sum(done_at is not null or due_at <= ${now}), 0) as n
    from c group by pid having n > 0`);
}
