/**
 * Words that are keys of every JS object (constructor, __proto__, toString…): a lookup table indexed
 * with them must still say "no". Last, an archive scope that is no scope.
 */
import fc from "fast-check";
import { GROUPS } from "../support.ts";
import { metricPairs } from "./metrics.ts";
import { type BadCase, bad, junkWord, pick, U, UH, word } from "./vocab.ts";

const PROTO_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

export const protoKeyBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "lin",
    "crisis",
    U,
    fc.tuple(pick(PROTO_KEYS), word).map(([k, d]) => `/crisis ${k} ${d}`),
  ),
  bad(
    "lin",
    "crisis",
    U,
    pick(PROTO_KEYS).map((k) => `/crisis level C-1 ${k}`),
  ),
  bad(
    "wang",
    "metric",
    UH,
    fc.tuple(pick(PROTO_KEYS), metricPairs).map(([k, ps]) => `/metric 抖音 ${k} ${ps}`),
  ),
  bad(
    "admin",
    "link",
    U,
    fc.tuple(pick(PROTO_KEYS), pick(PROTO_KEYS)).map(([a, b]) => `/link ${a}:abc ${b}:xyz`),
  ),
  bad(
    "admin",
    "bind",
    U,
    pick(PROTO_KEYS).map((k) => `/bind ${k}`),
    GROUPS.ops,
  ),
  bad(
    "zhang",
    "archive",
    U,
    fc
      .tuple(
        pick(["search 差评", "request", "mark"]),
        junkWord.filter((w) => w !== "*"),
      )
      .map(([s, sc]) => `/archive ${s} ${sc} 理由`),
  ),
];
