/**
 * /report week|month and the scheduled posts (docs/metrics-reports.md), over signed HTTP against the fake Feishu: every
 * number of the fixture week is asserted as the card shows it, the chart is a real PNG of the right size
 * with more than a handful of colours, and empty periods, month ends and ISO week 53 say the right thing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { CHART_HEIGHT, CHART_WIDTH } from "../../src/core/reports/chart.ts";
import type { FakeMessage } from "../../src/platforms/sandbox/open-platform/index.ts";
import { reportsSent } from "../../src/store/schema/index.ts";
import { cardText, type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";
import { at, buildFixtureWeek } from "./report-fixture.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** The fixture week as the card shows it: every number of the report, checked once by hand. */
const FIXTURE_WEEK = [
  "📊 运营周报 2026-W47（11-16 至 11-22）",
  "📊 运营周报 2026-W47（11-16 至 11-22）",
  "对比上周 2026-W46（11-09 至 11-15）",
  "平台（与上周相比）",
  [
    // 抖音 this week: 5万 + 7万; 互动量 (1500+300+200) + (2500+400+100); last week 10万 and 4000.
    "抖音：发布 1 篇 / 目标 3 ❌（上周 0 篇）",
    "　曝光 12万（↑20%）｜互动量 5000（↑25%）",
    "　互动率 4.2%（↑0.2个百分点）｜关注 300（↑50%）",
    // 小红书: 收藏 is not part of 互动量 (点赞 + 评论 + 转发); 4% against last week's 1500 / 4万 = 3.75%.
    "小红书：发布 1 篇 / 目标 2 ❌（上周 0 篇）",
    "　曝光 3万（↓25%）｜互动量 1200（↓20%）",
    "　互动率 4%（↑0.3个百分点）｜关注 80（↓20%）",
    "公众号：发布 0 篇 / 目标 1 ❌（上周 0 篇）",
    "　未登记平台数据",
    "视频号：发布 0 篇 / 目标 3 ❌（上周 0 篇）",
    "　未登记平台数据",
  ].join("\n"),
  "门店",
  [
    "城东店：到店 100｜预约 80｜套餐 45｜好评率 97%｜差评 1",
    "城西店：到店 30｜预约 20｜套餐 10｜好评率 90%｜差评 2",
  ].join("\n"),
  "内容审核",
  [
    "提交 3 篇（重新提交 1 次）｜审核通过 2 篇｜驳回 1 次",
    // #1 passed at its first revision, #2 was rejected at its first: 1 of 2.
    "一次通过率 50%（1/2）",
    // 初审 2h, 1h, 1h, 6h → (1h + 2h) / 2; 复审 1h, 4h (the rejection), 1h; 发布确认 30 min twice.
    "各环节用时（中位数）：初审 1小时30分钟｜复审 1小时｜发布确认 30分钟",
    "合规预审发现 2 处（涉及 1 篇）：绝对化用语 1、广告标识 1",
  ].join("\n"),
  "客户反馈",
  [
    "工单 3 个：好评 1、中性 0、差评 2",
    // T-2 answered within 24 h, T-3 never: the positive T-1 owes no answer.
    "首次响应按时率 50%（1/2）｜本周超时 1 个｜目前仍超时未处理 1 个",
  ].join("\n"),
  "危机",
  [
    "危机 1 起：一级 1、二级 0、三级 0",
    "平均确认用时 12分钟（最长 12分钟）｜按时处置 1 起、超时 0 起、处置中 0 起",
  ].join("\n"),
  "内容表现",
  [
    "曝光 Top 3：",
    "1. #1《周末新本首发》（抖音）曝光 5万",
    "2. #2《城东店探店》（小红书）曝光 3万",
    "互动率 Top 3：",
    "1. #1《周末新本首发》（抖音）4.2%（互动量 2100 / 曝光 5万）",
    "2. #2《城东店探店》（小红书）4%（互动量 1200 / 曝光 3万）",
    // #2's target 互动 1000 is met (1200), so only #1 is listed.
    "未达目标（1 项）：",
    "#1《周末新本首发》曝光达成率 50%（5万/10万）",
  ].join("\n"),
];

