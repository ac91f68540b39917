import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { crises, crisisEvents, crisisEvidence } from "../../store/schema/crisis.ts";
import type { Actor } from "../commands/registry.ts";
import { RefusedDecision } from "../review/decide.ts";
import type { Services } from "../services.ts";
import { UserError } from "../types.ts";
import { crisisNo, RESPONDER_ROLES, type Stage, type Tier } from "./model.ts";

export type CrisisRow = typeof crises.$inferSelect;
export type Crisis = Omit<CrisisRow, "tier" | "stage"> & { tier: Tier; stage: Stage };
export type CrisisEvent = typeof crisisEvents.$inferSelect;

/** Reads and the timeline writer of the crisis tables. */

export function findCrisis(db: Db, id: number): Crisis | undefined {
  return db.select().from(crises).where(eq(crises.id, id)).get() as Crisis | undefined;
}

export function getCrisis(db: Db, id: number): Crisis {
  const c = findCrisis(db, id);
  if (!c) throw new UserError(`没有编号为 ${crisisNo(id)} 的危机`);
  return c;
}

export function openCrises(db: Db): Crisis[] {
  return db.select().from(crises).where(ne(crises.stage, "closed")).orderBy(asc(crises.id)).all() as Crisis[];
}

export function recentCrises(db: Db, limit: number): Crisis[] {
  return db.select().from(crises).orderBy(desc(crises.id)).limit(limit).all() as Crisis[];
}

export function crisisOfStatement(db: Db, itemId: number): Crisis | undefined {
  return db.select().from(crises).where(eq(crises.statementItemId, itemId)).get() as Crisis | undefined;
}

export function crisisOfTicket(db: Db, ticketId: number): Crisis | undefined {
  return db
    .select()
    .from(crises)
    .where(and(eq(crises.ticketId, ticketId)))
    .orderBy(desc(crises.id))
    .get() as Crisis | undefined;
}

export function eventsOf(db: Db, crisisId: number): CrisisEvent[] {
  return db
    .select()
    .from(crisisEvents)
    .where(eq(crisisEvents.crisisId, crisisId))
    .orderBy(asc(crisisEvents.at), asc(crisisEvents.id))
    .all();
}

export function evidenceCount(db: Db, crisisId: number): number {
  return db
    .select({ id: crisisEvidence.id })
    .from(crisisEvidence)
    .where(eq(crisisEvidence.crisisId, crisisId))
    .all().length;
}

/** One line of the timeline; every change to a crisis writes one in the same transaction. */
export function addEvent(
  db: Db,
  e: { crisisId: number; type: string; actorId: number | null; detail: string; at: number },
): void {
  db.insert(crisisEvents).values(e).run();
}

/** Holders of crisis / marketing_head / management: who may acknowledge and run a crisis. */
export function isResponder(services: Services, personId: number): boolean {
  return RESPONDER_ROLES.some((r) => services.people.hasRole(personId, r));
}

export const RESPONDER_TEXT = "危机小组成员、市场部门负责人或管理层";

/**
 * Refuses anyone who is not a responder (nor one of `also`, e.g. the reporter for evidence). A card click
 * that is refused is recorded in the audit log by the dispatcher (RefusedDecision), and nothing changes.
 */
export function requireResponder(
  services: Services,
  actor: Actor,
  c: { id: number } | undefined,
  what: string,
  also: number[] = [],
): void {
  if (isResponder(services, actor.personId) || also.includes(actor.personId)) return;
  const refusal = `只有${RESPONDER_TEXT}可以${what}`;
  throw new RefusedDecision(refusal, {
    actorId: actor.personId,
    action: "crisis.refused",
    detail: { crisis: c?.id ?? null, what, reason: refusal },
    at: services.clock.now(),
  });
}
