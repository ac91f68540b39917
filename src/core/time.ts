/** Wall-clock helpers in the bot's time zone (BOT_TIMEZONE, default Asia/Shanghai). Times are epoch ms. */

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partsCache.set(tz, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTimeIntl(ms: number, tz: string): WallTime {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  return {
    year: p.year ?? 0,
    month: p.month ?? 0,
    day: p.day ?? 0,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
  };
}

/**
 * formatToParts costs ~15 µs and a card shows several times, so the zone's UTC offset is cached per
 * 15-minute slice of time (zone transitions fall on quarter hours) and the fields come from Date's UTC
 * getters. Anything odd (sub-minute offsets of historical local mean time) falls back to Intl.
 */
const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();

export function wallTime(ms: number, tz: string): WallTime {
  const slice = Math.floor(ms / QUARTER_HOUR);
  const key = `${tz}|${slice}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = slice * QUARTER_HOUR;
    const w = wallTimeIntl(start, tz);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - start;
    if (offset % 60_000 !== 0) return wallTimeIntl(ms, tz);
    if (offsets.size >= 4096) offsets.clear();
    offsets.set(key, offset);
  }
  const d = new Date(ms + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-21 14:30" */
export function formatDateTime(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** "11-21 14:30": short form for cards. */
export function formatShort(ms: number, tz: string): string {
  const w = wallTime(ms, tz);
  return `${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** Epoch ms of a wall-clock time in tz (handles any fixed or DST offset by one correction step). */
export function fromWallTime(w: Omit<WallTime, "second"> & { second?: number }, tz: string): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second ?? 0);
  const shown = wallTime(guess, tz);
  const shownMs = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second);
  return guess - (shownMs - guess);
}

/** Parses "YYYY-MM-DD HH:mm" (or with T) in tz; undefined when malformed or not a real date. */
export function parseDateTime(text: string, tz: string): number | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const ms = fromWallTime({ year, month, day, hour, minute }, tz);
  const back = wallTime(ms, tz);
  return back.day === day && back.month === month ? ms : undefined;
}

/** Parses "YYYY-MM" → [start, end) in tz. */
export function monthRange(text: string, tz: string): [number, number] | undefined {
  const m = /^(\d{4})-(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const start = fromWallTime({ year, month, day: 1, hour: 0, minute: 0 }, tz);
  const end =
    month === 12
      ? fromWallTime({ year: year + 1, month: 1, day: 1, hour: 0, minute: 0 }, tz)
      : fromWallTime({ year, month: month + 1, day: 1, hour: 0, minute: 0 }, tz);
  return [start, end];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/** "30s" | "10m" | "24h" | "3d" → ms (the duration syntax of `/policy set`, docs/commands.md). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(text.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * (UNITS[(m[2] ?? "").toLowerCase()] ?? Number.NaN);
  // Under a second is a typo, not a policy (a 0 ms reminder interval would fire on every sweep).
  const rounded = Math.round(ms);
  return Number.isFinite(ms) && rounded >= 1000 ? rounded : undefined;
}

/** ms → "12小时" / "30分钟" / "1天2小时" for people. */
export function describeDuration(ms: number): string {
  const d = Math.floor(ms / DAY);
  const h = Math.floor((ms % DAY) / HOUR);
  const m = Math.floor((ms % HOUR) / MINUTE);
  const s = Math.floor((ms % MINUTE) / SECOND);
  const out = [d && `${d}天`, h && `${h}小时`, m && `${m}分钟`, !d && !h && !m && `${s}秒`].filter(Boolean);
  return out.join("");
}

/** The ISO week (Monday 00:00 to the next Monday 00:00, in tz) containing `ms`. */
export function weekRange(ms: number, tz: string): [number, number] {
  const w = wallTime(ms, tz);
  // Day of week from the wall date itself (0 = Monday), independent of the machine's zone.
  const dow = (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(w.year, w.month - 1, w.day - dow));
  const start = fromWallTime(
    {
      year: monday.getUTCFullYear(),
      month: monday.getUTCMonth() + 1,
      day: monday.getUTCDate(),
      hour: 0,
      minute: 0,
    },
    tz,
  );
  const next = new Date(monday.getTime() + 7 * DAY);
  const end = fromWallTime(
    {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: 0,
      minute: 0,
    },
    tz,
  );
  return [start, end];
}
