/**
 * The command grammar of the bot as fast-check arbitraries, derived from the code: command words come
 * from the registry (checked against it in commands.test.ts), the vocabularies (platforms, roles, group
 * purposes, metric keys, rule keys, crisis tiers and stages) from the same data files the bot reads.
 *
 * Three families:
 * - `wellFormed`: commands that parse, each sent by someone who holds the role it needs;
 * - `unparseable`: commands built to fail parsing, with the answer the bot owes (a usage line or a
 *   hint naming the valid forms) — the strict oracle;
 * - `nearMiss` / `slashNoise`: a well-formed command with one token mutated, dropped, duplicated or
 *   swapped, full-width or odd whitespace, emoji, very long words; and random unicode after a slash.
 *   Whether these parse is not known up front, so they are held to the consistency properties.
 */
import fc from "fast-check";
import { STAGE_LABEL, STAGES } from "../../src/core/crisis/model.ts";
import { metricDictionary, metricKeys } from "../../src/core/metrics/keys.ts";
import { catalog, findPlatform, findPurpose, findRole } from "../../src/core/people/catalog.ts";
import { ruleDefs } from "../../src/core/policy/rules.ts";
import { contentChainNames } from "../../src/core/review/chains.ts";
import type { Who } from "../support/harness.ts";
import { GROUPS } from "./support.ts";

export interface Case {
  who: Who;
  text: string;
  /** A group chat; default the sender's DM with the bot. */
  chatId?: string;
  /** The registered command word the case is about (for matching its usage line). */
  command: string;
}

/** Unparseable cases also say which answers are acceptable. */
export interface BadCase extends Case {
  answer: ("usage" | "hint")[];
}

// ---------------------------------------------------------------- vocabularies (from the data files)

const PLATFORM_WORDS = catalog.platforms.flatMap((p) => [p.key, p.label, ...p.aliases]);
const ROLE_WORDS = catalog.roles.flatMap((r) => [r.key, r.label]);
const PURPOSES = catalog.groupPurposes.filter((p) => !p.needsStore).flatMap((p) => [p.key, p.label]);
export const STORES = ["城东店", "城西店"];
const MENTIONS = ["@李姐", "@林哥", "@张总", "@陈律师", "@小刘", "@小美", "@小王", "@路人"];
const COUNT_KEYS = metricKeys.filter((k) => k.kind !== "rate");
const RATE_KEYS = metricKeys.filter((k) => k.kind === "rate");
const TIERS = ["1", "2", "3", "一级", "二级", "三级", "较大", "重大", "一般", "2级"];
const STAGE_WORDS = STAGES.flatMap((s) => [s, STAGE_LABEL[s]]);
const SCOPES = [
  "#1",
  "1",
  "T-1",
  "C-1",
  "审核",
  "工单",
  "危机",
  "数据",
  "报表",
  "规则",
  "操作日志",
  "档案",
  "全部",
  "*",
];
const PHRASES = [
  "周末新本首发",
  "城东店密室受伤",
  "服务很好下次还来",
  "等了一个小时才开场",
  "灯光太暗看不清线索",
  "已电话回访并道歉",
  "转给店长跟进",
  "新本《雾都疑案》上线",
];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const PROTO_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

/** One word of free text: a Chinese phrase or a few random graphemes (no whitespace, no slash, no @). */
const word = fc.oneof(
  { weight: 3, arbitrary: pick(PHRASES) },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: "grapheme", minLength: 1, maxLength: 8 })
      .filter((s) => /^[^\s/@＠#＃]+$/u.test(s) && !/^发现于|^目标/.test(s)),
  },
);
const words = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((ws) => ws.join(" "));

