import { findMetricKey, findTargetKey, type MetricKind, metricLabel, validKeysText } from "./keys.ts";
import { parseMetricValue } from "./numbers.ts";

/** `指标=数值` pairs of one /metric or /target line, validated all at once (all or nothing: docs/metrics-reports.md). */

export interface Pair {
  key: string;
  value: number;
}

const SPLIT = /^([^=＝:：]+)[=＝:：](.*)$/;

/** Splits "曝光=28万" (also ＝ : ：); undefined when the token has no separator. */
export function splitPair(token: string): { name: string; raw: string } | undefined {
  const m = SPLIT.exec(token);
  return m ? { name: (m[1] ?? "").trim(), raw: (m[2] ?? "").trim() } : undefined;
}

/**
 * Every problem of the line, so one answer says all that is wrong; an empty `problems` means every pair
 * is valid and `pairs` holds them in the order typed.
 */
export function validatePairs(
  tokens: string[],
  resolve: (name: string) => { key: string; kind: MetricKind } | undefined,
): { pairs: Pair[]; problems: string[] } {
  const pairs: Pair[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const token of tokens) {
    const p = splitPair(token);
    if (!p) {
      problems.push(`「${token}」不是「指标=数值」的写法（如 曝光=28万）`);
      continue;
    }
    const def = resolve(p.name);
    if (!def) {
      problems.push(`没有指标「${p.name}」`);
      continue;
    }
    const label = metricLabel(def.key);
    const name = p.name === label ? label : `${p.name}（${label}）`;
    if (!p.raw) {
      problems.push(`${name} 缺少数值`);
      continue;
    }
    if (seen.has(def.key)) {
      problems.push(`${label} 写了两次（${seen.get(def.key)} 和 ${token}）`);
      continue;
    }
    seen.set(def.key, token);
    const value = parseMetricValue(p.raw, def.kind);
    if (typeof value !== "number") {
      problems.push(`${name}=${p.raw}：${value.error}`);
      continue;
    }
    pairs.push({ key: def.key, value });
  }
  return { pairs, problems };
}

export const resolveMetric = (name: string) => findMetricKey(name);

export function resolveTarget(name: string): { key: string; kind: MetricKind } | undefined {
  const k = findTargetKey(name);
  return k ? { key: k.key, kind: "count" } : undefined;
}

/** The refusal for a bad line: every reason, then the valid keys (docs/metrics-reports.md). */
export function refusal(head: string, problems: string[], keys = validKeysText()): string {
  return [`${head}，未登记任何数据：`, ...problems.map((p) => `· ${p}`), `可用指标：${keys}`].join("\n");
}
