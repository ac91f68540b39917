import { examGrace, examRollout } from "../../store/schema/index.ts";
import type { Services } from "../services.ts";
import { armGraceReminders } from "./reminders.ts";

/**
 * First start with the exam: every current `ops` holder becomes an existing holder with a grace period
 * (told now, reminded before it ends). Later starts find the rollout row and change nothing.
 */
export function rollOut(services: Services): void {
  if (services.db.select().from(examRollout).get()) return;
  const now = services.clock.now();
  services.db.insert(examRollout).values({ id: 1, at: now }).run();
  for (const personId of services.people.holders("ops")) {
    services.db.insert(examGrace).values({ personId, since: now }).onConflictDoNothing().run();
    armGraceReminders(services, personId, now);
  }
}
