import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.ts";
import { adminBot } from "./admin-support.ts";

/** docs/user-guide/admin.md: the rule numbers (/policy, /规则) as admins and everyone see them. */

let h: Harness;
const { count, last } = adminBot((bot) => {
  h = bot;
});

const HOUR = 3_600_000;

describe("/policy", () => {
  it("lists every rule of policy/rules.json with its value and source", async () => {
    const { rules } = JSON.parse(
      readFileSync(new URL("../../policy/rules.json", import.meta.url), "utf8"),
    ) as {
      rules: { key: string; label: string; source: string; area: string }[];
    };
    await h.say("wang", "/policy");
    const listing = last("wang");
    for (const r of rules) {
      const name = (r.label.split("：")[0] ?? "").replace(/（[^）]*）/g, "");
      const line = listing.split("\n").find((l) => l.startsWith(`· ${name}：`));
      expect(line, r.key).toBeDefined();
      expect(line).toContain(r.source);
      expect(listing).toContain(`【${r.area}】`);
    }
    expect(listing).toContain("· 审核步骤催办时间：12小时");
    expect(listing).toContain("《制度》第八条");
  });

  it("the admin changes review.step.remind: confirmed old → new, shown by /policy, and audited", async () => {
    await h.say("admin", "/policy set review.step.remind 6h");
    expect(last("admin")).toBe("已修改「审核步骤催办时间」：12小时 → 6小时");
    expect(count("audit_log", "action = 'policy.set'")).toBe(1);

    await h.say("admin", "/policy");
    const line = last("admin")
      .split("\n")
      .find((l) => l.startsWith("· 审核步骤催办时间："));
    expect(line).toContain("审核步骤催办时间：6小时");
    expect(line).toContain("已修改");
  });

  it("/规则 is the same command", async () => {
    await h.say("wang", "/规则");
    expect(last("wang")).toContain("审核步骤超时时间：24小时");
  });

  it("a bad duration names the expected format and changes nothing", async () => {
    await h.say("admin", "/policy set review.step.remind abc");
    const reply = last("admin");
    expect(reply).toContain("「abc」不是有效的取值");
    expect(reply).toContain("30分钟、6小时、3天");
    expect(count("policy_overrides")).toBe(0);
    expect(count("audit_log", "action = 'policy.set'")).toBe(0);
  });

  it("an unknown key is refused and changes nothing", async () => {
    await h.say("admin", "/policy set no.such.key 1h");
    expect(last("admin")).toContain("没有规则「no.such.key」");
    expect(count("policy_overrides")).toBe(0);
  });

  it("a key without a value says what value it needs", async () => {
    await h.say("admin", "/policy set review.step.remind");
    expect(last("admin")).toContain("「审核步骤催办时间」需要一个值");
    expect(count("policy_overrides")).toBe(0);
  });

  it("a cron value keeps its spaces", async () => {
    await h.say("admin", "/policy set digest.cron 0 9 * * 1-5");
    expect(last("admin")).toBe("已修改「每日超时提醒推送时间」：每天 09:30 → 每周一至周五 09:00");
    const row = h.app.db.$client
      .prepare("select value from policy_overrides where key = 'digest.cron'")
      .get() as {
      value: string;
    };
    expect(row.value).toBe("0 9 * * 1-5");
  });

  it("a bad cron is refused", async () => {
    await h.say("admin", "/policy set digest.cron 99 9 * * *");
    expect(last("admin")).toContain("每天 09:30、每周一 10:00");
    expect(count("policy_overrides")).toBe(0);
  });

  it("quiet hours accept a range that wraps midnight", async () => {
    await h.say("admin", "/policy set quiet.hours 23:00-07:00");
    expect(last("admin")).toBe("已修改「免打扰时段」：22:00 至次日 08:30 → 23:00 至次日 07:00");
  });

  it("review.chain only accepts a chain that exists", async () => {
    await h.say("admin", "/policy set review.chain nosuch");
    const reply = last("admin");
    expect(reply).toContain("「nosuch」不是有效的取值");
    expect(reply).toContain("内容审核（《制度》第八条）");
    expect(count("policy_overrides")).toBe(0);

    await h.say("admin", "/policy set review.chain seed003");
    expect(last("admin")).toMatch(/^已修改「内容审核使用的审核链」：内容审核（《制度》第八条） → /);
  });

  it("a non-admin cannot change a rule, even a marketing_head", async () => {
    await h.say("admin", "/role add marketing_head @张总");
    for (const who of ["wang", "zhang"] as const) {
      await h.say(who, "/policy set review.step.remind 6h");
      expect(last(who)).toContain("只有管理员可以修改规则");
    }
    expect(count("policy_overrides")).toBe(0);
    expect(count("audit_log", "action = 'policy.set'")).toBe(0);
  });

  it("every successful change writes one audit_log row with old and new value", async () => {
    await h.say("admin", "/policy set review.step.remind 6h");
    await h.say("admin", "/policy set review.step.remind 8h");
    await h.say("admin", "/policy set ticket.response 12h");
    const rows = h.app.db.$client
      .prepare("select detail from audit_log where action = 'policy.set' order by id")
      .all() as { detail: string }[];
    expect(rows.map((r) => JSON.parse(r.detail))).toEqual([
      { key: "review.step.remind", old: "12h", value: "6h" },
      { key: "review.step.remind", old: "6h", value: "8h" },
      { key: "ticket.response", old: "24h", value: "12h" },
    ]);
  });

  it("a change moves the reminder of an item already waiting for review", async () => {
    await h.say("admin", "/role add ops_lead @李姐");
    await h.say("wang", "/submit 抖音 周末新本\n本周末新本上线，欢迎预约");
    expect(last("wang")).toContain("已提交 #1");

    const step = h.app.db.$client
      .prepare("select id, opened_at from review_steps where status = 'pending'")
      .get() as { id: number; opened_at: number };
    const remindAt = () =>
      (
        h.app.db.$client
          .prepare(
            "select fire_at from timers where kind = 'review.remind' and ref = ? and status = 'pending'",
          )
          .get(String(step.id)) as { fire_at: number }
      ).fire_at;
    expect(remindAt()).toBe(step.opened_at + 12 * HOUR);

    await h.say("admin", "/policy set review.step.remind 6h");
    expect(last("admin")).toContain("「审核步骤催办时间」：12小时 → 6小时");
    expect(last("admin")).toContain("1 个未到期的提醒已按新值调整");
    expect(remindAt()).toBe(step.opened_at + 6 * HOUR);

    // And 李姐 is reminded at the new time (16:00, outside quiet hours).
    h.clock.set(step.opened_at + 6 * HOUR);
    await h.settle();
    expect(last("li")).toContain("催办：#1《周末新本》");
  });
});
