/**
 * The contain clock (seeds/000 第十一条(三)2): warnings at 50 % and 90 % and the breach at 100 %, each once, to the lead,
 * the crisis group and marketing_head; it stops at the tier's contain stage; policy changes move it;
 * open crises appear in the daily digest.
 */
import { afterEach, describe, expect, it } from "vitest";
import { crisisDigestLines } from "../../src/core/crisis/digest.ts";
import { crisisCards, crisisHarness, GROUP, HOUR, lastText, MIN } from "../core/crisis/support.ts";
import type { Harness } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const at = async (t: number) => {
  h.clock.set(t);
  await h.settle();
};
const notices = (who: "lin" | "zhang" | string, mark: string) =>
  h.texts(who).filter((t) => t.startsWith(mark) && t.includes("C-1"));

describe("contain clock", () => {
  it("一级: 50 % at 12 h, 90 % at 21.6 h, breach at 24 h — each once to lead, group and marketing_head", async () => {
    h = await crisisHarness(); // Monday 10:00
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 1 大众点评一星差评");
    await h.click("lin", crisisCards(h, GROUP)[0]?.messageId ?? "", { a: "crisis.ack", c: 1 });
    const counts = () =>
      ["lin", "zhang", GROUP].map((w) => [notices(w, "⏳").length, notices(w, "🔴").length]);

    await at(t0 + 12 * HOUR - MIN);
    expect(counts()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    await at(t0 + 12 * HOUR); // 22:00: crisis notices do not wait for quiet hours
    expect(counts()).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expect(notices("lin", "⏳")[0]).toBe(
      "⏳ C-1 一级危机处置时限已用 50%：应在 11-17 10:00 前完成处置，剩余 12小时。当前阶段「评估定级」，负责人：林哥（/crisis show C-1）",
    );
    await at(t0 + 21 * HOUR);
    expect(counts()).toEqual([
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    await at(t0 + 21.6 * HOUR);
    expect(counts()).toEqual([
      [2, 0],
      [2, 0],
      [2, 0],
    ]);
    expect(notices(GROUP, "⏳")[1]).toContain("已用 90%");
    expect(notices(GROUP, "⏳")[1]).toContain("剩余 2小时24分钟");
    await at(t0 + 24 * HOUR);
    expect(counts()).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    expect(notices("zhang", "🔴")[0]).toBe(
      "🔴 C-1 一级危机已超过处置时限（24小时，截止 11-17 10:00），尚未完成处置。当前阶段「评估定级」，负责人：林哥（/crisis show C-1）",
    );
    await at(t0 + 30 * HOUR);
    await h.restart();
    await at(t0 + 48 * HOUR);
    expect(counts()).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    await h.say("lin", "/crisis list");
    expect(lastText(h, "lin")).toContain("处置时限 11-17 10:00（已用 200%，已超时）");
  });

  it("reaching the tier's stage stops the clock: a 三级 at 统一回应 gets no warnings", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 门店被媒体曝光");
    await h.say("zhang", "/ack C-1");
    await at(t0 + 10 * HOUR);
    await h.say("zhang", "/crisis stage C-1 统一回应 核心处置方案已定");
    await at(t0 + 80 * HOUR);
    expect(notices(GROUP, "⏳")).toHaveLength(0);
    expect(notices(GROUP, "🔴")).toHaveLength(0);
    await h.say("zhang", "/crisis show C-1");
    expect(lastText(h, "zhang")).toContain("处置时限：11-19 10:00 · 已于 11-16 20:00 出台核心处置方案");
    expect(lastText(h, "zhang")).toContain("出台核心处置方案：在处置时限内（用时 10小时 / 72小时）");
  });

  it("a nobody-acknowledged crisis warns the group and marketing_head; /policy set moves the clock", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 1 小红书差评笔记");
    await at(t0 + 11 * HOUR);
    await h.say("admin", "/policy set crisis.contain.1 48h");
    await at(t0 + 12 * HOUR);
    expect(notices(GROUP, "⏳")).toHaveLength(0);
    await at(t0 + 24 * HOUR);
    expect(notices(GROUP, "⏳")).toHaveLength(1);
    expect(notices("zhang", "⏳")).toHaveLength(1);
    expect(notices(GROUP, "⏳")[0]).toContain("负责人：未确认");
    await h.say("admin", "/policy set crisis.contain.warn2 60");
    await at(t0 + 29 * HOUR);
    expect(notices(GROUP, "⏳")).toHaveLength(2);
    expect(notices(GROUP, "⏳")[1]).toContain("已用 60%");
  });
});

describe("open crises in the daily digest", () => {
  it("one line per open crisis: number, tier, stage, lead or 未确认, deadline and % used", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 媒体曝光");
    await h.say("wang", "/crisis 1 一条差评");
    await h.say("lin", "/ack C-1");
    await h.say("zhang", "/ack C-2");
    await h.say("zhang", "/crisis close C-2 已退款");
    await h.say("wang", "/crisis 2 多平台差评");
    expect(crisisDigestLines(h.app.core.services, t0 + 18 * HOUR)).toEqual([
      "C-1 三级 · 评估定级 · 负责人 林哥 · 处置时限 11-19 10:00（已用 25%）",
      "C-3 二级 · 上报 · 负责人 未确认 · 处置时限 11-18 10:00（已用 37%）",
    ]);
    // The digest the ops group gets at 09:30 carries them.
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    await at(Date.parse("2026-11-17T09:30:00+08:00"));
    const digest = h.texts("oc_ops").find((t) => t.includes("C-1 三级")) ?? "";
    expect(digest).toContain("· C-1 三级 · 评估定级 · 负责人 林哥 · 处置时限 11-19 10:00（已用 32%）");
    expect(digest).toContain("· C-3 二级 · 上报 · 负责人 未确认");
  });
});
