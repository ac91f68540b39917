import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { fastForward } from "../../src/scheduler/fast-forward.ts";
import { Timers } from "../../src/scheduler/timers.ts";
import { openDb } from "../../src/store/db.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 6, 12, 0);

function setup() {
  const db = openDb(":memory:");
  const clock = new ManualClock(T0);
  const timers = new Timers(db, clock, pino({ level: "silent" }));
  return { clock, timers };
}

describe("fastForward", () => {
  it("fires every timer in the span at its own time, in order, including ones armed on the way", async () => {
    const { clock, timers } = setup();
    const seen: [string, number][] = [];
    // A repeat that re-arms itself 5 minutes after its own due time, like a crisis page.
    timers.on("repeat", (t) => {
      seen.push(["repeat", clock.now() - T0]);
      timers.schedule("repeat", "x", t.fireAt + 5 * MIN);
    });
    timers.on("once", () => seen.push(["once", clock.now() - T0]));
    timers.schedule("repeat", "x", T0 + 5 * MIN);
    timers.schedule("once", "y", T0 + 12 * MIN);
    timers.schedule("once", "late", T0 + 31 * MIN);

    const fired = await fastForward(clock, timers, 20 * MIN);

    expect(seen).toEqual([
      ["repeat", 5 * MIN],
      ["repeat", 10 * MIN],
      ["once", 12 * MIN],
      ["repeat", 15 * MIN],
      ["repeat", 20 * MIN],
    ]);
    expect(fired).toBe(5);
    expect(clock.now()).toBe(T0 + 20 * MIN);
    // Beyond the span nothing fired: the next repeat and the 31-minute timer are still pending.
    expect(timers.pending("repeat", "x")?.fireAt).toBe(T0 + 25 * MIN);
    expect(timers.pending("once", "late")).toBeDefined();
  });

  it("waits for `settle` after each step that fired something, before moving the clock on", async () => {
    const { clock, timers } = setup();
    const log: string[] = [];
    timers.on("t", (t) => log.push(`fire ${t.ref}`));
    timers.schedule("t", "a", T0 + MIN);
    timers.schedule("t", "b", T0 + 2 * MIN);
    await fastForward(clock, timers, 3 * MIN, async () => {
      log.push(`settle at ${(clock.now() - T0) / MIN}`);
    });
    expect(log).toEqual(["fire a", "settle at 1", "fire b", "settle at 2"]);
  });

  it("a timer with no handler does not stop it", async () => {
    const { clock, timers } = setup();
    timers.schedule("unknown", "z", T0 + MIN);
    await fastForward(clock, timers, 10 * MIN);
    expect(clock.now()).toBe(T0 + 10 * MIN);
  });
});