/** Minimal PNG reader (8-bit RGB/RGBA, non-interlaced, as resvg writes): size and pixels. */
function decodePng(png: Buffer): { width: number; height: number; colours: number } {
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [depth, colourType, , , interlace] = [png[24], png[25], png[26], png[27], png[28]];
  expect(depth).toBe(8);
  expect(interlace).toBe(0);
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  expect(channels).toBeGreaterThan(0);
  const idat: Buffer[] = [];
  for (let pos = 8; pos < png.length; ) {
    const len = png.readUInt32BE(pos);
    const type = png.subarray(pos + 4, pos + 8).toString("ascii");
    if (type === "IDAT") idat.push(png.subarray(pos + 8, pos + 8 + len));
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe((stride + 1) * height);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= channels ? (out[y * stride + x - channels] ?? 0) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= channels && y > 0 ? (out[(y - 1) * stride + x - channels] ?? 0) : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter ?? 0] ?? 0;
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const colours = new Set<number>();
  for (let i = 0; i < out.length; i += channels) {
    colours.add(((out[i] ?? 0) << 16) | ((out[i + 1] ?? 0) << 8) | (out[i + 2] ?? 0));
  }
  return { width, height, colours: colours.size };
}

function imageBytes(msg: FakeMessage | undefined): Buffer {
  const key = (msg?.content as { image_key?: string } | undefined)?.image_key ?? "";
  const img = h.fake.state.images.get(key);
  if (!img) throw new Error(`no uploaded image ${key}`);
  return img.bytes;
}

const cardLines = (m: FakeMessage | undefined) => cardText(m?.card).split("\n");
/** cardText joins every content string: a section's text spans several lines, so compare as one string. */
const expected = (parts: string[]) => parts.join("\n");

