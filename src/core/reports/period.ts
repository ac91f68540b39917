import { addDays, dayOf, dayStart, shortDay } from "../metrics/days.ts";
import { UserError } from "../types.ts";

/** A report period: an ISO week (Monday to Sunday) or a calendar month, in BOT_TIMEZONE. */
export interface Span {
  /** 2026-W47 | 2026-11 */
  label: string;
  /** First day and the day after the last (YYYY-MM-DD), and the same as epoch ms [start, end). */
  startDay: string;
  endDay: string;
  start: number;
  end: number;
}

export interface Period extends Span {
  kind: "week" | "month";
  /** 本周 | 本月, 上周 | 上月: how the report names this period and the one it compares with. */
  noun: string;
  prevNoun: string;
  prev: Span;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Day of week of a calendar date, 0 = Monday (from the date itself, independent of any time zone). */
function isoDow(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return (new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).getUTCDay() + 6) % 7;
}

/** The ISO week of a date: the week belongs to the year of its Thursday. */
export function isoWeekOf(day: string): { year: number; week: number } {
  const thursday = addDays(day, 3 - isoDow(day));
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(`${year}-01-04`, 3 - isoDow(`${year}-01-04`));
  const week = 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000));
  return { year, week };
}

/** 52 or 53: a year has week 53 when 28 December falls in it. */
export function weeksInYear(year: number): number {
  return isoWeekOf(`${year}-12-28`).week;
}

export function mondayOfIsoWeek(year: number, week: number): string {
  const jan4 = `${year}-01-04`;
  return addDays(addDays(jan4, -isoDow(jan4)), (week - 1) * 7);
}

function weekSpan(monday: string, tz: string): Span {
  const { year, week } = isoWeekOf(monday);
  const endDay = addDays(monday, 7);
  return {
    label: `${year}-W${pad(week)}`,
    startDay: monday,
    endDay,
    start: dayStart(monday, tz),
    end: dayStart(endDay, tz),
  };
}

function monthSpan(year: number, month: number, tz: string): Span {
  const startDay = `${year}-${pad(month)}-01`;
  const endDay = month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
  return {
    label: `${year}-${pad(month)}`,
    startDay,
    endDay,
    start: dayStart(startDay, tz),
    end: dayStart(endDay, tz),
  };
}

export function weekPeriod(monday: string, tz: string): Period {
  return {
    kind: "week",
    noun: "本周",
    prevNoun: "上周",
    ...weekSpan(monday, tz),
    prev: weekSpan(addDays(monday, -7), tz),
  };
}

export function monthPeriod(year: number, month: number, tz: string): Period {
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  return {
    kind: "month",
    noun: "本月",
    prevNoun: "上月",
    ...monthSpan(year, month, tz),
    prev: monthSpan(prevYear, prevMonth, tz),
  };
}

/** The week containing `now`, or the one before it (`last`). */
export function currentWeek(now: number, tz: string, back = 0): Period {
  const today = dayOf(now, tz);
  return weekPeriod(addDays(today, -isoDow(today) - 7 * back), tz);
}

export function currentMonth(now: number, tz: string, back = 0): Period {
  const [y, m] = dayOf(now, tz).split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return monthPeriod(Math.floor(index / 12), (index % 12) + 1, tz);
}

export const WEEK_USAGE = "用法：/report week [last|YYYY-Www] [csv]（/周报 [上周|2026-W47] [csv]），默认本周";
/** /report names both kinds in one line (not the two lines glued). */
export const REPORT_USAGE =
  "用法：/report week|month [last|2026-W47|2026-11] [csv]（也可发 /周报、/月报），默认本周或本月";
export const MONTH_USAGE = "用法：/report month [last|YYYY-MM] [csv]（/月报 [上月|2026-11] [csv]），默认本月";

/** `/report week` arguments: nothing (this week), last/上周, or an ISO week such as 2026-W53. */
export function parseWeekArg(arg: string | undefined, now: number, tz: string): Period {
  if (!arg || arg === "本周" || arg === "this") return currentWeek(now, tz);
  if (arg === "last" || arg === "上周") return currentWeek(now, tz, 1);
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(arg);
  if (!m) throw new UserError(WEEK_USAGE);
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) {
    throw new UserError(`${year} 年只有 ${weeksInYear(year)} 周（ISO 周），没有第 ${week} 周`);
  }
  return notFuture(weekPeriod(mondayOfIsoWeek(year, week), tz), now, tz);
}

export function parseMonthArg(arg: string | undefined, now: number, tz: string): Period {
  if (!arg || arg === "本月" || arg === "this") return currentMonth(now, tz);
  if (arg === "last" || arg === "上月") return currentMonth(now, tz, 1);
  const m = /^(\d{4})-(\d{1,2})$/.exec(arg);
  const month = Number(m?.[2]);
  if (!m || month < 1 || month > 12) throw new UserError(MONTH_USAGE);
  return notFuture(monthPeriod(Number(m[1]), month, tz), now, tz);
}

function notFuture(p: Period, now: number, tz: string): Period {
  if (p.startDay > dayOf(now, tz)) throw new UserError(`${p.label} 还没有开始，没有可报告的数据`);
  return p;
}

/** "2026-W47（11-16 至 11-22）" / "2026-11（11-01 至 11-30）"; the year is shown when the span crosses one. */
export function periodText(p: Span): string {
  const last = addDays(p.endDay, -1);
  const crosses = p.startDay.slice(0, 4) !== last.slice(0, 4);
  const show = (d: string) => (crosses ? d : shortDay(d));
  return `${p.label}（${show(p.startDay)} 至 ${show(last)}）`;
}
