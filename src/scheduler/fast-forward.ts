import type { Clock } from "../clock.ts";
import type { Timers } from "./timers.ts";

/** A clock that can be moved forward to an instant (never back). */
export interface SteppingClock extends Clock {
  advanceTo(t: number): void;
}

/**
 * Moves `clock` forward by `ms` the way real time would pass, not in one jump: it stops at the due time
 * of every pending timer in the span, oldest first, fires what is due there and waits for `settle` (the
 * delivery of what those timers sent) before going on. Timers armed on the way (the next crisis repeat,
 * tomorrow's digest) are found by the next look-up. So each handler sees `now` = its own due time: a
 * crisis repeat keeps its 5-minute rhythm and counts towards escalation, a digest is stamped 09:30, and
 * its message is delivered then. Waiting matters: delivery is clock-driven too (access tokens expire after
 * 2 h, an undelivered row is given up after 24 h), so jumping a week past a message still on its way
 * would expire its token and dead-letter it. Returns how many timers fired.
 */
export async function fastForward(
  clock: SteppingClock,
  timers: Timers,
  ms: number,
  settle: () => Promise<void> = async () => {},
): Promise<number> {
  const target = clock.now() + ms;
  // Fires everything due by now, again until nothing is: a timer may arm one already due (a reminder
  // re-armed for "now"), and more may fall due while the messages go out. Bounded, so a handler that keeps
  // re-arming itself for "now" cannot hold the fast-forward for ever.
  const step = async () => {
    let fired = 0;
    for (let round = 0, n = timers.runDue(); n > 0 && round < 100; round++, n = timers.runDue()) {
      fired += n;
      await settle();
    }
    return fired;
  };
  let fired = await step();
  for (;;) {
    const next = timers.nextFireAt(clock.now(), target);
    if (next === undefined) break;
    clock.advanceTo(next);
    fired += await step();
  }
  clock.advanceTo(target);
  return fired + (await step());
}
