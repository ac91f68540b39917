import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDateTime, wallTime } from "../../src/core/time.ts";

/**
 * wallTime caches each zone's UTC offset per quarter hour instead of asking Intl every time (the card path
 * formats several times per click). Every date a card shows must still read exactly as Intl would show it,
 * including across daylight-saving changes and in zones with half- and quarter-hour offsets.
 */
const ZONES = [
  "Asia/Shanghai",
  "America/New_York",
  "Europe/London",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "America/St_Johns",
  "UTC",
];

function intl(ms: number, tz: string) {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms)))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  return p;
}

describe("wallTime", () => {
  it("agrees with Intl for any instant in any of the zones, DST changes included", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, tz) => {
          expect(wallTime(ms, tz)).toEqual(intl(ms, tz));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("reads the minutes either side of New York's spring-forward and fall-back correctly", () => {
    // 2026-03-08 02:00 EST → 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT → 01:00 EST (06:00Z).
    const tz = "America/New_York";
    expect(formatDateTime(Date.UTC(2026, 2, 8, 6, 59), tz)).toBe("2026-03-08 01:59");
    expect(formatDateTime(Date.UTC(2026, 2, 8, 7, 0), tz)).toBe("2026-03-08 03:00");
    expect(formatDateTime(Date.UTC(2026, 10, 1, 5, 59), tz)).toBe("2026-11-01 01:59");
    expect(formatDateTime(Date.UTC(2026, 10, 1, 6, 0), tz)).toBe("2026-11-01 01:00");
    expect(formatDateTime(Date.UTC(2026, 10, 21, 6, 30), "Asia/Shanghai")).toBe("2026-11-21 14:30");
  });
});