describe("the fixture week", () => {
  it("is posted to the ops group on Monday 10:00 as a card with every number, then the chart", async () => {
    h = await startInProcess({ start: at("2026-11-16T10:00:00") });
    await buildFixtureWeek(h);
    const before = h.inbox("oc_ops").length;
    h.clock.set(at("2026-11-23T09:59:00"));
    await h.settle();
    expect(h.inbox("oc_ops").filter((m) => m.msgType === "interactive")).toHaveLength(0);
    h.clock.set(at("2026-11-23T10:00:00"));
    await h.settle();
    const posted = h
      .inbox("oc_ops")
      .slice(before)
      .filter((m) => m.msgType !== "text");
    expect(posted.map((m) => m.msgType)).toEqual(["interactive", "image"]);
    const text = cardText(posted[0]?.card);
    expect(text).toBe(
      `${expected(FIXTURE_WEEK)}\n每日曝光与互动量图表见下一条消息；导出 CSV：/report week 2026-W47 csv。生成于 2026-11-23 10:00`,
    );
    expect(text).not.toMatch(/NaN|Infinity|undefined/);

    const png = imageBytes(posted[1]);
    const { width, height, colours } = decodePng(png);
    expect([width, height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    // White background, grey grid, black text, two platform colours and their anti-aliasing: far more than 2.
    expect(colours).toBeGreaterThan(50);
    // Kept for people to look at (test-artifacts/ is not in git, so a fresh clone has to create it).
    const artefacts = new URL("../../test-artifacts/", import.meta.url);
    mkdirSync(artefacts, { recursive: true });
    writeFileSync(new URL("report-week.png", artefacts), png);

    // Once a week: a restart and another sweep do not post it again; it is archived as sent.
    await h.restart();
    await h.settle();
    expect(h.inbox("oc_ops").filter((m) => m.msgType === "interactive")).toHaveLength(1);
    const sent = h.app.db.select().from(reportsSent).all();
    expect(sent.map((r) => [r.kind, r.period, r.trigger])).toEqual([["week", "2026-W47", "cron"]]);
    expect(sent[0]?.text).toContain("一次通过率 50%（1/2）");
  }, 60_000);

  it("/report week last and /周报 2026-W47 give the same numbers; csv gives them as a file", async () => {
    h = await startInProcess({ start: at("2026-11-16T10:00:00") });
    await buildFixtureWeek(h);
    h.clock.set(at("2026-11-24T09:00:00"));
    await h.settle();
    const before = h.inbox("zhang").length;
    await h.say("zhang", "/report week last");
    const mine = h.inbox("zhang").slice(before);
    expect(mine.map((m) => m.msgType)).toEqual(["interactive", "image"]);
    expect(cardLines(mine[0]).slice(0, -1).join("\n")).toBe(expected(FIXTURE_WEEK));
    await h.say("li", "/周报 2026-W47");
    expect(cardLines(h.cards("li").at(-1)).slice(0, -1).join("\n")).toBe(expected(FIXTURE_WEEK));

    await h.say("zhang", "/report week 2026-W47 csv");
    const file = h.inbox("zhang").find((m) => m.msgType === "file");
    const key = (file?.content as { file_key?: string } | undefined)?.file_key ?? "";
    const stored = h.fake.state.files.get(key);
    expect(stored?.fileName).toBe("周报-2026-W47.csv");
    const csv = stored?.bytes.toString("utf8") ?? "";
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const rows = parse(csv.slice(1)) as string[][];
    const find = (section: string, subject: string, metric: string) =>
      rows.find((r) => r[0] === section && r[1] === subject && r[2] === metric)?.slice(3);
    expect(rows[0]).toEqual(["分区", "对象", "指标", "本周", "上周", "变化"]);
    expect(find("平台", "抖音", "曝光")).toEqual(["120000", "100000", "↑20%"]);
    expect(find("平台", "抖音", "互动量")).toEqual(["5000", "4000", "↑25%"]);
    expect(find("平台", "抖音", "互动率(%)")).toEqual(["4.2", "4", "↑0.2个百分点"]);
    expect(find("平台", "小红书", "关注")).toEqual(["80", "100", "↓20%"]);
    expect(find("门店", "城东店", "好评率(%)")).toEqual(["97", "", ""]);
    expect(find("内容审核", "", "一次通过率(%)")).toEqual(["50", "", ""]);
    expect(find("内容审核", "初审", "用时中位数(分钟)")).toEqual(["90", "", ""]);
    expect(find("客户反馈", "", "首次响应按时率(%)")).toEqual(["50", "", ""]);
    expect(find("危机", "", "一级")).toEqual(["1", "", ""]);
    expect(find("未达目标", "#1《周末新本首发》", "曝光达成率(%)")).toEqual(["50", "", ""]);
    expect(csv).not.toMatch(/NaN|Infinity|undefined/);
    expect(h.texts("zhang").at(-1)).toBe("已生成 2026-W47 周报 CSV");
  }, 60_000);
});

describe("periods", () => {
  it("an empty week and an empty month say so plainly: no NaN, no division by zero, no chart", async () => {
    h = await startInProcess({ start: at("2026-11-16T10:00:00") });
    await seedRoles(h);
    await h.say("zhang", "/report week");
    const card = h.cards("zhang").at(-1);
    expect(cardText(card?.card)).toBe(
      [
        "📊 运营周报 2026-W47（11-16 至 11-22）：本周暂无数据",
        "📊 运营周报 2026-W47（11-16 至 11-22）",
        "2026-W47（11-16 至 11-22）",
        "本周暂无数据",
        "没有登记数据、发布、审核、工单或危机记录",
      ].join("\n"),
    );
    await h.say("zhang", "/月报 2026-10");
    expect(cardText(h.cards("zhang").at(-1)?.card)).toContain(
      "📊 运营月报 2026-10（10-01 至 10-31）\n2026-10（10-01 至 10-31）\n本月暂无数据",
    );
    expect(h.inbox("zhang").filter((m) => m.msgType === "image")).toHaveLength(0);
    await h.say("zhang", "/report month 2026-10 csv");
    const file = h.inbox("zhang").find((m) => m.msgType === "file");
    const bytes = h.fake.state.files.get(
      (file?.content as { file_key?: string } | undefined)?.file_key ?? "",
    )?.bytes;
    expect(parse(bytes?.toString("utf8").slice(1) ?? "")).toEqual([
      ["分区", "对象", "指标", "本月", "上月", "变化"],
      ["说明", "", "本月暂无数据", "", "", ""],
    ]);
  });

  it("a week with data but nothing last week never divides by zero", async () => {
    h = await startInProcess({ start: at("2026-11-18T10:00:00") });
    await seedRoles(h);
    await h.say("wang", "/metric 抖音 曝光=0 点赞=0");
    await h.say("wang", "/metric 小红书 曝光=1万 点赞=100");
    await h.say("zhang", "/report week");
    const text = cardText(h.cards("zhang").at(-1)?.card);
    expect(text).toContain(
      "抖音：发布 0 篇 / 目标 3 ⏳（上周 0 篇）\n　曝光 0（—）｜互动量 0（—）\n　互动率 —（—）｜关注 0（—）",
    );
    expect(text).toContain(
      "小红书：发布 0 篇 / 目标 2 ⏳（上周 0 篇）\n　曝光 1万（上周为 0）｜互动量 100（上周为 0）",
    );
    expect(text).toContain("一次通过率 —");
    expect(text).toContain("首次响应按时率 —｜本周超时 0 个");
    expect(text).toContain("本周无危机事件");
    expect(text).toContain("本周发布的内容还没有登记数据");
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("a week across a month end counts both months' days; the month report only its own", async () => {
    h = await startInProcess({ start: at("2026-12-08T10:00:00") });
    await seedRoles(h);
    await h.say("wang", "/metric 抖音 2026-11-30 曝光=1万 点赞=100");
    await h.say("wang", "/metric 抖音 2026-12-01 曝光=2万 点赞=300");
    await h.say("wang", "/metric 抖音 2026-11-23 曝光=1万");
    await h.say("zhang", "/report week 2026-W49");
    const week = cardText(h.cards("zhang").at(-1)?.card);
    expect(week).toContain("📊 运营周报 2026-W49（11-30 至 12-06）");
    expect(week).toContain("　曝光 3万（↑200%）｜互动量 400（上周为 0）");
    await h.say("zhang", "/report month 2026-11");
    const month = cardText(h.cards("zhang").at(-1)?.card);
    expect(month).toContain("📊 运营月报 2026-11（11-01 至 11-30）");
    // A month's posting target is the weekly one scaled to its days: 3 × 30 / 7 ≈ 13.
    expect(month).toContain(
      "抖音：发布 0 篇 / 目标 13 ❌（上月 0 篇）\n　曝光 2万（上月为 0）｜互动量 100（上月为 0）",
    );
  });

  it("ISO week 53 of 2026 runs from 28 December to 3 January; 2026 has no week 54", async () => {
    h = await startInProcess({ start: at("2027-01-05T10:00:00") });
    await seedRoles(h);
    await h.say("wang", "/metric 抖音 2026-12-28 曝光=1万 点赞=100");
    await h.say("wang", "/metric 抖音 2027-01-03 曝光=3万 点赞=500");
    await h.say("wang", "/metric 抖音 2027-01-04 曝光=9万");
    await h.say("wang", "/metric 抖音 2026-12-27 曝光=2万 点赞=200");
    await h.say("zhang", "/report week 2026-W53");
    const text = cardText(h.cards("zhang").at(-1)?.card);
    expect(text).toContain("📊 运营周报 2026-W53（2026-12-28 至 2027-01-03）");
    expect(text).toContain("对比上周 2026-W52（12-21 至 12-27）");
    expect(text).toContain("　曝光 4万（↑100%）｜互动量 600（↑200%）");
    await h.say("zhang", "/report week last");
    expect(cardText(h.cards("zhang").at(-1)?.card)).toContain("2026-W53（2026-12-28 至 2027-01-03）");
    await h.say("zhang", "/report week 2026-W54");
    expect(h.texts("zhang").at(-1)).toBe("2026 年只有 53 周（ISO 周），没有第 54 周");
    await h.say("zhang", "/report week 2027-W53");
    expect(h.texts("zhang").at(-1)).toBe("2027 年只有 52 周（ISO 周），没有第 53 周");
  });

  it("the monthly post goes out on the 1st at 10:00 for the month before", async () => {
    h = await startInProcess({ start: at("2026-11-30T10:00:00") });
    await seedRoles(h);
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    await h.say("wang", "/metric 抖音 曝光=1万 点赞=100");
    h.clock.set(at("2026-12-01T10:00:00"));
    await h.settle();
    const cards = h.cards("oc_ops").map((m) => cardText(m.card));
    expect(cards.filter((t) => t.startsWith("📊 运营月报 2026-11"))).toHaveLength(1);
    expect(h.inbox("oc_ops").filter((m) => m.msgType === "image")).toHaveLength(1);
  });

  it("bad arguments get the usage line", async () => {
    h = await startInProcess({ start: at("2026-11-16T10:00:00") });
    await h.say("zhang", "/report");
    expect(h.texts("zhang").at(-1)).toContain("用法：/report week|month [last|2026-W47|2026-11] [csv]");
    await h.say("zhang", "/report month 2026-13");
    expect(h.texts("zhang").at(-1)).toContain("用法：/report month [last|YYYY-MM] [csv]");
    await h.say("zhang", "/report week 2027-W02");
    expect(h.texts("zhang").at(-1)).toBe("2027-W02 还没有开始，没有可报告的数据");
  });
});
