import { z } from "zod";
import { readDataFile } from "../data-file.ts";
import { platformLabel } from "../people/catalog.ts";
import { wallTime } from "../time.ts";

/**
 * 发布时段 (《制度》第九条(一)2; 《信息发布与社交媒体管理模板》二.2): each platform's recommended publishing
 * windows, from policy/publish-windows.json. Both sources' windows count (their union): a planned time
 * inside any of them is fine. A time outside them is only a warning — the policy recommends, it does not
 * forbid (a crisis statement or a store's flash offer may have to go out at another hour).
 */

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const windowSchema = z
  .object({
    from: z.string().regex(HHMM),
    to: z.string().regex(HHMM),
    source: z.string().min(1),
    seed: z.string().min(1),
  })
  .refine((w) => w.from < w.to, { message: "window ends before it starts" });

const fileSchema = z.object({
  about: z.string().optional(),
  platforms: z.array(z.object({ platform: z.string().min(1), windows: z.array(windowSchema).min(1) })),
});

/** Minutes after midnight, [from, to] both inclusive. */
export interface Span {
  from: number;
  to: number;
}

export interface PublishWindows {
  /** Merged spans per platform key; platforms without windows are absent (never warned about). */
  spans: Map<string, Span[]>;
  /** The sources cited per platform, in file order without repeats. */
  sources: Map<string, string[]>;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

export function loadPublishWindows(
  file: string | URL = new URL("../../../policy/publish-windows.json", import.meta.url),
): PublishWindows {
  const data = readDataFile(file, fileSchema, { zh: "发布时段表", en: "publishing windows" });
  const spans = new Map<string, Span[]>();
  const sources = new Map<string, string[]>();
  for (const p of data.platforms) {
    const sorted = p.windows
      .map((w) => ({ from: minutes(w.from), to: minutes(w.to) }))
      .sort((a, b) => a.from - b.from);
    const merged: Span[] = [];
    for (const s of sorted) {
      const last = merged.at(-1);
      if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
      else merged.push({ ...s });
    }
    spans.set(p.platform, merged);
    sources.set(p.platform, [...new Set(p.windows.map((w) => w.source))]);
  }
  return { spans, sources };
}

let cached: PublishWindows | undefined;
/** The shipped table, read once. */
export function publishWindows(): PublishWindows {
  cached ??= loadPublishWindows();
  return cached;
}

export function spansText(spans: Span[]): string {
  return spans.map((s) => `${hhmm(s.from)}–${hhmm(s.to)}`).join("、");
}

/** The platforms (keys) of `platforms` whose windows do not contain the planned wall-clock time. */
export function outsideWindows(
  platforms: readonly string[],
  plannedAt: number,
  tz: string,
  w: PublishWindows = publishWindows(),
): string[] {
  const t = wallTime(plannedAt, tz);
  const m = t.hour * 60 + t.minute;
  return platforms.filter((p) => {
    const spans = w.spans.get(p);
    return spans !== undefined && !spans.some((s) => m >= s.from && m <= s.to);
  });
}

/** Lines for the /submit reply: one per platform, with its windows and where they come from. */
export function windowWarningLines(
  platforms: readonly string[],
  plannedAt: number | null | undefined,
  tz: string,
  w: PublishWindows = publishWindows(),
): string[] {
  if (plannedAt === null || plannedAt === undefined) return [];
  return outsideWindows(platforms, plannedAt, tz, w).map(
    (p) =>
      `⏰ 计划发布时间不在${platformLabel(p)}推荐时段（${spansText(w.spans.get(p) ?? [])}，${(w.sources.get(p) ?? []).join("；")}），建议调整（仅提醒，不影响审核）`,
  );
}

/** The short note after the planned time on review cards (cards have little room). */
export function windowCardNote(
  platforms: readonly string[],
  plannedAt: number | null | undefined,
  tz: string,
  w: PublishWindows = publishWindows(),
): string {
  if (plannedAt === null || plannedAt === undefined) return "";
  const out = outsideWindows(platforms, plannedAt, tz, w);
  if (out.length === 0) return "";
  // A WeCom card field holds 30 characters: the date and one platform's name fit, several do not (the
  // /submit reply and /status name them all).
  return out.length === 1 ? `（⚠️ 不在${platformLabel(out[0] as string)}推荐时段）` : "（⚠️ 非推荐时段）";
}
