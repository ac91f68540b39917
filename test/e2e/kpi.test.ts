/**
 * /kpi (《制度》第十五条) over the report fixture week plus a few more days of November 2026, built with the
 * real commands: every number of the month is asserted, worked out by hand below.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";
import { at, buildFixtureWeek } from "./report-fixture.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const lastText = (who: Parameters<Harness["texts"]>[0]) => h.texts(who).at(-1) ?? "";

async function when(iso: string): Promise<void> {
  h.clock.set(at(iso));
  await h.settle();
}

/** The fixture week, then planned content published on time and late, a 不合格 spot check and a drill. */
async function buildFixtureMonth(): Promise<void> {
  h = await startInProcess({ start: at("2026-11-16T10:00:00") });
  await buildFixtureWeek(h);
  // #4: planned 11-24 20:00 on 抖音, published 20:30 (within the 1 h grace): on time.
  await when("2026-11-23T10:00:00");
  await h.say("wang", "/submit 抖音 周二晚间新本 @2026-11-24 20:00\n正文");
  for (const who of ["li", "zhang", "liu"] as const) await h.say(who, "/approve 4");
  // #5: planned 11-25 12:00 on 小红书 and 抖音; 小红书 at 12:00 on time, 抖音 at 15:00 (3 h late).
  await h.say("wang", "/submit 小红书,抖音 周三午间探店 @2026-11-25 12:00\n正文");
  for (const who of ["li", "zhang", "liu"] as const) await h.say(who, "/approve 5");
  await when("2026-11-24T20:30:00");
  await h.say("liu", "/publish 4 抖音");
  await when("2026-11-25T12:00:00");
  await h.say("liu", "/publish 5 小红书");
  await when("2026-11-25T15:00:00");
  await h.say("liu", "/publish 5 抖音");
  // The 市场部门负责人 judges #4 不合格 in a spot check: one 违规内容 for 小王.
  await when("2026-11-26T09:30:00");
  await h.say("zhang", "/spotcheck #4");
  await h.say("zhang", "/spotcheck 不合格 S-1 未标注广告");
  // A 二级 drill acknowledged by 李姐 and never contained: it must not count as a late crisis.
  await h.say("zhang", "/drill 2 年度演练");
  await when("2026-11-26T09:40:00");
  await h.say("li", "/ack C-2");
  await when("2026-11-30T18:00:00");
}

const NOTE =
  "说明：晚于计划发布时间 1小时以内发布算按时，没有计划时间的不计；违规内容为每日抽查判定不合格的内容；危机处置及时率不含演练；— 表示没有可考核的事项";

describe("/kpi for the fixture month", () => {
  it("every number per person and for the department", async () => {
    await buildFixtureMonth();
    await h.say("zhang", "/kpi 部门 2026-11");
    expect(lastText("zhang")).toBe(
      [
        "📊 考核指标 2026-11（11-01 至 11-30） · 《制度》第十五条",
        // 发布: #4 抖音 30 min late (in grace), #5 小红书 on time, #5 抖音 3 h late; #1 and #2 had no
        // planned time. 一次通过: #1, #4, #5 passed at revision 1, #2 was rejected (#3 still in review).
        // 违规: #4 judged 不合格. 回应: T-2 closed by 小美 in time; T-3 never answered and owned by nobody
        // (department only); T-1 is praise and owes no answer. 危机: C-1 led by 张总 (first 收到),
        // contained in its window; the drill C-2, acknowledged by 李姐 and never contained, is left out.
        "部门合计：发布及时率 67%（2/3）｜审核一次通过率 75%（3/4）｜违规内容 1 🔴｜回应及时率 50%（1/2）｜危机处置及时率 100%（1/1）",
        "小美：发布及时率 —｜审核一次通过率 —｜违规内容 0｜回应及时率 100%（1/1）｜危机处置及时率 —",
        "小王：发布及时率 67%（2/3）｜审核一次通过率 75%（3/4）｜违规内容 1 🔴｜回应及时率 —｜危机处置及时率 —",
        "张总：发布及时率 —｜审核一次通过率 —｜违规内容 0｜回应及时率 —｜危机处置及时率 100%（1/1）",
        NOTE,
      ].join("\n"),
    );
    // A lead's bare /kpi is the department view of this month (11-30 here).
    await h.say("li", "/kpi");
    expect(lastText("li")).toBe(lastText("zhang"));

    // 小王 sees their own, one KPI a line.
    await h.say("wang", "/考核");
    expect(lastText("wang")).toBe(
      [
        "📊 考核指标 2026-11（11-01 至 11-30） · 《制度》第十五条 · 小王",
        "· 发布及时率 67%（2/3）",
        "· 审核一次通过率 75%（3/4）",
        "· 违规内容 1 🔴",
        "· 回应及时率 —",
        "· 危机处置及时率 —",
        NOTE,
      ].join("\n"),
    );
    // A lead asks about one person.
    await h.say("zhang", "/kpi @小美 2026-11");
    expect(lastText("zhang")).toContain("· 小美\n· 发布及时率 —");
    expect(lastText("zhang")).toContain("· 回应及时率 100%（1/1）");
  }, 120_000);

  it("a longer grace makes the late 抖音 post on time; October has nothing to judge", async () => {
    await buildFixtureMonth();
    await h.say("admin", "/policy set kpi.publish.grace 4h");
    await h.say("wang", "/kpi 2026-11");
    expect(lastText("wang")).toContain("· 发布及时率 100%（3/3）");
    await h.say("zhang", "/kpi 部门 2026-10");
    expect(lastText("zhang")).toContain("本月还没有可考核的事项");
  }, 120_000);

  it("the monthly report gains the 考核指标 section", async () => {
    await buildFixtureMonth();
    await h.say("zhang", "/report month 2026-11");
    const all = h.inbox("zhang").map((m) => JSON.stringify(m));
    const report = all.find((t) => t.includes("考核指标")) ?? "";
    expect(report).toContain("部门：发布及时率 67%（2/3）｜审核一次通过率 75%（3/4）｜违规内容 1 🔴");
    expect(report).toContain("小王：发布及时率 67%（2/3）");
    // The weekly report does not carry it.
    const before = h.inbox("zhang").length;
    await h.say("zhang", "/report week 2026-W47");
    const week = h
      .inbox("zhang")
      .slice(before)
      .map((m) => JSON.stringify(m));
    expect(week.some((t) => t.includes("运营周报"))).toBe(true);
    expect(week.some((t) => t.includes("考核指标"))).toBe(false);
  }, 120_000);
});

