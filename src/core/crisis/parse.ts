import { parseItemNo } from "../commands/parse.ts";
import { fromWallTime, wallTime } from "../time.ts";
import { UserError } from "../types.ts";
import { STAGE_LABEL, STAGES, type Stage, type Tier } from "./model.ts";

/** Words of the /crisis command: tiers, stages, `发现于=HH:mm`, crisis numbers. */

const TIER_WORDS: Record<string, Tier> = {
  "1": 1,
  一: 1,
  一级: 1,
  "1级": 1,
  一般: 1,
  "2": 2,
  二: 2,
  二级: 2,
  "2级": 2,
  较大: 2,
  "3": 3,
  三: 3,
  三级: 3,
  "3级": 3,
  重大: 3,
};

export function parseTier(token: string | undefined): Tier | undefined {
  const t = token?.trim();
  // Own keys only: TIER_WORDS["constructor"] is Object, which made `/crisis constructor …` a 500 (test/fuzz).
  return t !== undefined && Object.hasOwn(TIER_WORDS, t) ? TIER_WORDS[t] : undefined;
}

/** A stage by key (verify), label (核实取证) or a unique part of a label of 2+ characters (取证). */
export function parseStage(token: string | undefined): Stage | undefined {
  const t = token?.trim() ?? "";
  if (!t) return undefined;
  const exact = STAGES.find((s) => s === t.toLowerCase() || STAGE_LABEL[s] === t);
  if (exact) return exact;
  if (t === "关闭") return "closed";
  const partial = t.length >= 2 ? STAGES.filter((s) => STAGE_LABEL[s].includes(t)) : [];
  return partial.length === 1 ? partial[0] : undefined;
}

export function crisisArg(token: string | undefined, usage: string): number {
  const id = parseItemNo(token, "C");
  if (id === undefined) throw new UserError(usage);
  return id;
}

const FOUND = /^发现于[=＝:：]?(.*)$/;
const HHMM = /^(\d{1,2})[:：](\d{2})$/;

/**
 * Takes `发现于=HH:mm` out of the words. The time is today's; a time later than now means yesterday
 * (reported after midnight). Undefined when the words have none.
 */
export function takeDiscovered(
  words: string[],
  now: number,
  tz: string,
): { words: string[]; discoveredAt: number | undefined } {
  const i = words.findIndex((w) => FOUND.test(w));
  if (i < 0) return { words, discoveredAt: undefined };
  const value = FOUND.exec(words[i] ?? "")?.[1] ?? "";
  const m = HHMM.exec(value);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) throw new UserError("发现时间格式：发现于=HH:mm，例如 发现于=09:30");
  const w = wallTime(now, tz);
  let at = fromWallTime({ year: w.year, month: w.month, day: w.day, hour, minute }, tz);
  if (at > now) at -= 86_400_000;
  return { words: words.filter((_, j) => j !== i), discoveredAt: at };
}
