import { fromWallTime, wallTime } from "../time.ts";

/** Wall dates ("YYYY-MM-DD" in BOT_TIMEZONE): how metrics are keyed and how reports walk a period. */

const pad = (n: number) => String(n).padStart(2, "0");

export function dayOf(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

function parts(day: string): [number, number, number] {
  const [y, m, d] = day.split("-").map(Number);
  return [y ?? 0, m ?? 0, d ?? 0];
}

/** The calendar day `n` days after `day` (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parts(day);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Epoch ms of 00:00 of that day in tz. */
export function dayStart(day: string, tz: string): number {
  const [year, month, d] = parts(day);
  return fromWallTime({ year, month, day: d, hour: 0, minute: 0 }, tz);
}

/** Every day from `start` up to but excluding `end`. */
export function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) out.push(d);
  return out;
}

/** "2026-11-20" → "11-20" */
export const shortDay = (day: string) => day.slice(5);

/**
 * A date as people write it after /metric: 2026-11-20, 11-20 (the latest such date not after today),
 * 今天, 昨天, 前天. Undefined when it is not a date; the caller refuses dates after today.
 */
export function parseDay(text: string, today: string): string | undefined {
  const t = text.trim();
  const rel: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2 };
  // Own keys only: `"toString" in rel` is true, and /metric 抖音 toString … answered "NaN-NaN-NaN" (test/fuzz).
  if (Object.hasOwn(rel, t)) return addDays(today, rel[t] ?? 0);
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  let year: number;
  if (m) year = Number(m[1]);
  else {
    m = /^()(\d{1,2})[-/.](\d{1,2})$/.exec(t);
    if (!m) return undefined;
    year = Number(today.slice(0, 4));
  }
  const month = Number(m[2]);
  const d = Number(m[3]);
  if (month < 1 || month > 12 || d < 1 || d > 31) return undefined;
  const check = new Date(Date.UTC(year, month - 1, d));
  if (check.getUTCMonth() !== month - 1) return undefined;
  let day = `${year}-${pad(month)}-${pad(d)}`;
  if (!m[1] && day > today) day = `${year - 1}-${pad(month)}-${pad(d)}`;
  return day;
}
