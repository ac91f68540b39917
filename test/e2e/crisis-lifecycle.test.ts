/**
 * A crisis from report to 结案 (seeds/000 第十一条(二)): report lateness, stages by button and by command, re-tiering,
 * evidence images, list / show (the timeline) and close — asserted on what people see.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  count,
  crisisCards,
  crisisHarness,
  GROUP,
  HOUR,
  hasButton,
  lastCrisisText,
  lastText,
  MIN,
  sendImage,
} from "../core/crisis/support.ts";
import { cardText, type Harness } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const at = async (t: number) => {
  h.clock.set(t);
  await h.settle();
};
const firstCard = () => crisisCards(h, GROUP)[0]?.messageId ?? "";

describe("report lateness", () => {
  it("发现于 3 h ago on a 一级 is recorded and shown as 1 h late", async () => {
    h = await crisisHarness(); // 10:00 Shanghai
    await h.say("wang", "/crisis 1 顾客在大众点评发差评 发现于=07:00");
    expect(lastText(h, "wang")).toContain(
      "⚠️ 发现于 11-16 07:00，一级（一般）应在发现后 2小时 内上报，已迟报 1小时（已记录）",
    );
    expect(count(h, "select report_late_ms n from crises where id = 1")).toBe(HOUR);
    expect(lastCrisisText(h, GROUP)).toContain("上报：小王 · 11-16 10:00（发现于 11-16 07:00） ⚠️ 迟报 1小时");
    await h.say("lin", "/crisis show C-1");
    expect(lastText(h, "lin")).toContain("迟报 1小时");
    // The description is what was typed, without the 发现于 word.
    expect(lastText(h, "lin")).toContain("描述：顾客在大众点评发差评\n");
  });

  it("within the window is on time; a time later than now means yesterday", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 3 媒体来电询问 发现于=09:45");
    expect(lastText(h, "wang")).toContain("上报时限 30分钟：发现于 11-16 09:45，按时上报");
    await h.say("wang", "/危机 一级 昨晚的差评 发现于=23:00");
    expect(lastText(h, "wang")).toContain("发现于 11-15 23:00");
    expect(lastText(h, "wang")).toContain("已迟报 9小时");
    await h.say("wang", "/crisis 1 描述 发现于=25:00");
    expect(lastText(h, "wang")).toBe("发现时间格式：发现于=HH:mm，例如 发现于=09:30");
    await h.say("wang", "/crisis 5 不存在的级别");
    expect(lastText(h, "wang")).toContain("用法：/crisis <1|2|3> <描述>");
    expect(count(h, "select count(*) n from crises")).toBe(2);
  });
});

describe("stages", () => {
  it("收到 starts 评估定级; the card's button and /crisis stage move on; a stale button is refused", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 2 差评被转发到多个平台");
    await h.say("lin", "/crisis stage C-1 核实取证 先看截图");
    expect(lastText(h, "lin")).toBe("C-1 还没有人确认，请先点卡片上的「收到」或发送 /ack C-1");
    await h.click("lin", firstCard(), { a: "crisis.ack", c: 1 });
    expect(lastCrisisText(h, GROUP)).toContain("阶段：评估定级");
    const advance = { a: "crisis.stage", c: 1, from: "assess", to: "verify" };
    const res = await h.click("liu", firstCard(), advance);
    expect(res.json.toast).toEqual({ type: "success", content: "C-1 进入「核实取证」" });
    expect(lastCrisisText(h, GROUP)).toContain("阶段：核实取证");
    expect(lastText(h, GROUP)).toBe("📍 C-1 进入「核实取证」（小刘）");
    const stale = await h.click("lin", firstCard(), advance);
    expect(stale.json.toast).toEqual({ type: "error", content: "C-1 已在「核实取证」阶段，卡片已更新" });
    await h.say("lin", "/crisis stage C-1 回应 已按口径回复顾客");
    expect(lastText(h, "lin")).toBe("C-1 当前阶段：「统一回应」");
    expect(lastText(h, GROUP)).toBe("📍 C-1 进入「统一回应」（林哥）：已按口径回复顾客");
    await h.say("lin", "/crisis stage C-1 上报");
    expect(lastText(h, "lin")).toContain("当前在「统一回应」，不能改为「上报」");
    await h.say("outsider", "/crisis stage C-1 执行跟踪 我来");
    expect(lastText(h, "outsider")).toBe("只有危机小组成员、市场部门负责人或管理层可以推进危机阶段");
    expect(count(h, "select count(*) n from crisis_events where type = 'stage'")).toBe(3);
  });

  it("/crisis level raises the tier and pages again; 升级 on the card does the same once", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 1 单条差评");
    await h.click("lin", firstCard(), { a: "crisis.ack", c: 1 });
    expect(h.fake.state.urgent).toHaveLength(0);
    const escalate = { a: "crisis.escalate", c: 1, from: 1 };
    const res = await h.click("liu", firstCard(), escalate);
    expect(res.json.toast).toEqual({ type: "success", content: "C-1 已升级为二级（较大），重新呼叫" });
    expect(crisisCards(h, GROUP)).toHaveLength(2);
    expect(cardText(crisisCards(h, GROUP)[1]?.card)).toContain("<at id=all></at>");
    expect(h.fake.state.urgent).toHaveLength(1); // 二级 buzzes
    expect(lastCrisisText(h, GROUP)).toContain("负责人：林哥（升级后待重新确认");
    const again = await h.click("lin", firstCard(), escalate);
    expect((again.json.toast as { content: string }).content).toBe("C-1 已是二级（较大），卡片已更新");
    await at(t0 + 11 * MIN);
    expect(crisisCards(h, GROUP)).toHaveLength(3); // 二级 repeats every 10 min until acknowledged
    await h.say("admin", "/crisis level C-1 3");
    expect(lastText(h, "admin")).toBe("只有危机小组成员、市场部门负责人或管理层可以调整危机级别");
    await h.say("zhang", "/crisis level C-1 三级");
    expect(lastText(h, "zhang")).toBe("C-1 已调整为三级");
    expect(crisisCards(h, GROUP)).toHaveLength(4);
    await h.say("liu", "/ack C-1");
    await at(t0 + 30 * MIN);
    expect(crisisCards(h, GROUP)).toHaveLength(4);
    for (const copy of crisisCards(h, GROUP)) expect(cardText(copy.card)).toContain("负责人：小刘");
    await h.say("zhang", "/crisis level C-1 1");
    expect(lastText(h, GROUP)).toBe("⬇️ C-1 已由 张总 调整为一级（一般）");
    expect(crisisCards(h, GROUP)).toHaveLength(4); // lowering does not page
  });
});

describe("evidence images", () => {
  it("an image DM'd while one crisis is open is attached; with several, the bot asks which", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 2 顾客发帖说在店里受伤");
    await sendImage(h, "lin", "img_v3_screenshot_1");
    expect(lastText(h, "lin")).toBe("📎 已作为证据附加到 C-1（共 1 张）。/crisis show C-1 查看时间线");
    expect(lastCrisisText(h, GROUP)).toContain("证据：1 张图片");
    await sendImage(h, "outsider", "img_v3_random");
    expect(lastText(h, "outsider")).toBe("你好！发送 /help 查看可用命令");

    await h.say("wang", "/crisis 1 另一条差评");
    await sendImage(h, "lin", "img_v3_which");
    expect(lastText(h, "lin")).toBe(
      "当前有 2 个进行中的危机（C-1、C-2），请先发送 /crisis evidence <编号>，再发图片",
    );
    // The reporter (no crisis role) may send evidence after /crisis evidence.
    await h.say("wang", "/crisis evidence C-2 顾客差评截图");
    expect(lastText(h, "wang")).toBe("📎 请在 10分钟 内把截图/照片私聊发给我，将作为 C-2 的证据");
    await sendImage(h, "wang", "img_v3_review_1");
    await sendImage(h, "wang", "img_v3_review_2");
    expect(lastText(h, "wang")).toBe("📎 已作为证据附加到 C-2（共 2 张）。/crisis show C-2 查看时间线");
    h.clock.advance(11 * MIN);
    await sendImage(h, "wang", "img_v3_too_late");
    expect(lastText(h, "wang")).toBe("你好！发送 /help 查看可用命令");
    const rows = h.app.db.$client
      .prepare("select crisis_id, image_key, note from crisis_evidence order by id")
      .all();
    expect(rows).toEqual([
      { crisis_id: 1, image_key: "img_v3_screenshot_1", note: null },
      { crisis_id: 2, image_key: "img_v3_review_1", note: "顾客差评截图" },
      { crisis_id: 2, image_key: "img_v3_review_2", note: "顾客差评截图" },
    ]);
    await h.say("wang", "/crisis show C-2");
    expect(lastText(h, "wang")).toContain("小王 提交证据图片（顾客差评截图）");
  });
});

describe("list, show and close", () => {
  it("the timeline has every page, escalation, ack, stage, note and the close, with times", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 门店被媒体曝光");
    await at(t0 + 5 * MIN);
    await at(t0 + 10 * MIN);
    await h.say("zhang", "/ack C-1");
    await h.say("zhang", "/crisis note C-1 已联系媒体了解情况");
    await h.say("liu", "/crisis list");
    expect(lastText(h, "liu")).toContain(
      "C-1 三级 · 评估定级 · 负责人 张总 · 处置时限 11-19 10:00（已用 0%）",
    );
    await h.say("zhang", "/crisis close C-1");
    expect(lastText(h, "zhang")).toBe("结案需要写总结：/crisis close C-1 <总结>");
    await h.say("zhang", "/crisis close C-1 误报，媒体报道的是同名门店");
    expect(lastText(h, "zhang")).toBe("🏁 C-1 已结案，记录永久保存。/crisis show C-1 查看时间线");
    for (const copy of crisisCards(h, GROUP)) {
      expect(cardText(copy.card)).toContain("三级危机 C-1 · 已结案");
      expect(hasButton(copy.card, "crisis.stage") || hasButton(copy.card, "crisis.ack")).toBe(false);
    }
    await h.say("liu", "/crisis show C-1");
    const show = lastText(h, "liu");
    for (const line of [
      "11-16 10:00 小王 上报三级（重大）：门店被媒体曝光（按时上报，时限 30分钟）",
      "11-16 10:00 呼叫（危机群 1 个，加急 2 人）",
      "11-16 10:05 第 1 次重复呼叫（危机群 1 个，加急 2 人）",
      "11-16 10:10 第 2 次重复呼叫（危机群 1 个，加急 2 人）",
      "11-16 10:10 2 次重复呼叫无人确认，已私信市场部门负责人：张总",
      "张总 确认（收到），成为负责人（呼叫后 10分钟）",
      "张总 进入「评估定级」",
      "张总 记录：已联系媒体了解情况",
      "张总 结案：误报，媒体报道的是同名门店",
    ]) {
      expect(show).toContain(line);
    }
    await h.say("liu", "/crisis list");
    expect(lastText(h, "liu")).toContain("目前没有进行中的危机");
    await h.say("liu", "/crisis list all");
    expect(lastText(h, "liu")).toContain("C-1 三级 · 已结案");
    await at(t0 + 4 * 24 * HOUR); // no page, no contain notice after 结案
    expect(crisisCards(h, GROUP)).toHaveLength(3);
    expect(h.texts(GROUP).filter((t) => t.includes("处置时限"))).toHaveLength(0);
    await h.say("zhang", "/crisis stage C-1 执行跟踪 再试");
    expect(lastText(h, "zhang")).toBe("C-1 已结案，不能再修改");
  });
});
