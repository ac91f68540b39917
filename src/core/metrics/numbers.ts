import type { MetricKind } from "./keys.ts";

/**
 * Metric values as people type them (docs/metrics-reports.md): "28万", "1.2万", "3w", "8200", "1,234", "96%". Counts are
 * non-negative integers; rates are 0–100 with or without %. Returns the number or the reason it is not one.
 */
const UNITS: Record<string, number> = { 万: 10_000, w: 10_000, 亿: 100_000_000, k: 1_000, 千: 1_000 };

export function parseMetricValue(raw: string, kind: MetricKind): number | { error: string } {
  const text = raw.trim().replace(/％/g, "%").replace(/，/g, ",");
  const m = /^(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万|w|亿|k|千)?\s*(%)?$/i.exec(text);
  if (!m) {
    if (/^[-−]/.test(text)) return { error: "不能是负数" };
    return { error: kind === "rate" ? "应为 0–100 的百分比，如 96% 或 96" : "应为数字，如 8200、1.2万、3w" };
  }
  const [, digits = "", unit, pct] = m;
  if (digits.includes(",") && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(digits)) return { error: "千分位写法不对" };
  const base = Number(digits.replace(/,/g, ""));
  if (kind === "rate") {
    if (unit) return { error: "是百分比，不能带万/w" };
    if (base > 100) return { error: "百分比不能超过 100" };
    return Math.round(base * 100) / 100;
  }
  if (pct) return { error: "是数量，不能带 %" };
  const value = base * (unit ? (UNITS[unit.toLowerCase()] ?? 1) : 1);
  // 1.2万 is 12000 exactly; floating point may say 11999.999…
  const rounded = Math.round(value);
  if (Math.abs(value - rounded) > 1e-6) return { error: "必须是整数（1.2345万 不是整数）" };
  if (!Number.isSafeInteger(rounded)) return { error: "数字太大" };
  return rounded;
}

/** 280000 → "28万", 12000 → "1.2万", 8200 → "8200", 123456 → "12.35万" (as seeds/003 模板3 writes them). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "—";
  if (Math.abs(n) >= 100_000_000) return `${trim(n / 100_000_000)}亿`;
  if (Math.abs(n) >= 10_000) return `${trim(n / 10_000)}万`;
  return String(Math.round(n));
}

function trim(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
}

/** 2.928… → "2.9%"; 90 → "90%" (one decimal, none when it is .0). */
export function formatPercent(pct: number): string {
  if (!Number.isFinite(pct)) return "—";
  return `${(Math.round(pct * 10) / 10).toFixed(1).replace(/\.0$/, "")}%`;
}

/** A ratio as a percentage, or undefined when the denominator is 0 (never NaN, never ∞). */
export function ratioPct(numerator: number, denominator: number): number | undefined {
  return denominator > 0 ? (numerator / denominator) * 100 : undefined;
}

export function formatValue(value: number, kind: MetricKind | "derived"): string {
  return kind === "rate" ? formatPercent(value) : formatCount(value);
}