describe("/kpi refuses", () => {
  it("bad arguments answer the usage; an ops holder cannot see someone else", async () => {
    h = await startInProcess({ start: at("2026-11-16T10:00:00") });
    await seedRoles(h);
    for (const bad of ["/kpi 2026-13", "/kpi 下个月", "/kpi 2026-11 2026-10", "/kpi 部门 @李姐"]) {
      await h.say("zhang", bad);
      expect(lastText("zhang")).toContain("用法：/kpi [@某人|部门] [YYYY-MM]");
    }
    await h.say("wang", "/kpi @李姐");
    expect(lastText("wang")).toContain("只能查看自己的考核指标");
    await h.say("wang", "/kpi 部门");
    expect(lastText("wang")).toContain("只能查看自己的考核指标");
    // Everyone finds it in /help; ops holders find /account too (their accounts' login checks).
    await h.say("wang", "/help");
    expect(lastText("wang")).toContain("/kpi（/考核） 考核指标（发布及时率、一次通过率等）");
    expect(lastText("wang")).toContain("/account（/账号） 账号台账与账号安全");
  }, 60_000);
});

describe("互动率预警 (附件 004 5.3)", () => {
  /** One day of 抖音 numbers in each of six weeks (Mondays 10-26 … 11-30): 曝光 10万 and the given 互动量. */
  async function weeks(interactions: (number | null)[]): Promise<void> {
    const mondays = ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"];
    for (const [i, monday] of mondays.entries()) {
      if (interactions[i] === null) continue; // a week nobody logged
      await h.say("wang", `/metric 抖音 ${monday} 曝光=100000 点赞=${interactions[i]}`);
    }
  }

  it("two weeks running below the 4-week baseline posts one warning to the ops group on Monday", async () => {
    h = await startInProcess({ start: at("2026-12-07T09:00:00") });
    await seedRoles(h);
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    // 5% for four weeks, then 3% twice: W48 3% < 5% (W44–W47), W49 3% < 4.5% (W45–W48).
    await weeks([5000, 5000, 5000, 5000, 3000, 3000]);
    await when("2026-12-07T10:00:00");
    const warnings = h.texts("oc_ops").filter((t) => t.startsWith("📉 互动率预警"));
    expect(warnings).toEqual([
      [
        "📉 互动率预警：以下平台的互动率连续两周低于各自前 4 周的平均水平（附件 004 5.3）",
        "· 抖音：2026-W48 3%（基线 5%），2026-W49 3%（基线 4.5%）",
        "请运营团队负责人分析原因并调整内容形式、话题或互动活动，落实到负责人。",
      ].join("\n"),
    ]);
    // Once a week: the rest of the day adds nothing.
    await when("2026-12-07T18:00:00");
    expect(h.texts("oc_ops").filter((t) => t.startsWith("📉 互动率预警"))).toHaveLength(1);
  }, 60_000);

  for (const [what, data] of [
    ["only the last week below", [5000, 5000, 5000, 5000, 5000, 3000]],
    ["the week before last above again", [5000, 5000, 5000, 5000, 3000, 5000]],
    ["a baseline week nobody logged", [null, 5000, 5000, 5000, 3000, 3000]],
  ] as const) {
    it(`${what}: no warning`, async () => {
      h = await startInProcess({ start: at("2026-12-07T09:00:00") });
      await seedRoles(h);
      await h.say("admin", "/bind ops", { chatId: "oc_ops" });
      await weeks([...data]);
      await when("2026-12-07T10:00:00");
      expect(h.texts("oc_ops").filter((t) => t.startsWith("📉"))).toHaveLength(0);
    }, 60_000);
  }
});
