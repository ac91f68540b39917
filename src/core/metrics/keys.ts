import { z } from "zod";
import { readDataFile } from "../data-file.ts";

/** The metric dictionary (seeds/000 第十条(一), seeds/003 模板3) as data (policy/metrics.json): keys, labels, aliases, how they add up. */

const keyDef = z.object({
  key: z.string(),
  label: z.string(),
  aliases: z.array(z.string()),
  also: z.array(z.string()).default([]),
  kind: z.enum(["count", "level", "rate"]),
});
const file = z.object({
  keys: z.array(keyDef),
  derived: z.array(
    z.object({ key: z.string(), label: z.string(), aliases: z.array(z.string()), sum: z.array(z.string()) }),
  ),
  rates: z.array(
    z.object({ key: z.string(), label: z.string(), numerator: z.string(), denominator: z.string() }),
  ),
});

export type MetricKey = z.infer<typeof keyDef>;
export type MetricKind = MetricKey["kind"];

const path = new URL("../../../policy/metrics.json", import.meta.url);
export const metricDictionary = readDataFile(path, file, { zh: "指标字典", en: "metrics dictionary" });
export const metricKeys: MetricKey[] = metricDictionary.keys;

/** 互动量 = 点赞 + 评论 + 转发 (seeds/003 模板3): the keys it sums, from the data file. */
const interactionsDef = metricDictionary.derived.find((d) => d.key === "interactions");
if (!interactionsDef) throw new Error("policy/metrics.json: derived key interactions is missing");
export const INTERACTIONS = interactionsDef;

const norm = (s: string) => s.trim().toLowerCase();

/** A loggable key by key, label or alias ("播放" → 曝光). */
export function findMetricKey(text: string): MetricKey | undefined {
  const t = norm(text);
  return metricKeys.find((k) => k.key === t || k.label === t || k.aliases.includes(t) || k.also.includes(t));
}

/** A key a target can be set on: any count key, or a derived one (互动). */
export function findTargetKey(text: string): { key: string; label: string } | undefined {
  const t = norm(text);
  const derived = metricDictionary.derived.find((d) => d.key === t || d.label === t || d.aliases.includes(t));
  if (derived) return derived;
  const k = findMetricKey(t);
  return k && k.kind === "count" ? k : undefined;
}

export function metricLabel(key: string): string {
  return (
    metricKeys.find((k) => k.key === key)?.label ??
    metricDictionary.derived.find((d) => d.key === key)?.label ??
    key
  );
}

export function metricKind(key: string): MetricKind | undefined {
  return metricKeys.find((k) => k.key === key)?.kind;
}

/** "曝光（播放、阅读、展现）、点赞、…": the valid keys, for error messages and /metric 指标. */
export function validKeysText(): string {
  return metricKeys
    .map((k) => {
      const pct = k.kind === "rate" ? "（%）" : "";
      return `${k.label}${k.aliases.length ? `（${k.aliases.join("、")}）` : ""}${pct}`;
    })
    .join("、");
}

export function targetKeysText(): string {
  const counts = metricKeys.filter((k) => k.kind === "count").map((k) => k.label);
  return [...counts.slice(0, 1), ...metricDictionary.derived.map((d) => d.label), ...counts.slice(1)].join(
    "、",
  );
}
