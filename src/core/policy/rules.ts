import { Cron } from "croner";
import { z } from "zod";
import { readDataFile } from "../data-file.ts";
import { parseDuration } from "../time.ts";

/** The rule numbers of the policy as data (policy/rules.json) and how each type of value is checked. */

const ruleSchema = z.object({
  key: z.string(),
  type: z.enum(["duration", "count", "cron", "quiet", "text"]),
  default: z.string(),
  label: z.string(),
  source: z.string(),
  /** The area /policy groups the rule under (内容审核, 危机处置, …). */
  area: z.string().default("其他"),
});
export type RuleDef = z.infer<typeof ruleSchema>;

const path = new URL("../../../policy/rules.json", import.meta.url);
export const ruleDefs: RuleDef[] = readDataFile(path, z.object({ rules: z.array(ruleSchema) }), {
  zh: "规则数字表",
  en: "rules file",
}).rules;

const TYPE_HINT: Record<RuleDef["type"], string> = {
  duration: "时长，如 30分钟、6小时、3天",
  count: "非负整数",
  cron: "时间，如 每天 09:30、每周一 10:00、每月1日 10:00",
  quiet: "时段，如 22:00-08:30",
  text: "文本",
};

export function typeHint(type: RuleDef["type"]): string {
  return TYPE_HINT[type];
}

/** Returns an error text when the value does not fit the rule's type; undefined when it is fine. */
export function validateRuleValue(
  def: RuleDef,
  value: string,
  textChoices?: string[],
  shownChoices = textChoices,
): string | undefined {
  const ok = (() => {
    switch (def.type) {
      case "duration":
        return parseDuration(value) !== undefined;
      case "count":
        return /^\d{1,9}$/.test(value);
      case "cron":
        return isValidCron(value);
      case "quiet":
        return parseQuietHours(value) !== undefined;
      case "text":
        return value.length > 0 && (!textChoices || textChoices.includes(value));
    }
  })();
  if (ok) return undefined;
  const choices = shownChoices ? `（可选：${shownChoices.join("、")}）` : "";
  return `「${value}」不是有效的取值，应为${TYPE_HINT[def.type]}${choices}`;
}

function isValidCron(expr: string): boolean {
  if (expr.trim().split(/\s+/).length !== 5) return false;
  try {
    new Cron(expr, { paused: true });
    return true;
  } catch {
    return false;
  }
}

/** "22:00-08:30" → minutes of day [start, end); the range may wrap midnight. */
export function parseQuietHours(value: string): [number, number] | undefined {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return undefined;
  return [h1 * 60 + m1, h2 * 60 + m2];
}
