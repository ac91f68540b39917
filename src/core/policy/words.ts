import { Cron } from "croner";
import { formatDateTime } from "../time.ts";
import type { RuleDef } from "./rules.ts";

/**
 * Rule values as people say them, both ways: "24h" is shown 24小时 and 6小时 is accepted for it; the cron
 * "30 9 * * *" is shown 每天 09:30 and 每天 09:30 is accepted for it. What is stored stays the short form the
 * timers read, so nothing else changes.
 */

const UNIT_WORD: Record<string, string> = { s: "秒", m: "分钟", h: "小时", d: "天" };
const WORD_UNIT: [RegExp, string, number][] = [
  [/^(?:秒|秒钟)$/, "s", 1],
  [/^(?:分|分钟)$/, "m", 1],
  [/^(?:时|小时|个小时)$/, "h", 1],
  [/^(?:天|日)$/, "d", 1],
  [/^(?:周|星期|个星期)$/, "d", 7],
];
const WEEKDAY = ["日", "一", "二", "三", "四", "五", "六", "日"];

/** The rule's name as a person types it: the label without the part in brackets or after a colon. */
export function ruleName(def: RuleDef): string {
  return (def.label.split("：")[0] ?? def.label).replace(/（[^）]*）/g, "").trim();
}

export function durationWords(value: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/i.exec(value.trim());
  return m ? `${m[1]}${UNIT_WORD[(m[2] ?? "").toLowerCase()]}` : value;
}

/** "6小时" → "6h", "3天" → "3d", "30分钟" → "30m", "2周" → "14d"; anything else unchanged. */
export function durationFromWords(text: string): string {
  const m = /^(\d+(?:\.\d+)?)\s*(\D+)$/.exec(text.trim());
  if (!m) return text;
  const unit = WORD_UNIT.find(([re]) => re.test((m[2] ?? "").trim()));
  if (!unit) return text;
  return `${Number(m[1]) * unit[2]}${unit[1]}`;
}

const hm = (h: string, m: string) => `${h.padStart(2, "0")}:${m.padStart(2, "0")}`;

/** The usual schedules in words; any other cron as its next time (never the cron string itself). */
export function cronWords(expr: string, now: number, tz: string): string {
  const f = expr.trim().split(/\s+/);
  const [min = "", hour = "", dom = "", mon = "", dow = ""] = f;
  if (f.length === 5 && /^\d+$/.test(min) && /^\d+$/.test(hour) && mon === "*") {
    const at = hm(hour, min);
    if (dom === "*" && dow === "*") return `每天 ${at}`;
    if (dom === "*" && /^[0-7]$/.test(dow)) return `每周${WEEKDAY[Number(dow)]} ${at}`;
    if (dom === "*" && dow === "1-5") return `每周一至周五 ${at}`;
    if (/^\d+$/.test(dom) && dow === "*") return `每月${Number(dom)}日 ${at}`;
  }
  try {
    const next = new Cron(expr, { timezone: tz, paused: true }).nextRun(new Date(now));
    return next ? `自定义时间（下次 ${formatDateTime(next.getTime(), tz)}）` : "自定义时间";
  } catch {
    return "自定义时间";
  }
}

/** "每天 09:30" → "30 9 * * *", "每周一 10:00", "每周一至周五 09:00", "每月1日 10:00"; else unchanged. */
export function cronFromWords(text: string): string {
  const t = text.trim().replace(/\s+/g, "");
  const time = /(\d{1,2})[:：](\d{2})$/.exec(t);
  if (!time) return text;
  const [h, m] = [Number(time[1]), Number(time[2])];
  if (h > 23 || m > 59) return text;
  const what = t.slice(0, time.index);
  const at = `${m} ${h}`;
  if (/^(?:每天|每日)$/.test(what)) return `${at} * * *`;
  if (/^(?:每周一至周五|每周一到周五|工作日|每个工作日)$/.test(what)) return `${at} * * 1-5`;
  const week = /^(?:每周|每星期)([一二三四五六日天])$/.exec(what);
  if (week) return `${at} * * ${"日一二三四五六".indexOf((week[1] ?? "").replace("天", "日"))}`;
  const month = /^每月(\d{1,2})[日号]$/.exec(what);
  if (month && Number(month[1]) >= 1 && Number(month[1]) <= 31) return `${at} ${Number(month[1])} * *`;
  return text;
}

export function quietWords(value: string): string {
  const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(value.trim());
  if (!m) return value;
  const [from = "", to = ""] = [m[1], m[2]];
  return from.padStart(5, "0") > to.padStart(5, "0") ? `${from} 至次日 ${to}` : `${from} 至 ${to}`;
}

/** A rule's value in words, for /policy and its confirmations. */
export function valueWords(
  def: RuleDef,
  value: string,
  now: number,
  tz: string,
  choiceLabels?: Record<string, string>,
): string {
  switch (def.type) {
    case "duration":
      return durationWords(value);
    case "cron":
      return cronWords(value, now, tz);
    case "quiet":
      return quietWords(value);
    case "text":
      return choiceLabels?.[value] ?? value;
    default:
      return value;
  }
}

/** What a person typed → the stored form of the rule's type (unknown shapes pass through to validation). */
export function valueFromWords(def: RuleDef, text: string, choiceLabels?: Record<string, string>): string {
  switch (def.type) {
    case "duration":
      return durationFromWords(text);
    case "cron":
      return cronFromWords(text);
    case "quiet":
      return text.trim().replace(/\s*(?:至次日|至|到|~|～|—)\s*/, "-");
    case "text": {
      const byLabel = Object.entries(choiceLabels ?? {}).find(([, label]) => label === text.trim());
      return byLabel ? byLabel[0] : text;
    }
    default:
      return text;
  }
}
