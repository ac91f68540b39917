/**
 * The grammar of data and reports: /metric, /target, /report, /周报, /月报, with metric values as people type
 * them.
 */
import fc from "fast-check";
import { metricDictionary, metricKeys } from "../../../src/core/metrics/keys.ts";
import {
  type BadCase,
  bad,
  badNumber,
  type Case,
  c,
  itemRef,
  junkWord,
  opt,
  PLATFORM_WORDS,
  pad2,
  pick,
  STORES,
  U,
  UH,
} from "./vocab.ts";

const COUNT_KEYS = metricKeys.filter((k) => k.kind !== "rate");
const RATE_KEYS = metricKeys.filter((k) => k.kind === "rate");
/** A day on or before the harness's first day (2026-11-16): /metric refuses future dates. */
const pastDay = fc.oneof(
  fc.constantFrom("今天", "昨天", "前天", "2026-11-01", "11-10", "2026/11/15"),
  fc
    .record({ m: fc.integer({ min: 1, max: 10 }), d: fc.integer({ min: 1, max: 28 }) })
    .map(({ m, d }) => `2026-${pad2(m)}-${pad2(d)}`),
);
/** Metric values as people type them (docs/metrics-reports.md): 8200, 1.2万, 3w, 1,234, 28万, 96%. */
const countValue = fc.oneof(
  fc.nat({ max: 10_000_000 }).map(String),
  fc.integer({ min: 1, max: 99 }).map((n) => `${n}万`),
  fc.integer({ min: 1, max: 99 }).map((n) => `${n / 10}万`),
  fc.integer({ min: 1, max: 9 }).map((n) => `${n}w`),
  fc.constantFrom("1,234", "12,000", "0"),
);
const rateValue = fc.integer({ min: 0, max: 100 }).chain((n) => pick([`${n}`, `${n}%`, `${n}％`]));
const pairSep = fc.constantFrom("=", "＝", ":");
export const metricPairs = fc
  .uniqueArray(pick(metricKeys), { minLength: 1, maxLength: 4, selector: (k) => k.key })
  .chain((keys) =>
    fc.tuple(
      ...keys.map((k) =>
        fc
          .tuple(pick([k.label, ...k.aliases]), pairSep, k.kind === "rate" ? rateValue : countValue)
          .map(([name, sep, v]) => `${name}${sep}${v}`),
      ),
    ),
  )
  .map((ps) => ps.join(" "));
/** Targets take count keys and the derived 互动量 (src/core/metrics/keys.ts findTargetKey). */
const TARGET_NAMES = [
  ...metricKeys.filter((k) => k.kind === "count").map((k) => k.label),
  ...metricDictionary.derived.flatMap((d) => [d.label, ...d.aliases]),
];
const targetPairs = fc
  .uniqueArray(pick(TARGET_NAMES), { minLength: 1, maxLength: 3 })
  .chain((ks) => fc.tuple(...ks.map((k) => countValue.map((v) => `${k}=${v}`))))
  .map((ps) => ps.join(" "));

export const metricCommands: Record<string, fc.Arbitrary<Case>> = {
  metric: fc.oneof(
    c(
      "wang",
      "metric",
      fc
        .tuple(pick(["/metric", "/数据"]), pick([...PLATFORM_WORDS, ...STORES]), opt(pastDay), metricPairs)
        .map(([s, who, d, ps]) => `${s} ${who}${d} ${ps}`),
    ),
    c("wang", "metric", pick(["/metric 指标", "/metric keys", "/数据 指标"])),
    c(
      "wang",
      "metric",
      fc
        .tuple(pick(["历史", "history"]), pick([...PLATFORM_WORDS, ...STORES, "#1"]))
        .map(([h, s]) => `/metric ${h} ${s}`),
    ),
    c(
      "wang",
      "metric",
      fc
        .tuple(
          itemRef.map((n) => `#${n.replace(/^[#＃]/, "")}`),
          metricPairs,
        )
        .map(([n, ps]) => `/metric ${n} ${ps}`),
    ),
  ),
  target: c(
    "wang",
    "target",
    fc.tuple(pick(["/target", "/目标"]), itemRef, targetPairs).map(([s, n, ps]) => `${s} ${n} ${ps}`),
  ),
  report: c(
    "zhang",
    "report",
    fc.oneof(
      fc
        .tuple(
          pick(["/report", "/报表"]),
          pick(["week", "周"]),
          opt(pick(["last", "2026-W46", "2026W10", "2020-W53"])),
          opt(fc.constant("csv")),
        )
        .map(([s, k, a, csv]) => `${s} ${k}${a}${csv}`),
      fc
        .tuple(
          pick(["/report", "/报表"]),
          pick(["month", "月"]),
          opt(pick(["last", "2026-10", "2025-12", "2026-1"])),
          opt(fc.constant("csv")),
        )
        .map(([s, k, a, csv]) => `${s} ${k}${a}${csv}`),
    ),
  ),
  周报: c(
    "wang",
    "周报",
    fc
      .tuple(pick(["/周报", "/weekly"]), opt(pick(["上周", "2026-W40"])), fc.constant(" csv"))
      .map(([s, a, csv]) => `${s}${a}${csv}`),
  ),
  月报: c(
    "wang",
    "月报",
    fc
      .tuple(pick(["/月报", "/monthly"]), opt(pick(["上月", "2026-09"])), fc.constant(" csv"))
      .map(([s, a, csv]) => `${s}${a}${csv}`),
  ),
};

export const metricBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "wang",
    "metric",
    UH,
    fc.oneof(
      pick(["/metric", "/metric 历史"]),
      fc.tuple(junkWord, metricPairs).map(([w, ps]) => `/metric ${w} ${ps}`),
    ),
  ),
  bad(
    "wang",
    "metric",
    UH,
    fc
      .tuple(
        pick(PLATFORM_WORDS),
        fc.oneof(
          pick(COUNT_KEYS).chain((k) =>
            pick([
              `${k.label}=abc`,
              `${k.label}=-1`,
              `${k.label}=5%`,
              `${k.label}`,
              `${k.label}=`,
              `${k.label}=1.23456万`,
              `${k.label}=1 ${k.label}=2`,
            ]),
          ),
          pick(RATE_KEYS).chain((k) => pick([`${k.label}=120%`, `${k.label}=3万`])),
          junkWord.map((w) => `${w}=1`),
          fc.constant("2026-02-30 曝光=1"),
        ),
      )
      .map(([p, bad]) => `/metric ${p} ${bad}`),
  ),
  bad(
    "wang",
    "target",
    UH,
    fc.oneof(
      fc.constant("/target"),
      badNumber.map((n) => `/target ${n} 曝光=1`),
      pick(["/target #1 曝光=abc", "/target #1 满意度=10", "/target #1 foo=1"]),
    ),
  ),
  bad(
    "zhang",
    "report",
    U,
    fc.oneof(
      fc.constant("/report"),
      junkWord.map((w) => `/report ${w}`),
      pick([
        "/report week abc",
        "/report week 2026-W1 x",
        "/report month 2026-13",
        "/report month abc",
        "/周报 frob",
        "/月报 13月",
      ]),
    ),
  ),
];
