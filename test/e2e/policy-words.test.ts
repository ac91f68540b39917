import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// /policy in words (issue 15 item 9): Chinese names grouped by area, values as people say them.
let h: Harness;
const last = (who: "admin" | "wang") => h.texts(who).at(-1) ?? "";
const stored = (key: string) =>
  (
    h.app.db.$client.prepare("select value from policy_overrides where key = ?").get(key) as
      | { value: string }
      | undefined
  )?.value;

beforeEach(async () => {
  h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
});
afterEach(async () => {
  await h.close();
});

describe("/policy in words", () => {
  it("lists Chinese rule names by area, durations and schedules in words, the clause as source", async () => {
    await h.say("wang", "/policy");
    const text = last("wang");
    expect(text).toContain("【内容审核】");
    expect(text).toContain("【危机处置】");
    expect(text).toContain("· 审核步骤催办时间：12小时｜依据 《制度》第八条");
    expect(text).toContain("· 每日超时提醒推送时间：每天 09:30");
    expect(text).toContain("· 周报推送时间：每周一 10:00");
    expect(text).toContain("· 月报推送时间：每月1日 10:00");
    expect(text).toContain("· 审核步骤超时时间：24小时");
    expect(text).toContain("· 免打扰时段：22:00 至次日 08:30");
    expect(text).toContain("内容审核使用的审核链：内容审核（《制度》第八条）");
    // No internals: no English keys, cron strings, duration codes or citations of the spec.
    expect(text).not.toMatch(/review\.|digest\.|crisis\.|\* \*|\b\d+[smhd]\b|SPEC|§/);
  });

  it("/policy set takes the Chinese name and Chinese units, and answers in words", async () => {
    await h.say("admin", "/policy set 审核步骤催办时间 6小时");
    expect(last("admin")).toBe("已修改「审核步骤催办时间」：12小时 → 6小时");
    expect(stored("review.step.remind")).toBe("6h");
    await h.say("admin", "/policy set review.step.breach 3天");
    expect(last("admin")).toBe("已修改「审核步骤超时时间」：24小时 → 3天");
    expect(stored("review.step.breach")).toBe("3d");
    await h.say("admin", "/policy set 微博评论响应时限 30分钟");
    expect(stored("ticket.response.weibo")).toBe("30m");
    await h.say("admin", "/policy set 周报推送时间 每周五 17:30");
    expect(last("admin")).toBe("已修改「周报推送时间」：每周一 10:00 → 每周五 17:30");
    expect(stored("report.week.cron")).toBe("30 17 * * 5");
    await h.say("admin", "/policy");
    expect(last("admin")).toContain("· 审核步骤催办时间：6小时（已修改）");
  });

  it("a bad value or an unknown name is answered in Chinese and changes nothing", async () => {
    await h.say("admin", "/policy set 审核步骤催办时间 很久");
    expect(last("admin")).toBe(
      "「审核步骤催办时间」：「很久」不是有效的取值，应为时长，如 30分钟、6小时、3天",
    );
    await h.say("admin", "/policy set 不存在的规则 3天");
    expect(last("admin")).toBe("没有规则「不存在的规则」。发送 /policy 查看全部规则");
    const n = h.app.db.$client.prepare("select count(*) n from policy_overrides").get() as { n: number };
    expect(n.n).toBe(0);
  });
});
