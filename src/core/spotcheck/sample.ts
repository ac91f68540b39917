import { randomInt } from "node:crypto";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { contentItems, publications, spotChecks, tickets } from "../../store/schema/index.ts";
import { getItem } from "../review/repo.ts";
import type { Services } from "../services.ts";
import { UserError } from "../types.ts";
import { spotCard, spotCardRef, spotNo } from "./views.ts";

/**
 * 每日抽查 (《制度》第十三条(一)：市场部门负责人每日对运营内容、发布规范、互动回应等开展抽查): a sample
 * of a period's published content and closed tickets, one card per item with 合格 / 不合格.
 */

export type SpotKind = "content" | "ticket";
interface Candidate {
  kind: SpotKind;
  itemId: number;
  ownerId: number | null;
}

function shuffle<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Content first published on any platform in [start, end), and tickets closed (已处理) in it. */
function candidates(
  services: Services,
  start: number,
  end: number,
): { content: Candidate[]; ticket: Candidate[] } {
  const content = services.db
    .selectDistinct({ itemId: publications.itemId, ownerId: contentItems.authorId })
    .from(publications)
    .innerJoin(contentItems, eq(contentItems.id, publications.itemId))
    .where(
      and(
        eq(contentItems.kind, "content"),
        gte(publications.publishedAt, start),
        lt(publications.publishedAt, end),
      ),
    )
    .all()
    .map((r) => ({ kind: "content" as const, itemId: r.itemId, ownerId: r.ownerId }));
  const ticket = services.db
    .select({ itemId: tickets.id, closedBy: tickets.closedBy, ownerId: tickets.ownerId })
    .from(tickets)
    .where(and(eq(tickets.status, "done"), gte(tickets.closedAt, start), lt(tickets.closedAt, end)))
    .all()
    .map((r) => ({ kind: "ticket" as const, itemId: r.itemId, ownerId: r.closedBy ?? r.ownerId }));
  return { content, ticket };
}

/** Items already put before a checker for this day are not sampled again. */
function alreadyChecked(services: Services, day: string): Set<string> {
  const rows = services.db
    .select({ kind: spotChecks.kind, itemId: spotChecks.itemId })
    .from(spotChecks)
    .where(eq(spotChecks.day, day))
    .all();
  return new Set(rows.map((r) => `${r.kind}:${r.itemId}`));
}

/** `count` items, alternating content and tickets (so neither crowds out the other), random within each. */
export function pick(
  c: { content: Candidate[]; ticket: Candidate[] },
  count: number,
  skip: Set<string>,
): Candidate[] {
  const fresh = (xs: Candidate[]) => shuffle(xs.filter((x) => !skip.has(`${x.kind}:${x.itemId}`)));
  const [a, b] = [fresh(c.content), fresh(c.ticket)];
  const out: Candidate[] = [];
  while (out.length < count && (a.length || b.length)) {
    const next = (out.length % 2 === 0 ? (a.shift() ?? b.shift()) : (b.shift() ?? a.shift())) as Candidate;
    out.push(next);
  }
  return out;
}

/** Who gets the cards: the requester on demand, else every 市场部门负责人 (the admins when there is none). */
function checkers(services: Services, requestedBy: number | null): number[] {
  if (requestedBy !== null) return [requestedBy];
  return services.people.holders("marketing_head");
}

function create(
  services: Services,
  x: Candidate,
  day: string,
  source: "cron" | "manual",
  requestedBy: number | null,
) {
  const now = services.clock.now();
  const row = services.db
    .insert(spotChecks)
    .values({
      day,
      kind: x.kind,
      itemId: x.itemId,
      ownerId: x.ownerId,
      source,
      requestedBy,
      status: "pending",
      createdAt: now,
    })
    .returning()
    .get();
  const card = spotCard(services, row);
  for (const p of checkers(services, requestedBy))
    services.outbound.toPerson(p, { type: "card", card }, { cardRef: spotCardRef(row.id) });
  return row;
}

/** Samples [start, end) for `day`; returns how many cards of each kind went out. */
export function sampleRange(
  services: Services,
  x: {
    start: number;
    end: number;
    day: string;
    count: number;
    source: "cron" | "manual";
    requestedBy: number | null;
  },
): { content: number; ticket: number; numbers: string[] } {
  const chosen = pick(candidates(services, x.start, x.end), x.count, alreadyChecked(services, x.day));
  if (chosen.length > 0 && checkers(services, x.requestedBy).length === 0) {
    services.outbound.toAdmins({
      type: "text",
      text: "⚠️ 每日抽查没有市场部门负责人可以接收：请用 /role add marketing_head @某人 指定",
    });
  }
  const rows = chosen.map((c) => create(services, c, x.day, x.source, x.requestedBy));
  return {
    content: chosen.filter((c) => c.kind === "content").length,
    ticket: chosen.filter((c) => c.kind === "ticket").length,
    numbers: rows.map((r) => spotNo(r.id)),
  };
}

/** `/spotcheck #12` or `/spotcheck T-3`: that one item, whatever its day. */
export function sampleOne(
  services: Services,
  kind: SpotKind,
  itemId: number,
  day: string,
  requestedBy: number,
): string {
  let ownerId: number | null;
  if (kind === "content") {
    const item = getItem(services.db, itemId);
    if (item.kind !== "content") throw new UserError(`#${itemId} 不是运营内容，不能抽查`);
    ownerId = item.authorId;
  } else {
    const t = services.db.select().from(tickets).where(eq(tickets.id, itemId)).get();
    if (!t) throw new UserError(`没有工单 T-${itemId}`);
    ownerId = t.closedBy ?? t.ownerId;
  }
  const row = create(services, { kind, itemId, ownerId }, day, "manual", requestedBy);
  return spotNo(row.id);
}

/** Counts for a period (the monthly report): checked, 合格, 不合格, still waiting. */
export function spotCounts(services: Services, start: number, end: number) {
  const rows = services.db
    .select({ status: spotChecks.status, n: sql<number>`count(*)` })
    .from(spotChecks)
    .where(and(gte(spotChecks.createdAt, start), lt(spotChecks.createdAt, end)))
    .groupBy(spotChecks.status)
    .all();
  const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  return {
    total: n("pending") + n("pass") + n("fail"),
    pass: n("pass"),
    fail: n("fail"),
    pending: n("pending"),
  };
}
