import { afterEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// Reminders (issue 15 item 12): one message per person per sweep, and the digest agrees with them.
const DAY = 24 * 3_600_000;
let h: Harness;
afterEach(async () => {
  await h.close();
});

const reminderMessages = (who: "li" | "wang") =>
  h.texts(who).filter((t) => /催办|超时/.test(t) && !t.startsWith("已提交"));

describe("reminders are batched per person", () => {
  it("after a week away, five waiting items give each person one message listing them all", async () => {
    h = await startInProcess({ start: Date.parse("2026-11-16T09:00:00+08:00") });
    await seedRoles(h);
    for (const n of ["一", "二", "三", "四", "五"]) await h.say("wang", `/submit 抖音 活动${n}\n正文${n}`);
    const before = { li: reminderMessages("li").length, wang: reminderMessages("wang").length };
    h.clock.advance(7 * DAY); // Monday 09:00 again: every 催办 and 超时 is due in one sweep
    await h.settle();
    const li = reminderMessages("li").slice(before.li);
    expect(li).toHaveLength(1);
    const text = li[0] ?? "";
    expect(text.startsWith("📌 您有 10 项待办提醒：")).toBe(true);
    for (const n of [1, 2, 3, 4, 5]) {
      expect(text).toContain(`⏰ 催办：#${n}《`);
      expect(text).toContain(`🔴 超时：#${n}《`);
    }
    const wang = reminderMessages("wang").slice(before.wang);
    expect(wang).toHaveLength(1);
    expect(wang[0]).toContain("📌 您有 5 项待办提醒：");
    // Still once: the next sweep sends nothing more.
    h.clock.advance(60_000);
    await h.settle();
    expect(reminderMessages("li").slice(before.li)).toHaveLength(1);
  });

  it("a single item is still its own one-line reminder", async () => {
    h = await startInProcess({ start: Date.parse("2026-11-16T09:00:00+08:00") });
    await seedRoles(h);
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    h.clock.advance(12 * 3_600_000);
    await h.settle();
    expect(h.texts("li").filter((t) => t.startsWith("⏰ 催办：#1《周末活动》"))).toHaveLength(1);
  });

  it("the 09:30 digest lists the step whose 超时 reminder goes out in the same sweep", async () => {
    h = await startInProcess({ start: Date.parse("2026-11-16T09:30:00+08:00") });
    await seedRoles(h);
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩"); // 24 h later is exactly the next 09:30
    h.clock.set(Date.parse("2026-11-17T09:30:00+08:00"));
    await h.settle();
    // 催办 (due 21:30) and 超时 (due 09:30) fall in this one sweep: one message with both.
    expect(h.texts("li").filter((t) => t.includes("🔴 超时：#1"))).toHaveLength(1);
    const digest = h.texts("oc_ops").find((t) => t.includes("📋 运营 SLA 日报")) ?? "";
    expect(digest).toContain("【审核超时】1 项");
    expect(digest).toContain("#1《周末活动》");
    expect(digest).not.toContain("目前没有超时事项");
  });
});
