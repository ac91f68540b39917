/** The crisis command's words and the stage transition table, without a bot. */
import { describe, expect, it } from "vitest";
import { moveStage, nextStage, STAGES, windowText } from "../../../src/core/crisis/model.ts";
import { parseStage, parseTier, takeDiscovered } from "../../../src/core/crisis/parse.ts";

const TZ = "Asia/Shanghai";
const NOW = Date.parse("2026-11-16T10:00:00+08:00");

describe("words", () => {
  it("tiers by number, 级 or severity word", () => {
    expect(["1", "一级", "一般", "2级", "较大", "三", "重大"].map(parseTier)).toEqual([1, 1, 1, 2, 2, 3, 3]);
    expect(["4", "0", "", "四级", undefined].map(parseTier)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("stages by key, label or a unique part of a label", () => {
    expect(parseStage("verify")).toBe("verify");
    expect(parseStage("核实取证")).toBe("verify");
    expect(parseStage("取证")).toBe("verify");
    expect(parseStage("回应")).toBe("respond");
    expect(parseStage("结案")).toBe("closed");
    expect(parseStage("关闭")).toBe("closed");
    expect(parseStage("定")).toBeUndefined(); // one character is too little
    expect(parseStage("方")).toBeUndefined();
    expect(parseStage("火星")).toBeUndefined();
  });

  it("发现于=HH:mm is today, or yesterday when later than now; the word leaves the description", () => {
    const today = takeDiscovered(["门店", "发现于=07:30", "差评"], NOW, TZ);
    expect(today.words).toEqual(["门店", "差评"]);
    expect(today.discoveredAt).toBe(Date.parse("2026-11-16T07:30:00+08:00"));
    expect(takeDiscovered(["发现于：23：15"], NOW, TZ).discoveredAt).toBe(
      Date.parse("2026-11-15T23:15:00+08:00"),
    );
    expect(takeDiscovered(["无时间"], NOW, TZ)).toEqual({ words: ["无时间"], discoveredAt: undefined });
    expect(() => takeDiscovered(["发现于=7点"], NOW, TZ)).toThrow("发现于=HH:mm");
    expect(() => takeDiscovered(["发现于=24:00"], NOW, TZ)).toThrow("发现于=HH:mm");
  });

  it("rule windows read as the policy writes them", () => {
    expect([30 * 60_000, 2 * 3_600_000, 72 * 3_600_000].map(windowText)).toEqual([
      "30分钟",
      "2小时",
      "72小时",
    ]);
  });
});

describe("stage transition table", () => {
  it("forward to any later stage, one step back, nothing out of 上报 or 结案", () => {
    expect(moveStage("C-1", "assess", "respond")).toBe("respond");
    expect(moveStage("C-1", "respond", "plan")).toBe("plan");
    expect(() => moveStage("C-1", "respond", "verify")).toThrow("不能改为「核实取证」");
    expect(() => moveStage("C-1", "report", "verify")).toThrow("还没有人确认");
    expect(() => moveStage("C-1", "closed", "repair")).toThrow("已结案");
    expect(() => moveStage("C-1", "plan", "plan")).toThrow("已在「制定方案」阶段");
  });

  it("the card's next stage follows the policy's order and leaves 结案 to the command", () => {
    const chain: string[] = [];
    for (let s = nextStage("report"); s; s = nextStage(s)) chain.push(s);
    expect(chain).toEqual(STAGES.slice(1, -1));
    expect(nextStage("repair")).toBeUndefined();
  });
});