const itemRef = fc.oneof(fc.integer({ min: 1, max: 4 }).map(String), fc.constantFrom("#1", "＃1", "#2", "1"));
const ticketRef = fc.constantFrom("T-1", "t1", "T1", "1", "T-2");
const crisisRef = fc.constantFrom("C-1", "c-1", "C1", "1", "C-2");
const platformList = fc
  .uniqueArray(pick(catalog.platforms.map((p) => p.label)), { minLength: 1, maxLength: 3 })
  .chain((ps) => pick([",", "，", "、"]).map((sep) => ps.join(sep)));

const pad2 = (n: number) => String(n).padStart(2, "0");
/** A day on or before the harness's first day (2026-11-16): /metric refuses future dates. */
const pastDay = fc.oneof(
  fc.constantFrom("今天", "昨天", "前天", "2026-11-01", "11-10", "2026/11/15"),
  fc
    .record({ m: fc.integer({ min: 1, max: 10 }), d: fc.integer({ min: 1, max: 28 }) })
    .map(({ m, d }) => `2026-${pad2(m)}-${pad2(d)}`),
);
const futureDateTime = fc
  .record({
    d: fc.integer({ min: 17, max: 30 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ d, h, mi }) => `2026-11-${pad2(d)} ${pad2(h)}:${pad2(mi)}`);

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
const metricPairs = fc
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

/** A valid value for each rule, by type; durations stay ≥ 10 minutes so no timer storms the run. */
function ruleValue(key: string, type: string): fc.Arbitrary<string> {
  if (key === "archive.retention") return fc.integer({ min: 1096, max: 4000 }).map((d) => `${d}d`);
  if (key === "review.chain") return pick(contentChainNames);
  if (key === "exam.existing") return pick(["必考", "免考"]);
  if (key === "drill.escalate") return pick(["开", "关"]);
  switch (type) {
    case "duration":
      return fc.oneof(
        fc.integer({ min: 10, max: 600 }).map((n) => `${n}m`),
        fc.integer({ min: 1, max: 72 }).map((n) => `${n}h`),
        fc.integer({ min: 1, max: 30 }).map((n) => `${n}d`),
      );
    case "count":
      return fc.integer({ min: 1, max: 50 }).map(String);
    case "cron":
      return fc.constantFrom("30 9 * * *", "0 10 * * 1", "0 10 1 * *", "15 8 * * 1-5");
    case "quiet":
      return fc
        .tuple(
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.integer({ min: 0, max: 23 }),
        )
        .map(([a, b, c]) => `${pad2(a)}:${pad2(b)}-${pad2(c)}:30`);
    default:
      return fc.constant("default");
  }
}
const policySet = pick(ruleDefs).chain((r) =>
  ruleValue(r.key, r.type).map((v) => `/policy set ${r.key} ${v}`),
);

// ---------------------------------------------------------------- well-formed commands

const c = (who: Who, command: string, text: fc.Arbitrary<string>, chatId?: string): fc.Arbitrary<Case> =>
  text.map((t) => ({ who, command, text: t, ...(chatId ? { chatId } : {}) }));
const opt = (a: fc.Arbitrary<string>) => fc.option(a, { nil: "" }).map((s) => (s ? ` ${s}` : ""));
const slash = (name: string) => pick([`/${name}`, `／${name}`]);

/**
 * Every command's accepted shapes. Left out on purpose, because their correct answer quotes the usage
 * (so "no usage line" cannot tell them from a refusal): `/archive` alone (what I may read, then the
 * usage), `/metric <平台>` without pairs on a day with no data, `/target #n` before any target is set.
 */
export const wellFormedByCommand: Record<string, fc.Arbitrary<Case>> = {
  help: fc.oneof(
    c("wang", "help", pick(["/help", "帮助", "help", "/帮助"])),
    c("outsider", "help", pick(["/help", "/帮助"])),
  ),
  role: fc.oneof(
    c(
      "admin",
      "role",
      fc
        .tuple(
          slash("role"),
          pick(["add", "remove"]),
          pick(ROLE_WORDS),
          fc.uniqueArray(pick(MENTIONS), { minLength: 1, maxLength: 3 }),
        )
        .map(([s, sub, r, ms]) => `${s} ${sub} ${r} ${ms.join(" ")}`),
    ),
    c("wang", "role", pick(["/role list", "/角色 列表"])),
  ),
  bind: c(
    "admin",
    "bind",
    fc.tuple(pick(["/bind", "/绑定"]), pick(PURPOSES)).map(([s, p]) => `${s} ${p}`),
    GROUPS.ops,
  ),
  store: fc.oneof(
    c(
      "admin",
      "store",
      words(2)
        .filter((n) => n.length <= 40)
        .map((n) => `/store add ${n}店`),
    ),
    c("zhang", "store", pick(["/store list", "/门店 列表"])),
  ),
  policy: fc.oneof(c("wang", "policy", pick(["/policy", "/规则"])), c("admin", "policy", policySet)),
  outbox: c("admin", "outbox", pick(["/outbox", "/投递", "/outbox retry all", "/投递 retry 全部"])),
  link: c(
    "admin",
    "link",
    fc
      .tuple(pick(["/link", "/关联"]), pick(MENTIONS), fc.stringMatching(/^[a-z][a-z0-9_]{2,12}$/))
      .map(([s, m, id]) => `${s} ${m} wecom:${id}`),
  ),
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
  feedback: c(
    "outsider",
    "feedback",
    fc.tuple(pick(["/feedback", "/反馈"]), opt(pick(STORES)), words(5)).map(([s, st, t]) => `${s}${st} ${t}`),
  ),
  tickets: c("mei", "tickets", pick(["/tickets", "/工单"])),
  done: c(
    "mei",
    "done",
    fc.tuple(pick(["/done", "/处理", "/已处理"]), ticketRef, words(3)).map(([s, t, n]) => `${s} ${t} ${n}`),
  ),
  sla: c("outsider", "sla", pick(["/sla", "/超时"])),
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
  crisis: fc.oneof(
    c(
      "lin",
      "crisis",
      fc
        .tuple(
          pick(["/crisis", "/危机"]),
          pick(TIERS),
          words(4),
          opt(
            fc
              .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
              .map(({ h, m }) => `发现于=${pad2(h)}:${pad2(m)}`),
          ),
        )
        .map(([s, t, d, f]) => `${s} ${t} ${d}${f}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(pick(["list", "列表", "ls"]), opt(pick(["all", "全部"]))).map(([l, a]) => `/crisis ${l}${a}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(pick(["show", "查看", "详情"]), crisisRef).map(([s, n]) => `/crisis ${s} ${n}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(crisisRef, pick(STAGE_WORDS), words(2)).map(([n, st, d]) => `/crisis stage ${n} ${st} ${d}`),
    ),
    c(
      "zhang",
      "crisis",
      fc.tuple(crisisRef, pick(["1", "2", "3", "二级"])).map(([n, t]) => `/crisis level ${n} ${t}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(pick(["note", "evidence"]), crisisRef, words(3)).map(([s, n, t]) => `/crisis ${s} ${n} ${t}`),
    ),
    c(
      "zhang",
      "crisis",
      fc.tuple(crisisRef, words(5)).map(([n, t]) => `/crisis statement ${n}\n${t}`),
    ),
    c(
      "liu",
      "crisis",
      fc
        .tuple(crisisRef, opt(fc.constant("https://weibo.com/x")))
        .map(([n, l]) => `/crisis publish ${n}${l}`),
    ),
    c(
      "lin",
      "crisis",
      fc.tuple(crisisRef, words(3)).map(([n, t]) => `/crisis close ${n} ${t}`),
    ),
  ),
  ack: c(
    "lin",
    "ack",
    fc.tuple(pick(["/ack", "/收到"]), crisisRef).map(([s, n]) => `${s} ${n}`),
  ),
  archive: fc.oneof(
    c(
      "zhang",
      "archive",
      fc
        .tuple(pick(["search", "查阅", "搜索"]), fc.oneof(word, fc.constant("*")), opt(pick(SCOPES)))
        .map(([s, k, sc]) => `/archive ${s} ${k}${sc}`),
    ),
    c(
      "zhang",
      "archive",
      fc.integer({ min: 1, max: 500 }).map((n) => `/archive show ${n}`),
    ),
    c(
      "wang",
      "archive",
      fc
        .tuple(pick(SCOPES), words(3), opt(fc.constant("#外部")))
        .map(([s, r, e]) => `/archive request ${s} ${r}${e}`),
    ),
    c(
      "admin",
      "archive",
      fc.tuple(pick(["#1", "T-1", "C-1"]), fc.constant("重大")).map(([s, l]) => `/archive mark ${s} ${l}`),
    ),
    c("admin", "archive", pick(["/archive verify", "/archive log", "/档案 校验", "/archive mark"])),
  ),
  // Duties (issue 17): 上岗考核, 每日抽查, 整改通知.
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

export const wellFormed: fc.Arbitrary<Case> = fc.oneof(...Object.values(wellFormedByCommand));

// ---------------------------------------------------------------- unparseable commands (strict oracle)

/** A word that is none of the vocabularies: no platform, role, purpose, number or keyword. */
const junkWord = fc
  .oneof(
    fc.constantFrom(
      "frob",
      "🎉",
      "abc",
      "—",
      "Ｘ",
      "__proto__",
      "constructor",
      "NaN",
      "-1",
      "1e9999",
      "１２",
      "\u200b",
    ),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }),
  )
  .filter(
    (w) =>
      /^\S+$/u.test(w) &&
      !/^[#＃]?\d/.test(w) &&
      !findPlatform(w) &&
      !findRole(w) &&
      !findPurpose(w) &&
      !STORES.includes(w) &&
      !/^[@＠/]/.test(w),
  );
/** Numbers that are no item number: negative, zero-padded past 9 digits, fractions, full-width. */
const badNumber = fc.constantFrom("-1", "#-3", "1234567890", "#1.5", "１", "#", "1e3", "0x10", "T-1", "C-1");

const bad = (
  who: Who,
  command: string,
  answer: BadCase["answer"],
  text: fc.Arbitrary<string>,
  chatId?: string,
) => text.map((t): BadCase => ({ who, command, text: t, answer, ...(chatId ? { chatId } : {}) }));
const U: BadCase["answer"] = ["usage"];
const UH: BadCase["answer"] = ["usage", "hint"];

/** Each failure mode the commands' parsers check, sent by someone allowed to run the command. */
export const unparseable: fc.Arbitrary<BadCase> = fc.oneof(
  bad("admin", "role", U, pick(["/role", "/role add", "/role remove ops", "/角色 frob ops @李姐"])),
  bad(
    "admin",
    "role",
    UH,
    fc.tuple(pick(["add", "remove"]), junkWord).map(([s, r]) => `/role ${s} ${r} @李姐`),
  ),
  bad(
    "admin",
    "role",
    U,
    fc.tuple(pick(ROLE_WORDS), junkWord).map(([r, w]) => `/role add ${r} ${w}`),
  ),
  bad(
    "admin",
    "bind",
    U,
    fc.oneof(
      fc.constant("/bind"),
      junkWord.map((w) => `/bind ${w}`),
    ),
    GROUPS.ops,
  ),
  bad(
    "admin",
    "bind",
    U,
    pick(PURPOSES).map((p) => `/bind ${p}`),
  ),
  bad(
    "admin",
    "store",
    U,
    fc.oneof(
      pick(["/store", "/store add", "/门店 add "]),
      junkWord.map((w) => `/store ${w} 城南店`),
    ),
  ),
  bad("admin", "store", U, fc.constant(`/store add ${"长".repeat(41)}`)),
  bad(
    "admin",
    "policy",
    UH,
    fc.oneof(
      junkWord.map((w) => `/policy ${w}`),
      fc.constant("/policy set"),
      junkWord.map((w) => `/policy set ${w} 10m`),
    ),
  ),
  bad(
    "admin",
    "policy",
    UH,
    pick(ruleDefs).map((r) => `/policy set ${r.key}`),
  ),
  bad(
    "admin",
    "policy",
    UH,
    fc
      .tuple(pick(ruleDefs.filter((r) => r.type !== "text")), junkWord)
      .map(([r, v]) => `/policy set ${r.key} ${v}`),
  ),
  bad(
    "admin",
    "outbox",
    U,
    pick([
      "/outbox retry",
      "/投递 retry",
      "/outbox 重试 all",
      "/outbox retry x1",
      "/outbox list",
      "/outbox retry #",
    ]),
  ),
  bad(
    "admin",
    "link",
    U,
    fc.oneof(
      pick(["/link", "/link @李姐", "/关联 @李姐 @小王 @张总"]),
      fc.tuple(junkWord, junkWord).map(([a, b]) => `/link ${a} ${b}`),
    ),
  ),
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
  bad(
    "outsider",
    "feedback",
    U,
    fc.oneof(
      fc.constant("/feedback"),
      pick(STORES).map((s) => `/反馈 ${s}`),
    ),
  ),
  bad(
    "mei",
    "done",
    U,
    fc.oneof(
      pick(["/done", "/done T-1", "/处理 T-1 "]),
      badNumber.filter((n) => !/^T-|^１$/.test(n)).map((n) => `/done ${n} 已回访`),
    ),
  ),
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
  bad(
    "lin",
    "crisis",
    UH,
    fc.oneof(
      fc.constant("/crisis"),
      pick(TIERS).map((t) => `/crisis ${t}`),
      pick([
        "/crisis 4 有人受伤",
        "/crisis 0 差评",
        "/危机 2 差评 发现于=25:00",
        "/crisis 2 差评 发现于=9点",
      ]),
    ),
  ),
  bad(
    "lin",
    "crisis",
    U,
    fc
      .tuple(
        pick(["show", "stage", "level", "evidence", "note", "statement", "publish", "close"]),
        fc.oneof(
          junkWord,
          badNumber.filter((n) => !/^C-|^１$/.test(n)),
        ),
      )
      .map(([s, n]) => `/crisis ${s} ${n} 内容`),
  ),
  bad(
    "lin",
    "crisis",
    U,
    fc.oneof(
      junkWord.map((w) => `/crisis stage C-1 ${w} 说明`),
      pick(["/crisis level C-1 5", "/crisis level C-1", "/crisis note C-1"]),
    ),
  ),
  bad(
    "lin",
    "ack",
    U,
    fc
      .oneof(
        junkWord,
        badNumber.filter((n) => !/^C-|^１$/.test(n)),
      )
      .map((n) => `/ack ${n}`),
  ),
  bad(
    "zhang",
    "archive",
    U,
    fc.oneof(
      junkWord.filter((w) => !/^(search|show|request|mark|verify|log)$/i.test(w)).map((w) => `/archive ${w}`),
      pick([
        "/archive search",
        "/archive search a 工单 b c",
        "/archive show",
        "/archive show abc",
        "/archive show 0",
        "/archive request",
        "/archive request 工单",
      ]),
    ),
  ),
  // Words that are keys of every JS object: a lookup table indexed with them must still say "no".
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
);

// ---------------------------------------------------------------- near misses and noise

const FULL_WIDTH_OFFSET = 0xfee0;
/** ASCII → full-width (／ｓｕｂｍｉｔ, ＝, １２): what a Chinese IME types with full-width on. */
export const toFullWidth = (s: string) =>
  s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + FULL_WIDTH_OFFSET));

const SPACES = [" ", "  ", "\u3000", "\t", "\u00a0", "\u2003", " \u3000 "];
const EMOJI = ["😀", "🎉", "👨‍👩‍👧", "🇨🇳", "❤️", "🧧"];
const HOSTILE = [
  "__proto__",
  "constructor",
  "prototype",
  '<at user_id="all">所有人</at>',
  "'; drop table people; --",
  "%s%n%x",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder typed as text, on purpose
  "${process.exit()}",
  "\u0000",
  "\u202e反转",
  "\ud800",
  "-0",
  "9".repeat(30),
  "1e309",
  "Infinity",
];
const longWord = fc
  .tuple(pick(["长", "a", "😀", "的", "#1"]), fc.integer({ min: 500, max: 20_000 }))
  .map(([ch, n]) => ch.repeat(n));
const strangeToken = fc.oneof(
  junkWord,
  badNumber,
  pick(HOSTILE),
  pick(EMOJI),
  pick(PLATFORM_WORDS),
  pick(MENTIONS),
  fc.string({ unit: "binary", minLength: 1, maxLength: 10 }).filter((s) => !/\s/.test(s)),
  { weight: 1, arbitrary: longWord },
);

type Mutation = (tokens: string[], rnd: { i: number; token: string; space: string }) => string[];
const MUTATIONS: Record<string, Mutation> = {
  drop: (t, r) => t.filter((_, j) => j !== 1 + (r.i % Math.max(1, t.length - 1)) || t.length === 1),
  duplicate: (t, r) => {
    const j = r.i % t.length;
    return [...t.slice(0, j + 1), t[j] ?? "", ...t.slice(j + 1)];
  },
  swap: (t, r) => {
    if (t.length < 3) return t.slice().reverse();
    const j = 1 + (r.i % (t.length - 2));
    const out = t.slice();
    [out[j], out[j + 1]] = [out[j + 1] ?? "", out[j] ?? ""];
    return out;
  },
  replace: (t, r) => t.map((x, j) => (j === 1 + (r.i % Math.max(1, t.length - 1)) ? r.token : x)),
  insert: (t, r) => {
    const j = 1 + (r.i % t.length);
    return [...t.slice(0, j), r.token, ...t.slice(j)];
  },
  fullWidthToken: (t, r) => t.map((x, j) => (j === r.i % t.length ? toFullWidth(x) : x)),
  fullWidthAll: (t) => t.map(toFullWidth),
  emoji: (t, r) => t.map((x, j) => (j === r.i % t.length ? `${x}${EMOJI[r.i % EMOJI.length]}` : x)),
  upperCommand: (t) => [(t[0] ?? "").toUpperCase(), ...t.slice(1)],
  noSlash: (t) => [(t[0] ?? "").replace(/^[/／]/, ""), ...t.slice(1)],
  zeroWidth: (t, r) => t.map((x, j) => (j === r.i % t.length ? `${x.slice(0, 1)}\u200b${x.slice(1)}` : x)),
};

/** A well-formed case with one mutation of its first line, joined by odd whitespace. */
export const nearMiss: fc.Arbitrary<Case & { mutation: string }> = fc
  .record({
    base: wellFormed,
    mutation: pick(Object.keys(MUTATIONS)),
    i: fc.nat({ max: 50 }),
    token: strangeToken,
    space: pick(SPACES),
    lead: pick(["", " ", "\u3000", "\n"]),
  })
  .map(({ base, mutation, i, token, space, lead }) => {
    const [first = "", ...body] = base.text.split("\n");
    const tokens = first.split(" ").filter(Boolean);
    const mutated = (MUTATIONS[mutation] as Mutation)(tokens, { i, token, space });
    const text = [lead + mutated.join(space), ...body].join("\n");
    return { ...base, text, mutation };
  });

/** A slash (or full-width slash) and random text: mostly no command at all. */
export const slashNoise: fc.Arbitrary<string> = fc
  .tuple(
    pick(["/", "／", "/ ", "//"]),
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
      longWord,
    ),
  )
  .map(([s, rest]) => s + rest);
