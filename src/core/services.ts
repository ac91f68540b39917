import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Timers } from "../scheduler/timers.ts";
import type { Db } from "../store/db.ts";
import type { People } from "./people/people.ts";
import type { Policy } from "./policy/policy.ts";
import type { Outbound } from "./ports.ts";

/**
 * What every feature may use: the database, time, the people and policy tables, the way out (the outbox)
 * and durable timers. Nothing else: a feature that needs another feature's work asks for it by key
 * (`registry.need`), so the dependency is written down where it is used.
 */
export interface Services {
  db: Db;
  clock: Clock;
  /** The company's time zone (IANA name): dates users type and read are in it. */
  tz: string;
  log: Logger;
  people: People;
  policy: Policy;
  outbound: Outbound;
  timers: Timers;
}
