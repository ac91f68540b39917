import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

const HOUR = 3_600_000;
let h: Harness;
afterEach(async () => {
  await h.close();
});

const reminders = (who: "li" | "lin" | "wang") => h.texts(who).filter((t) => t.startsWith("⏰ 催办"));
const breaches = (who: "li" | "lin" | "wang") => h.texts(who).filter((t) => t.startsWith("🔴 超时"));

describe("review step reminders are durable timers", () => {
  beforeEach(async () => {
    // Monday 10:00 Shanghai: 12 h later is 22:00 (quiet hours start), so start at 09:00 instead.
    h = await startInProcess({ start: Date.parse("2026-11-16T09:00:00+08:00") });
    await seedRoles(h);
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
  });

  it("催办 at 12 h and 超时 at 24 h, each exactly once, to every decider", async () => {
    h.clock.advance(11 * HOUR);
    await h.settle();
    expect(reminders("li")).toHaveLength(0);
    h.clock.advance(1 * HOUR); // 21:00, 12 h after submit
    await h.settle();
    expect(reminders("li")).toHaveLength(1);
    expect(reminders("lin")).toHaveLength(1);
    expect(reminders("li")[0]).toContain("已等待 12小时");
    h.clock.advance(1 * HOUR);
    await h.settle();
    expect(reminders("li")).toHaveLength(1);
    // 24 h is 09:00 next day, outside quiet hours.
    h.clock.advance(11 * HOUR);
    await h.settle();
    expect(breaches("li")).toHaveLength(1);
    expect(breaches("wang")).toHaveLength(1);
    const ledger = h.app.db.$client
      .prepare("select type from review_events where type in ('remind','breach')")
      .all();
    expect(ledger).toEqual([{ type: "remind" }, { type: "breach" }]);
  });

  it("a restart across the deadline still sends exactly one reminder", async () => {
    h.clock.advance(6 * HOUR);
    await h.restart();
    h.clock.advance(6.5 * HOUR); // the bot was "down" across the 12 h point (21:30, before quiet hours)
    await h.restart(); // the start-up sweep fires what was missed
    expect(h.app.worker.depth()).toBeGreaterThan(0);
    await h.settle();
    await h.restart();
    await h.settle();
    expect(reminders("li")).toHaveLength(1);
  });

  it("a step decided before its deadline never reminds", async () => {
    await h.say("li", "/approve 1");
    h.clock.advance(30 * HOUR);
    await h.settle();
    expect(reminders("li")).toHaveLength(0);
    expect(breaches("li")).toHaveLength(0);
    // 复审 opened at the approval and has its own clock; its 催办 and 超时 fall in this one sweep, so
    // 张总 gets one message listing both (src/core/sla/reminder-batch.ts).
    expect(h.texts("zhang").filter((t) => t.includes("⏰ 催办：#1"))).toHaveLength(1);
  });
});

describe("quiet hours", () => {
  it("a reminder due at 22:00 waits until 08:30", async () => {
    h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
    await seedRoles(h);
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    h.clock.set(Date.parse("2026-11-16T22:00:00+08:00"));
    await h.settle();
    expect(reminders("li")).toHaveLength(0);
    h.clock.set(Date.parse("2026-11-17T08:29:00+08:00"));
    await h.settle();
    expect(reminders("li")).toHaveLength(0);
    h.clock.set(Date.parse("2026-11-17T08:30:00+08:00"));
    await h.settle();
    expect(reminders("li")).toHaveLength(1);
  });
});
