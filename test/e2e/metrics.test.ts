/**
 * /metric, /target and the post-publish data rule (docs/metrics-reports.md), driven over signed HTTP against the fake
 * Feishu. Every assertion is on what people see (replies, reminders, the digest) or on what was stored.
 */
import { afterEach, describe, expect, it } from "vitest";
import { contentTargets, metricChanges, metricValues } from "../../src/store/schema/index.ts";
import { type Harness, seedRoles, type Who } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const last = (who: Who | string) => h.texts(who).at(-1) ?? "";

async function setup(startIso = "2026-11-16T10:00:00"): Promise<void> {
  h = await startInProcess({ start: at(startIso) });
  await seedRoles(h);
}

/** 小王 submits, the chain approves, 小刘 publishes on every platform; returns the item number. */
async function published(platforms: string, title: string): Promise<number> {
  await h.say("wang", `/submit ${platforms} ${title}\n正文`);
  const no = Number(/#(\d+)/.exec(last("wang"))?.[1]);
  for (const who of ["li", "zhang", "liu"] as const) await h.say(who, `/approve ${no}`);
  for (const p of platforms.split(",")) await h.say("liu", `/publish ${no} ${p}`);
  return no;
}

const stored = () => ({
  values: h.app.db.select().from(metricValues).all().length,
  changes: h.app.db.select().from(metricChanges).all().length,
});

describe("seeds/003 模板3 reproduces its own figures", () => {
  it("曝光 28万 with 互动 8200 → 2.9 %; 55万 with 3.2万 → 5.8 %; 目标 50万 actual 45万 → 达成率 90 %", async () => {
    await setup();
    const article = await published("公众号", "新品上市推文");
    const video = await published("抖音", "新品开箱短视频");
    await h.say("wang", `/metric #${article} 阅读=28万 点赞=6000 评论=1500 转发=700`);
    expect(last("wang")).toBe(
      [
        `✅ 已登记 #${article}《新品上市推文》公众号 2026-11-16：曝光 28万、点赞 6000、评论 1500、转发 700`,
        "互动量 8200，互动率 2.9%",
      ].join("\n"),
    );
    // 抖音 row: 3.2万（点赞2.8万+评论0.4万）
    await h.say("wang", `/数据 #${video} 播放=55万 点赞=2.8万 评论=0.4万`);
    expect(last("wang")).toContain("互动量 3.2万，互动率 5.8%");

    const target = await published("抖音", "新本预告");
    await h.say("wang", `/target #${target} 曝光=50万`);
    expect(last("wang")).toBe(`🎯 已设定 #${target}《新本预告》的目标\n目标：曝光 50万`);
    await h.say("wang", `/metric #${target} 曝光=45万`);
    expect(last("wang")).toContain("目标达成率：曝光 90%（45万/50万）");
  });
});

describe("validation: all or nothing, with the reason and the valid keys", () => {
  it("/metric 抖音 播放=abc → a clear error, nothing stored", async () => {
    await setup();
    await h.say("wang", "/metric 抖音 播放=abc");
    const answer = last("wang");
    expect(answer).toContain("抖音 2026-11-16 的数据有误，未登记任何数据");
    expect(answer).toContain("播放（曝光）=abc：应为数字，如 8200、1.2万、3w");
    expect(answer.split("\n").at(-1)).toBe(
      "可用指标：曝光（播放、阅读、展现）、点赞、评论、转发（分享）、收藏、关注（新增关注）、粉丝（粉丝总数）、到店、预约、套餐（团购）、好评率（%）、差评、满意度（%）",
    );
    expect(stored()).toEqual({ values: 0, changes: 0 });
  });

  it("/metric 火星 点赞=1 → names what the first word may be, nothing stored", async () => {
    await setup();
    await h.say("admin", "/store add 城东店");
    await h.say("wang", "/metric 火星 点赞=1");
    const answer = last("wang");
    expect(answer).toContain("不认识「火星」，未登记任何数据");
    expect(answer).toContain("平台：抖音 小红书 公众号 视频号 微博 大众点评 美团");
    expect(answer).toContain("门店：城东店");
    expect(stored()).toEqual({ values: 0, changes: 0 });
  });

  it("one bad pair rejects the whole line and every problem is named", async () => {
    await setup();
    await h.say("wang", "/metric 抖音 曝光=1.2万 点赞=5% 心情=好 评论=-3 好评率=120 收藏 曝光=3");
    const answer = last("wang");
    expect(answer.split("\n").slice(0, -1)).toEqual([
      "抖音 2026-11-16 的数据有误，未登记任何数据：",
      "· 点赞=5%：是数量，不能带 %",
      "· 没有指标「心情」",
      "· 评论=-3：不能是负数",
      "· 好评率=120：百分比不能超过 100",
      "· 「收藏」不是「指标=数值」的写法（如 曝光=28万）",
      "· 曝光 写了两次（曝光=1.2万 和 曝光=3）",
    ]);
    expect(stored()).toEqual({ values: 0, changes: 0 });
  });

  it("accepts 1.2万, 3w, 1,234, 96% and 96 for rates; refuses fractions of a count and future dates", async () => {
    await setup();
    await h.say("admin", "/store add 城东店");
    await h.say("mei", "/metric 城东店 到店=3w 预约=1,234 套餐=1.2万 好评率=96% 满意度=88.5 差评=2");
    expect(last("mei")).toBe(
      "✅ 已登记 城东店 2026-11-16：到店 3万、预约 1234、套餐 1.2万、好评率 96%、差评 2、满意度 88.5%",
    );
    const rows = h.app.db.select().from(metricValues).all();
    expect(Object.fromEntries(rows.map((r) => [r.key, r.value]))).toEqual({
      visits: 30000,
      bookings: 1234,
      packages: 12000,
      positive_rate: 96,
      satisfaction: 88.5,
      negatives: 2,
    });
    await h.say("mei", "/metric 城东店 到店=1.23456万");
    expect(last("mei")).toContain("到店=1.23456万：必须是整数");
    await h.say("mei", "/metric 城东店 2026-11-17 到店=1");
    expect(last("mei")).toBe("不能登记未来日期（2026-11-17）的数据，未登记任何数据");
    expect(stored().values).toBe(6);
  });
});

describe("re-logging replaces the value and keeps the change", () => {
  it("shows old → new with who logged the old value, and /metric 历史 lists every change", async () => {
    await setup();
    await h.say("wang", "/metric 抖音 2026-11-15 曝光=1万 点赞=300");
    h.clock.advance(3_600_000);
    await h.say("li", "/metric 抖音 11-15 曝光=1.2万");
    expect(last("li")).toBe(
      [
        "✅ 已登记 抖音 2026-11-15：曝光 1.2万",
        "当日互动量 300，互动率 2.5%",
        "已覆盖原值：",
        "· 曝光 1万 → 1.2万（原值由 小王 于 11-16 10:00 登记）",
      ].join("\n"),
    );
    expect(
      h.app.db
        .select()
        .from(metricValues)
        .all()
        .map((r) => [r.key, r.value, r.loggedBy]),
    ).toHaveLength(2);
    await h.say("zhang", "/metric 历史 抖音");
    expect(last("zhang")).toBe(
      [
        "抖音 最近 3 条登记记录：",
        "11-16 11:00 李姐：2026-11-15 曝光 1万 → 1.2万",
        "11-16 10:00 小王：2026-11-15 点赞 300",
        "11-16 10:00 小王：2026-11-15 曝光 1万",
      ].join("\n"),
    );
    await h.say("zhang", "/metric 抖音 昨天");
    expect(last("zhang")).toBe("抖音 2026-11-15：曝光 1.2万、点赞 300\n互动量 300，互动率 2.5%");
  });
});

describe("targets", () => {
  it("目标曝光=… on /submit is stored on the new item and kept out of the title", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 周末新本 目标曝光=50万 目标互动=1万\n正文");
    expect(last("wang")).toBe(
      "已提交 #1《周末新本》，当前：初审（运营团队负责人）\n🎯 目标：曝光 50万、互动量 1万",
    );
    const targets = h.app.db.select().from(contentTargets).all();
    expect(targets.map((t) => [t.key, t.value])).toEqual([
      ["exposure", 500000],
      ["interactions", 10000],
    ]);
  });

  it("a bad target refuses the submission: nothing is created", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 周末新本 目标心情=好\n正文");
    expect(last("wang")).toContain("目标有误，未登记任何数据");
    expect(last("wang")).toContain("没有指标「心情」");
    await h.say("wang", "/status 1");
    expect(last("wang")).toBe("没有编号为 #1 的内容");
  });

  it("/target by someone else than the author or a lead is refused", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 周末新本\n正文");
    await h.say("liu", "/target #1 曝光=50万");
    expect(last("liu")).toBe("只有作者、运营团队负责人或市场部门负责人可以设定目标");
  });

  it("an item on several platforms needs the platform; its totals add the platforms", async () => {
    await setup();
    const no = await published("抖音,小红书", "双平台");
    await h.say("wang", `/metric #${no} 曝光=1万`);
    expect(last("wang")).toBe(
      `#${no} 发布在抖音、小红书，请写明平台，如：/metric #${no} 抖音 曝光=28万 点赞=6000`,
    );
    await h.say("wang", `/metric #${no} 抖音 曝光=1万 点赞=500`);
    await h.say("wang", `/metric #${no} 小红书 曝光=3万 点赞=900 收藏=200`);
    expect(last("wang")).toContain("全部平台合计：互动量 1400，互动率 3.5%");
    await h.say("wang", `/metric #${no} 视频号 曝光=1`);
    expect(last("wang")).toContain(`#${no} 还没有在视频号登记发布`);
  });
});

