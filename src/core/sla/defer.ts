import type { TimerRow, Timers } from "../../scheduler/timers.ts";
import type { Policy } from "../policy/policy.ts";
import { quietUntil } from "../policy/quiet.ts";

/**
 * Non-crisis reminders wait out quiet hours (docs/decisions.md): inside them the timer is re-armed for the end of
 * the quiet period and nothing is sent now. Returns true when it deferred. Crisis pages never call this.
 */
export function deferIfQuiet(
  timer: TimerRow,
  now: number,
  deps: { timers: Timers; policy: Policy; tz: string },
): boolean {
  const wait = quietUntil(now, deps.policy.get("quiet.hours"), deps.tz);
  if (wait === undefined) return false;
  deps.timers.schedule(timer.kind, timer.ref, wait, timer.payload);
  return true;
}
