import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardText, type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// Issue 15 item 10: archive records as a person would write them — no JSON, column names or stored words.
let h: Harness;
const last = () => h.texts("zhang").at(-1) ?? "";
const INTERNAL =
  /[{}"]|item_id|findings|submitted_at|actor_id|step_key|\breject\b|\bsecond\b|negative|platform:|douyin|exposure|feishu|default|marketing_head|contain_warning/;

beforeEach(async () => {
  h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("wang", "/submit 抖音 早鸟活动\n早鸟价 88 元，限前 20 名");
  await h.say("li", "/approve 1 文案可以");
  await h.say("zhang", "/reject 1 价格需要法务确认");
  await h.say("wang", "/feedback 城东店 DM全程看手机，态度很差");
  await h.say("wang", "/metric 抖音 曝光=12000");
});
afterEach(async () => {
  await h.close();
});

describe("archive records in words", () => {
  it("/archive search writes every hit in Chinese: 驳回 · 复审, 差评, 平台 抖音", async () => {
    await h.say("zhang", "/archive search * 全部");
    const text = last();
    expect(text).toMatch(/^🔎 档案查阅「\*」（范围：全部）共 \d+ 条/);
    expect(text).toContain("驳回 · 复审 · 价格需要法务确认");
    expect(text).toContain("差评");
    expect(text).toContain("数据·平台 抖音");
    expect(text).not.toMatch(INTERNAL);
  });

  it("/archive show of a review decision, a version, a ticket and a metric change has no column names", async () => {
    const sqlite = h.app.db.$client;
    const idOf = (kind: string, like: string) =>
      (
        sqlite
          .prepare("select id from archive_records where kind = ? and content like ? order by id desc")
          .get(kind, like) as { id: number }
      ).id;
    const shown: string[] = [];
    for (const [kind, like] of [
      ["review_events", "%法务%"],
      ["revisions", "%早鸟价%"],
      ["tickets", "%态度很差%"],
      ["metric_changes", "%douyin%"],
    ] as const) {
      await h.say("zhang", `/archive show ${idOf(kind, like)}`);
      shown.push(last());
    }
    const [decision, version, ticket, metric] = shown;
    expect(decision).toContain("内容：#1");
    expect(decision).toContain("动作：驳回");
    expect(decision).toContain("操作人：张总");
    expect(decision).toContain("审核步骤：复审");
    expect(decision).toContain("意见：价格需要法务确认");
    expect(decision).toContain("时间：2026-11-16 10:");
    expect(version).toContain("正文：早鸟价 88 元，限前 20 名");
    expect(version).toContain("版本：第 1 版");
    expect(ticket).toContain("评价：差评");
    expect(ticket).toContain("门店：城东店");
    expect(ticket).toContain("登记人：小王");
    expect(metric).toContain("对象：平台 抖音");
    expect(metric).toContain("项目：曝光");
    for (const t of shown) expect(t).not.toMatch(INTERNAL);
  });
});

describe("archive scopes by period", () => {
  it("a month and a date range can be asked for; a month grant reads that month only", async () => {
    await h.say("admin", "/role add store @路人");
    const out = () => h.texts("outsider").at(-1) ?? "";
    await h.say("outsider", "/archive request 2026-13 核对");
    expect(out()).toContain("无法识别范围「2026-13」");
    await h.say("outsider", "/archive request 2026-11-01~2026-11-15 核对上半月活动");
    expect(out()).toMatch(/^已提交《档案查阅申请》#\d+（范围 2026-11-01~2026-11-15）/);
    await h.say("outsider", "/archive request 2026-11 核对上月活动价格");
    expect(out()).toMatch(/^已提交《档案查阅申请》#(\d+)（范围 2026-11）.*24小时/);
    const card = h.cards("zhang").at(-1);
    if (!card) throw new Error("no approval card");
    // Its own card: requester, scope, reason, who approves next — no 平台, 计划发布 or 合规预审.
    const shown = cardText(card.card);
    expect(shown).toContain("档案查阅申请：2026-11");
    expect(shown).toContain("申请人：路人（门店员工）");
    expect(shown).toContain("查阅范围：2026-11");
    expect(shown).toContain("查阅事由：核对上月活动价格");
    expect(shown).toContain("审批：待 市场部门负责人 审批");
    expect(shown).not.toMatch(/平台|计划发布|未定|合规预审/);
    const step = Number(/"step":(\d+)/.exec(JSON.stringify(card.card))?.[1]);
    await h.click("zhang", card.messageId, { a: "review.decide", step, v: "approve" });
    await h.say("outsider", "/archive search 早鸟 2026-11");
    expect(out()).toMatch(/^🔎 档案查阅「早鸟」（范围：2026-11）共 \d+ 条/);
    expect(out()).toContain("早鸟价 88 元");
    const recordNo = /\[(\d+)\]/.exec(out())?.[1];
    await h.say("outsider", `/archive show ${recordNo}`);
    expect(out()).toContain(`📄 档案记录 ${recordNo}`);
    await h.say("outsider", "/archive search 早鸟 2026-12");
    expect(out()).toContain("你没有档案查阅权限");
    await h.say("outsider", "/archive search 早鸟 审核");
    expect(out()).toContain("你没有档案查阅权限");
  });
});
