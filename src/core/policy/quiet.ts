import { fromWallTime, wallTime } from "../time.ts";
import { parseQuietHours } from "./rules.ts";

/**
 * When `now` falls inside quiet hours ("22:00-08:30", may wrap midnight) returns the time they end;
 * otherwise undefined. Non-crisis reminders wait until then (docs/decisions.md); crisis pages never ask.
 */
export function quietUntil(now: number, quiet: string, tz: string): number | undefined {
  const range = parseQuietHours(quiet);
  if (!range) return undefined;
  const [start, end] = range;
  if (start === end) return undefined;
  const w = wallTime(now, tz);
  const minute = w.hour * 60 + w.minute;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return undefined;
  const endToday = fromWallTime(
    { year: w.year, month: w.month, day: w.day, hour: Math.floor(end / 60), minute: end % 60 },
    tz,
  );
  // Past midnight-wrapping start (e.g. 23:00 with 22:00-08:30): the end is tomorrow morning.
  return endToday > now ? endToday : endToday + 86_400_000;
}
