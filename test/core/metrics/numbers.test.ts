import { describe, expect, it } from "vitest";
import { parseDay } from "../../../src/core/metrics/days.ts";
import { findMetricKey } from "../../../src/core/metrics/keys.ts";
import { formatCount, formatPercent, parseMetricValue, ratioPct } from "../../../src/core/metrics/numbers.ts";

describe("metric values as people type them", () => {
  it.each([
    ["8200", 8200],
    ["28万", 280_000],
    ["1.2万", 12_000],
    ["0.4万", 4_000],
    ["3w", 30_000],
    ["3W", 30_000],
    ["1,234", 1234],
    ["2k", 2000],
    ["0", 0],
  ])("count %s → %d", (text, value) => {
    expect(parseMetricValue(text, "count")).toBe(value);
  });

  it.each([
    ["96%", 96],
    ["96", 96],
    ["96.5％", 96.5],
    ["100", 100],
  ])("rate %s → %d", (text, value) => {
    expect(parseMetricValue(text, "rate")).toBe(value);
  });

  it.each([
    ["abc", "count", "应为数字，如 8200、1.2万、3w"],
    ["-3", "count", "不能是负数"],
    ["5%", "count", "是数量，不能带 %"],
    ["1.5", "count", "必须是整数（1.2345万 不是整数）"],
    ["101", "rate", "百分比不能超过 100"],
    ["3万", "rate", "是百分比，不能带万/w"],
    ["12,34", "count", "应为数字，如 8200、1.2万、3w"],
  ] as const)("%s as %s is refused: %s", (text, kind, error) => {
    expect(parseMetricValue(text, kind)).toEqual({ error });
  });

  it("formats as seeds/003 模板3 writes them; ratios never divide by zero", () => {
    expect([280_000, 8200, 32_000, 550_000, 123_456, 0].map(formatCount)).toEqual([
      "28万",
      "8200",
      "3.2万",
      "55万",
      "12.35万",
      "0",
    ]);
    expect(formatPercent(ratioPct(8200, 280_000) ?? Number.NaN)).toBe("2.9%");
    expect(formatPercent(ratioPct(32_000, 550_000) ?? Number.NaN)).toBe("5.8%");
    expect(formatPercent(ratioPct(450_000, 500_000) ?? Number.NaN)).toBe("90%");
    expect(ratioPct(5, 0)).toBeUndefined();
  });

  it("finds keys by label and alias", () => {
    expect(
      ["播放", "阅读", "展现", "分享", "新增关注", "粉丝总数", "团购"].map((a) => findMetricKey(a)?.label),
    ).toEqual(["曝光", "曝光", "曝光", "转发", "关注", "粉丝", "套餐"]);
    expect(findMetricKey("心情")).toBeUndefined();
  });

  it("reads dates: full, month-day (never in the future), 昨天", () => {
    expect(parseDay("2026-11-20", "2026-11-21")).toBe("2026-11-20");
    expect(parseDay("11-20", "2026-11-21")).toBe("2026-11-20");
    expect(parseDay("12-31", "2027-01-02")).toBe("2026-12-31");
    expect(parseDay("昨天", "2027-01-01")).toBe("2026-12-31");
    expect(parseDay("2026-02-30", "2026-11-21")).toBeUndefined();
    expect(parseDay("曝光=1", "2026-11-21")).toBeUndefined();
  });
});
