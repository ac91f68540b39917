/**
 * The grammar of content review: /submit, /resubmit, /approve, /reject, /withdraw, /publish, /review,
 * /check, /status, /ledger.
 */
import fc from "fast-check";
import { catalog } from "../../../src/core/people/catalog.ts";
import {
  type BadCase,
  bad,
  badNumber,
  type Case,
  c,
  futureDateTime,
  itemRef,
  junkWord,
  opt,
  PLATFORM_WORDS,
  pad2,
  pick,
  U,
  UH,
  word,
  words,
} from "./vocab.ts";

const platformList = fc
  .uniqueArray(pick(catalog.platforms.map((p) => p.label)), { minLength: 1, maxLength: 3 })
  .chain((ps) => pick([",", "，", "、"]).map((sep) => ps.join(sep)));

export const reviewCommands: Record<string, fc.Arbitrary<Case>> = {
  submit: c(
    "wang",
    "submit",
    fc
      .record({
        s: pick(["/submit", "/提审", "／submit"]),
        p: platformList,
        title: words(3).filter((t) => t.length <= 60),
        ad: fc.boolean(),
        sens: fc.boolean(),
        at: opt(futureDateTime.map((d) => `@${d}`)),
        target: opt(pick(["目标曝光=50万", "目标互动=1万", "目标曝光=50万 目标互动=1万"])),
        body: words(6),
      })
      .map(
        (r) =>
          `${r.s} ${r.p} ${r.title}${r.ad ? " #广告" : ""}${r.sens ? " #敏感" : ""}${r.at}${r.target}\n${r.body}`,
      ),
  ),
  resubmit: c(
    "wang",
    "resubmit",
    fc
      .tuple(pick(["/resubmit", "/重提", "/重新提交"]), itemRef, words(4))
      .map(([s, n, b]) => `${s} ${n}\n${b}`),
  ),
  approve: c(
    "li",
    "approve",
    fc.tuple(pick(["/approve", "/通过"]), itemRef, opt(words(2))).map(([s, n, o]) => `${s} ${n}${o}`),
  ),
  reject: c(
    "zhang",
    "reject",
    fc.tuple(pick(["/reject", "/驳回"]), itemRef, words(3)).map(([s, n, o]) => `${s} ${n} ${o}`),
  ),
  withdraw: c(
    "wang",
    "withdraw",
    fc.tuple(pick(["/withdraw", "/撤回"]), itemRef, words(2)).map(([s, n, r]) => `${s} ${n} ${r}`),
  ),
  publish: c(
    "liu",
    "publish",
    fc
      .tuple(
        pick(["/publish", "/发布"]),
        itemRef,
        pick(PLATFORM_WORDS),
        opt(fc.constantFrom("https://v.douyin.com/abc", "http://xhslink.com/x1")),
      )
      .map(([s, n, p, l]) => `${s} ${n} ${p}${l}`),
  ),
  review: c("li", "review", pick(["/review", "/待审"])),
  check: c(
    "wang",
    "check",
    fc
      .tuple(pick(["/check", "/预审", "/合规预审"]), words(5), opt(words(4).map((w) => `\n${w}`)))
      .map(([s, a, b]) => `${s} ${a}${b}`),
  ),
  status: c(
    "outsider",
    "status",
    fc.tuple(pick(["/status", "/进度"]), itemRef).map(([s, n]) => `${s} ${n}`),
  ),
  ledger: c(
    "li",
    "ledger",
    fc
      .tuple(pick(["/ledger", "/台账"]), opt(fc.integer({ min: 1, max: 12 }).map((m) => `2026-${pad2(m)}`)))
      .map(([s, m]) => `${s}${m}`),
  ),
};

export const reviewBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "wang",
    "submit",
    UH,
    fc.oneof(
      platformList.map((p) => `/submit ${p}`),
      fc.tuple(junkWord, word).map(([p, t]) => `/submit ${p} ${t}\n正文`),
    ),
  ),
  bad(
    "wang",
    "submit",
    UH,
    fc.tuple(platformList, word).map(([p, t]) => `/submit ${p} ${t}`),
  ),
  bad(
    "wang",
    "submit",
    UH,
    fc
      .tuple(
        platformList,
        word,
        pick(["@2026-13-01 10:00", "@2026-02-30 10:00", "@2026-11-20 25:00", "@2026-11-20 abc"]),
      )
      .map(([p, t, d]) => `/submit ${p} ${t} ${d}\n正文`),
  ),
  bad(
    "wang",
    "submit",
    UH,
    fc
      .tuple(platformList, word, pick(["目标曝光=abc", "目标foo=1", "目标曝光=-5", "目标曝光=5%"]))
      .map(([p, t, g]) => `/submit ${p} ${t} ${g}\n正文`),
  ),
  bad(
    "wang",
    "resubmit",
    U,
    fc.oneof(
      fc.constant("/resubmit"),
      badNumber.map((n) => `/resubmit ${n}\n新正文`),
    ),
  ),
  bad(
    "li",
    "approve",
    U,
    fc.oneof(
      fc.constant("/approve"),
      badNumber.map((n) => `/通过 ${n} 好`),
    ),
  ),
  bad(
    "zhang",
    "reject",
    U,
    fc.oneof(
      fc.constant("/reject"),
      badNumber.map((n) => `/驳回 ${n} 不行`),
    ),
  ),
  bad(
    "wang",
    "withdraw",
    U,
    fc.oneof(
      fc.constant("/withdraw"),
      fc.constant("/withdraw 1"),
      badNumber.map((n) => `/撤回 ${n} 原因`),
    ),
  ),
  bad(
    "liu",
    "publish",
    U,
    fc.oneof(
      fc.constant("/publish"),
      fc.constant("/publish 1"),
      junkWord.map((w) => `/publish 1 ${w}`),
      badNumber.map((n) => `/发布 ${n} 抖音`),
    ),
  ),
  bad(
    "outsider",
    "status",
    U,
    fc.oneof(
      fc.constant("/status"),
      badNumber.map((n) => `/进度 ${n}`),
    ),
  ),
  bad(
    "li",
    "ledger",
    U,
    fc.oneof(
      pick(["/ledger 2026-13", "/ledger 2026-00", "/ledger 2026-11 x", "/台账 11月"]),
      junkWord.map((w) => `/ledger ${w}`),
    ),
  ),
];
