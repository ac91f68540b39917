import type { Services } from "../services.ts";
import { openCrises } from "./repo.ts";
import { crisisLine } from "./show.ts";

/**
 * For the daily digest (open crises are listed there, docs/sla.md): one line per open crisis with
 * number, tier, stage, lead (or 未确认), contain deadline and % of it used.
 */
export function crisisDigestLines(services: Services, now: number): string[] {
  return openCrises(services.db).map((c) => crisisLine(services, c, now));
}
