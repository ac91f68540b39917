/** The grammar of the administrator's commands: /help, /role, /bind, /store, /policy, /outbox, /link, /who. */
import fc from "fast-check";
import { catalog } from "../../../src/core/people/catalog.ts";
import { ruleDefs } from "../../../src/core/policy/rules.ts";
import { contentChainNames } from "../../../src/core/review/chains.ts";
import { GROUPS } from "../support.ts";
import {
  type BadCase,
  bad,
  type Case,
  c,
  junkWord,
  MENTIONS,
  opt,
  pad2,
  pick,
  U,
  UH,
  words,
} from "./vocab.ts";

const ROLE_WORDS = catalog.roles.flatMap((r) => [r.key, r.label]);
const PURPOSES = catalog.groupPurposes.filter((p) => !p.needsStore).flatMap((p) => [p.key, p.label]);
const slash = (name: string) => pick([`/${name}`, `／${name}`]);

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

export const adminCommands: Record<string, fc.Arbitrary<Case>> = {
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
  who: c(
    "mei",
    "who",
    fc.tuple(pick(["/who", "/谁是"]), opt(pick(ROLE_WORDS))).map(([s, r]) => `${s}${r}`),
  ),
};

export const adminBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "mei",
    "who",
    U,
    junkWord.map((w) => `/who ${w}`),
  ),
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
];
