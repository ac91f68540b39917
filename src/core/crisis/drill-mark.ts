import { and, eq } from "drizzle-orm";
import type { Db } from "../../store/db.ts";
import { crisisDrills, drillAcks } from "../../store/schema/index.ts";
import type { Services } from "../services.ts";

/**
 * 危机演练 (《制度》第十四条(二)4) runs the real pager on a crisis row marked as a drill. This is what the
 * pager needs to know about drills: every message of one says 【演练】, every member's 收到 is timed (not
 * only the first), escalation to 管理层 waits for `drill.escalate`, and the drill module hears when one
 * is closed (its report). The drill command, report and digest note live in src/core/drill/.
 */

export const DRILL_MARK = "【演练】";

export function isDrill(db: Db, crisisId: number): boolean {
  return (
    db
      .select({ id: crisisDrills.crisisId })
      .from(crisisDrills)
      .where(eq(crisisDrills.crisisId, crisisId))
      .get() !== undefined
  );
}

/** The text with 【演练】 in front when the crisis is a drill (once, however often it is passed through). */
export function drillText(db: Db, crisisId: number, text: string): string {
  if (text.startsWith(DRILL_MARK) || !isDrill(db, crisisId)) return text;
  return `${DRILL_MARK}${text}`;
}

/**
 * Records a member's first 收到 in a drill and returns when it was (a second press keeps the first time);
 * undefined when the crisis is not a drill.
 */
export function recordDrillAck(
  services: Services,
  crisisId: number,
  personId: number,
  at: number,
): number | undefined {
  if (!isDrill(services.db, crisisId)) return undefined;
  services.db.insert(drillAcks).values({ crisisId, personId, at }).onConflictDoNothing().run();
  const row = services.db
    .select({ at: drillAcks.at })
    .from(drillAcks)
    .where(and(eq(drillAcks.crisisId, crisisId), eq(drillAcks.personId, personId)))
    .get();
  return row?.at ?? at;
}

/** Whether some crisis member has not pressed 收到 yet (a drill keeps the button for them). */
export function drillAwaitingAcks(services: Services, crisisId: number): boolean {
  if (!isDrill(services.db, crisisId)) return false;
  const acked = new Set(
    services.db
      .select({ p: drillAcks.personId })
      .from(drillAcks)
      .where(eq(drillAcks.crisisId, crisisId))
      .all()
      .map((r) => r.p),
  );
  return services.people.holders("crisis").some((p) => !acked.has(p));
}

/** Management is paged in a drill only when `drill.escalate` is 开. */
export function drillSkipsManagement(services: Services, crisisId: number): boolean {
  return isDrill(services.db, crisisId) && services.policy.get("drill.escalate") !== "开";
}