describe("post-publish data rule (seeds/003 三.1)", () => {
  it("reminds the author at 24 h, records the breach at 72 h, and the digest lists it", async () => {
    await setup();
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    const no = await published("抖音", "待登记数据");
    h.clock.set(at("2026-11-17T10:00:00"));
    await h.settle();
    const reminder = h.texts("wang").filter((t) => t.startsWith("⏰"));
    expect(reminder).toEqual([
      `⏰ #${no}《待登记数据》在抖音发布已 1天，请在 11-19 10:00 前登记发布后数据：/metric #${no} 抖音 曝光=… 点赞=… 评论=… 转发=…`,
    ]);
    h.clock.set(at("2026-11-19T10:00:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("🔴 超时"))).toEqual([
      `🔴 超时：#${no}《待登记数据》在抖音发布已超过 3天，仍未登记数据，请尽快登记：/metric #${no} 抖音 曝光=… 点赞=… 评论=… 转发=…`,
    ]);
    await h.say("zhang", "/sla");
    expect(last("zhang")).toContain(
      `【发布后数据未登记】1 项\n· #${no}《待登记数据》抖音 11-16 10:00 发布，未登记数据 → 小王`,
    );
    await h.say("wang", `/metric #${no} 曝光=2万`);
    await h.say("zhang", "/sla");
    expect(last("zhang")).not.toContain("发布后数据未登记");
  });

  it("metrics logged within 24 h: no reminder, no breach; quiet hours delay the reminder", async () => {
    await setup("2026-11-16T21:30:00");
    const a = await published("抖音", "已登记");
    const b = await published("小红书", "夜里发布");
    await h.say("wang", `/metric #${a} 曝光=1万`);
    h.clock.set(at("2026-11-17T21:40:00")); // b's 24 h falls at 21:30-ish: outside quiet hours (22:00)
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("⏰"))).toEqual([
      expect.stringContaining(`#${b}《夜里发布》在小红书发布`),
    ]);
    h.clock.set(at("2026-11-20T00:00:00"));
    await h.settle();
    const late = h.texts("wang").filter((t) => t.startsWith("🔴 超时"));
    expect(late).toHaveLength(0); // 72 h passed at 21:30 on the 19th, but 22:00–08:30 is quiet
    h.clock.set(at("2026-11-20T08:30:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("🔴 超时"))).toEqual([
      expect.stringContaining(`#${b}《夜里发布》在小红书发布已超过 3天`),
    ]);
    expect(h.texts("wang").join("\n")).not.toContain(`#${a}《已登记》在抖音发布已`);
  });
});
