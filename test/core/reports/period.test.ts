import { describe, expect, it } from "vitest";
import {
  currentMonth,
  currentWeek,
  isoWeekOf,
  mondayOfIsoWeek,
  parseWeekArg,
  periodText,
  weeksInYear,
} from "../../../src/core/reports/period.ts";

const TZ = "Asia/Shanghai";
const at = (iso: string) => Date.parse(`${iso}+08:00`);

describe("ISO weeks", () => {
  it("follow ISO 8601: week 1 holds 4 January, years have 52 or 53 weeks", () => {
    expect(isoWeekOf("2026-11-16")).toEqual({ year: 2026, week: 47 });
    expect(isoWeekOf("2026-12-28")).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf("2027-01-03")).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf("2027-01-04")).toEqual({ year: 2027, week: 1 });
    expect(isoWeekOf("2024-12-30")).toEqual({ year: 2025, week: 1 });
    expect(isoWeekOf("2021-01-03")).toEqual({ year: 2020, week: 53 });
    expect([2020, 2021, 2024, 2025, 2026, 2027].map(weeksInYear)).toEqual([53, 52, 52, 52, 53, 52]);
    expect(mondayOfIsoWeek(2026, 53)).toBe("2026-12-28");
    expect(mondayOfIsoWeek(2025, 1)).toBe("2024-12-30");
  });

  it("2026-W53 spans two years and compares with W52; its bounds are Shanghai midnights", () => {
    const p = parseWeekArg("2026-W53", at("2027-02-01T00:00:00"), TZ);
    expect([p.startDay, p.endDay, p.prev.label]).toEqual(["2026-12-28", "2027-01-04", "2026-W52"]);
    expect(p.start).toBe(at("2026-12-28T00:00:00"));
    expect(p.end).toBe(at("2027-01-04T00:00:00"));
    expect(periodText(p)).toBe("2026-W53（2026-12-28 至 2027-01-03）");
  });

  it("this week, last week, this month and last month from a Sunday night and a 1st of January", () => {
    const sunday = at("2026-11-22T23:59:00");
    expect(currentWeek(sunday, TZ).label).toBe("2026-W47");
    expect(currentWeek(sunday, TZ, 1).label).toBe("2026-W46");
    const newYear = at("2027-01-01T10:00:00");
    expect(currentMonth(newYear, TZ, 1).label).toBe("2026-12");
    expect(currentMonth(newYear, TZ, 1).prev.label).toBe("2026-11");
    expect(currentMonth(newYear, TZ).endDay).toBe("2027-02-01");
    expect(currentWeek(newYear, TZ, 1).label).toBe("2026-W52");
  });
});
