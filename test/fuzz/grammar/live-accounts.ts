/** The grammar of live streams and platform accounts: /live, /account. */
import fc from "fast-check";
import {
  type BadCase,
  bad,
  type Case,
  c,
  futureDateTime,
  itemRef,
  junkWord,
  PLATFORM_WORDS,
  pick,
  U,
  words,
} from "./vocab.ts";

export const liveAccountCommands: Record<string, fc.Arbitrary<Case>> = {
  live: fc.oneof(
    c(
      "wang",
      "live",
      fc
        .tuple(
          pick(["/live", "/直播"]),
          fc.array(pick(PLATFORM_WORDS), { minLength: 1, maxLength: 3 }),
          futureDateTime,
          words(3),
        )
        .map(([s, p, d, t]) => `${s} ${p.join(",")} ${d} ${t}`),
    ),
    c(
      "wang",
      "live",
      fc
        .tuple(pick(["preview", "预告"]), pick(["L-1", "l1", "1"]), itemRef)
        .map(([p, l, n]) => `/live ${p} ${l} ${n}`),
    ),
    c("wang", "live", pick(["/live list", "/直播 列表"])),
  ),
  account: fc.oneof(
    c(
      "li",
      "account",
      fc
        .tuple(pick(["add", "rotated"]), pick(PLATFORM_WORDS), words(2))
        .map(([s, p, n]) => `/account ${s} ${p} ${n}`),
    ),
    c("li", "account", pick(["/account list", "/账号 列表"])),
    c(
      "li",
      "account",
      fc
        .tuple(
          pick(["checked", "已核查", "cert", "认证"]),
          pick(PLATFORM_WORDS),
          words(1),
          pick(["已认证", "认证中"]),
        )
        .map(([s, p, n, st]) => `/account ${s} ${p} ${n}${s === "cert" || s === "认证" ? ` ${st}` : ""}`),
    ),
    c(
      "wang",
      "account",
      fc
        .tuple(pick(["incident", "异常"]), pick(PLATFORM_WORDS), words(1), words(3))
        .map(([s, p, n, note]) => `/account ${s} ${p} ${n} ${note}`),
    ),
  ),
};

export const liveAccountBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "wang",
    "live",
    U,
    fc.oneof(
      fc.constant("/live"),
      junkWord.map((w) => `/live ${w} 2026-11-25 20:00 直播`),
      pick([
        "/live 抖音 2026-11-25 25:00 直播",
        "/live 抖音 2026-11-25 20:00",
        "/live 抖音 2026-13-01 20:00 直播",
        "/live preview L-1",
        "/live preview abc #1",
      ]),
    ),
  ),
  bad(
    "li",
    "account",
    U,
    fc.oneof(
      pick([
        "/account",
        "/account add 抖音",
        "/account rotated",
        "/account incident 抖音 官方号",
        "/account cert 抖音 官方号",
        "/account checked 抖音",
      ]),
      junkWord.map((w) => `/account add ${w} 官方号`),
      junkWord.map((w) => `/account ${w} 抖音 官方号`),
    ),
  ),
];
