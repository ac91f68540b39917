import type { Clock } from "../../clock.ts";
import type { Timers } from "../../scheduler/timers.ts";
import type { Db } from "../../store/db.ts";
import type { People } from "../people/people.ts";
import type { Policy } from "../policy/policy.ts";
import type { Outbound } from "../ports.ts";

/** What the review engine needs from the rest of the bot (injected, so tests build it from real parts). */
export interface ReviewDeps {
  db: Db;
  clock: Clock;
  tz: string;
  people: People;
  policy: Policy;
  outbound: Outbound;
  timers: Timers;
}

export const TIMER_REMIND = "review.remind";
export const TIMER_BREACH = "review.breach";

export const cardRefOf = (stepId: number) => `review:step:${stepId}`;
