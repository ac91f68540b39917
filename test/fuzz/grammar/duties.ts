/** The grammar of duties (issue 17): /exam (上岗考核), /spotcheck (每日抽查), /drill, /rectify (整改通知), /kpi. */
import fc from "fast-check";
import { type BadCase, bad, type Case, c, junkWord, opt, pick, U, words } from "./vocab.ts";

export const dutyCommands: Record<string, fc.Arbitrary<Case>> = {
  exam: fc.oneof(
    c("wang", "exam", pick(["/exam", "/考试", "/考核上岗", "/exam results", "/考试 成绩"])),
    c(
      "wang",
      "exam",
      fc
        .tuple(fc.integer({ min: 1, max: 10 }), pick(["A", "b", "C", "d"]))
        .map(([n, o]) => `/exam answer ${n} ${o}`),
    ),
    c("zhang", "exam", pick(["/exam results", "/exam record @小王 90", "/exam record @小刘 60 线下补考"])),
  ),
  spotcheck: fc.oneof(
    c(
      "zhang",
      "spotcheck",
      pick(["/spotcheck", "/抽查", "/spotcheck 2026-11-15", "/抽查 #1", "/spotcheck T-1"]),
    ),
    c(
      "zhang",
      "spotcheck",
      fc
        .tuple(pick(["合格", "pass"]), fc.integer({ min: 1, max: 5 }))
        .map(([v, n]) => `/spotcheck ${v} S-${n}`),
    ),
    c(
      "zhang",
      "spotcheck",
      fc.tuple(fc.integer({ min: 1, max: 5 }), words(2)).map(([n, r]) => `/spotcheck 不合格 S-${n} ${r}`),
    ),
  ),
  drill: fc.oneof(
    c(
      "zhang",
      "drill",
      fc
        .tuple(pick(["/drill", "/演练"]), pick(["1", "2", "3", "二级"]), opt(words(3)))
        .map(([s, t, n]) => `${s} ${t}${n}`),
    ),
    c("zhang", "drill", pick(["/drill list", "/演练 列表", "/drill report C-1"])),
  ),
  rectify: fc.oneof(
    c(
      "li",
      "rectify",
      fc
        .tuple(
          pick(["/rectify", "/整改"]),
          pick(["@小王", "@小美"]),
          words(3),
          opt(pick(["3d", "48h", "2026-12-31"])),
        )
        .map(([s, who, m, d]) => `${s} ${who} ${m}${d}`),
    ),
    c("wang", "rectify", pick(["/rectify list", "/整改 列表", "/rectify show R-1"])),
  ),
  kpi: fc.oneof(
    c(
      "zhang",
      "kpi",
      fc
        .tuple(
          pick(["/kpi", "/考核"]),
          opt(pick(["@小王", "部门", "团队"])),
          opt(pick(["2026-11", "上月", "本月"])),
        )
        .map(([s, who, m]) => `${s}${who}${m}`),
    ),
    c("wang", "kpi", pick(["/kpi", "/考核 2026-11", "/kpi @小王"])),
  ),
};

export const dutyBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "zhang",
    "kpi",
    U,
    fc.oneof(
      junkWord
        .filter((w) => !/^(部门|团队|全部|all|team|本月|上月|this|last)$/i.test(w))
        .map((w) => `/kpi ${w}`),
      pick(["/kpi 2026-13", "/kpi 2026-11 2026-10", "/考核 部门 部门", "/kpi 2026-00"]),
    ),
  ),
];
