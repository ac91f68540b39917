/**
 * The 三级 official statement through the review engine (marketing_head → legal → management), and the
 * 疑似危机 card's buttons (定为N级 / 忽略) — asserted on what people see.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  count,
  crisisCards,
  crisisHarness,
  GROUP,
  lastCrisisText,
  lastText,
} from "../core/crisis/support.ts";
import { cardText, type Harness } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const STATEMENT = "关于城东店事件的说明\n我们已暂停涉事门店营业，并配合有关部门调查。";
const stepId = (key: string) =>
  (h.app.db.$client.prepare("select id from review_steps where step_key = ?").get(key) as { id: number }).id;

describe("the 三级 statement", () => {
  it("cannot be marked published before management approved it", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 3 城东店被媒体曝光");
    await h.say("lin", "/ack C-1");
    await h.say("lin", `/crisis statement C-1 ${STATEMENT}`);
    expect(lastText(h, "lin")).toBe("已提交 C-1 官方声明 #1，当前：市场负责人审核。管理层批准后才能发布");
    const toZhang = h.cards("zhang").at(-1);
    expect(cardText(toZhang?.card)).toContain("市场负责人审核 · #1 C-1 官方声明");
    expect(cardText(toZhang?.card)).toContain("我们已暂停涉事门店营业");

    const refused = (step: string) => `C-1 的官方声明 #1 尚未获管理层批准（当前：${step}），不能标记为已发布`;
    await h.say("lin", "/crisis publish C-1");
    expect(lastText(h, "lin")).toBe(refused("市场负责人审核"));
    await h.say("zhang", "/approve 1 措辞可以");
    await h.say("lin", "/crisis publish C-1");
    expect(lastText(h, "lin")).toBe(refused("法务审核"));
    await h.say("chen", "/approve 1");
    await h.say("zhang", "/crisis publish C-1 https://weibo.com/1");
    expect(lastText(h, "zhang")).toBe(refused("管理层批准"));
    expect(lastCrisisText(h, GROUP)).toContain("官方声明：#1 审批中（/status 1）");
    await h.say("lin", "/crisis show C-1");
    expect(lastText(h, "lin")).toContain("官方声明：#1 管理层批准中");
    await h.say("lin", `/crisis statement C-1 ${STATEMENT}`);
    expect(lastText(h, "lin")).toBe("C-1 已有声明 #1（审核中）。修改请先 /withdraw 1 <原因>");

    // Management approves on the review card.
    const card = h.cards("li").at(-1);
    const res = await h.click("li", card?.messageId ?? "", {
      a: "review.decide",
      step: stepId("management"),
      v: "approve",
    });
    expect(res.json.toast).toEqual({ type: "success", content: "已通过「管理层批准」" });
    const approved =
      "✅ C-1 官方声明 #1 已获管理层批准，可以对外发布；发布后请发送 /crisis publish C-1 [链接]";
    expect(lastText(h, GROUP)).toBe(approved);
    expect(h.texts("lin")).toContain(approved);

    await h.say("outsider", "/crisis publish C-1");
    expect(lastText(h, "outsider")).toBe(
      "只有危机小组成员、市场部门负责人、管理层或发布专员可以登记危机声明发布",
    );
    await h.say("lin", "/crisis publish C-1 https://weibo.com/1");
    expect(lastText(h, "lin")).toBe("📢 已登记 C-1 的回应已发布（https://weibo.com/1）");
    expect(lastText(h, GROUP)).toBe("📢 C-1 的官方回应已发布（林哥）：https://weibo.com/1");
    expect(lastCrisisText(h, GROUP)).toContain("官方声明：已于 11-16 10:00 发布：https://weibo.com/1");
    await h.say("lin", "/status 1");
    expect(lastText(h, "lin")).toContain("#1《C-1 官方声明》 已发布");
    await h.say("lin", "/crisis publish C-1");
    expect(lastText(h, "lin")).toContain("C-1 的声明已于 11-16 10:00 登记发布");
    await h.say("lin", "/crisis show C-1");
    const show = lastText(h, "lin");
    for (const line of [
      "提交官方声明 #1 审批",
      "官方声明 #1 审批通过",
      "林哥 对外发布回应：https://weibo.com/1",
    ]) {
      expect(show).toContain(line);
    }
  });

  it("a rejected statement is reported to the lead and the group; publishing stays refused", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 3 门店被平台处罚");
    await h.say("liu", "/ack C-1");
    await h.say("liu", "/crisis statement C-1 我们是最好的门店，绝无问题");
    await h.say("zhang", "/reject 1 语气不妥，不要使用绝对化用语");
    expect(lastText(h, GROUP)).toBe("❌ C-1 官方声明 #1 被驳回，修改后发送 /resubmit 1（第二行起写新全文）");
    await h.say("liu", "/crisis publish C-1");
    expect(lastText(h, "liu")).toBe("C-1 的官方声明 #1 尚未获管理层批准（当前：已驳回），不能标记为已发布");
    await h.say("liu", "/resubmit 1\n我们向受影响的顾客致歉，并已整改。");
    expect(lastText(h, "liu")).toContain("已提交 #1《C-1 官方声明》第 2 版，当前：市场负责人审核");
  });

  it("一级/二级 record the 口径 without an approval chain", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 1 一条差评");
    await h.say("lin", "/ack");
    await h.say("lin", "/crisis statement C-1 您好，已为您安排退款并致歉");
    expect(lastText(h, "lin")).toBe(
      "已记录 C-1 的回应口径（一级（一般）无需审批）。对外发布后请发送 /crisis publish C-1 [链接]",
    );
    await h.say("lin", "/crisis publish C-1");
    expect(lastText(h, "lin")).toBe("📢 已登记 C-1 的回应已发布");
    expect(count(h, "select count(*) n from content_items")).toBe(0);
  });
});

describe("the 疑似危机 card's buttons", () => {
  const value = { tier: 2, ticket: 7, store: "城东店", summary: "城东店 24 小时内 3 条差评：服务差、退款难" };

  it("定为二级 opens C-1 once, however many people tap it; others are refused", async () => {
    h = await crisisHarness();
    // The suggestion card is feedback's; any message in the crisis group can carry its buttons here.
    const carrier = h.inbox(GROUP)[0]?.messageId ?? "";
    const refused = await h.click("outsider", carrier, { a: "crisis.fromSuggestion", ...value });
    expect(refused.json.toast).toEqual({
      type: "error",
      content: "只有危机小组成员、市场部门负责人或管理层可以为疑似危机定级",
    });
    const res = await h.click("lin", carrier, { a: "crisis.fromSuggestion", ...value });
    expect(res.json.toast).toEqual({ type: "success", content: "已上报 C-1" });
    const answered = res.json.card as { data: unknown };
    expect(cardText(answered.data)).toContain("已由 林哥 定为二级（较大）危机 C-1，已呼叫危机小组");
    expect(crisisCards(h, GROUP)).toHaveLength(1);
    expect(lastCrisisText(h, GROUP)).toContain("城东店 24 小时内 3 条差评：服务差、退款难");
    expect(lastCrisisText(h, GROUP)).toContain("门店：城东店");
    expect(h.fake.state.urgent).toHaveLength(1); // 二级 buzzes
    const again = await h.click("liu", carrier, { a: "crisis.fromSuggestion", ...value, tier: 3 });
    expect(again.json.toast).toEqual({ type: "info", content: "这条疑似危机已定为二级（较大）C-1" });
    expect(count(h, "select count(*) n from crises")).toBe(1);
    await h.say("lin", "/crisis show C-1");
    expect(lastText(h, "lin")).toContain("门店：城东店（工单 T-7）");
  });

  it("on feedback's real card: 定为三级 opens C-1 with the store and ticket; later taps say so", async () => {
    h = await crisisHarness();
    await h.say("admin", "/store add 城东店");
    await h.say("wang", "/feedback 城东店 有顾客在密室里摔倒受伤了，家属说要找媒体");
    const card = h.cards(GROUP).find((c) => cardText(c.card).includes("疑似危机"));
    // The button values as the card offered them (the card loses its buttons after the first tap).
    const values = new Map<string, Record<string, unknown>>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === "object") {
        const o = n as Record<string, unknown>;
        const label = (o.text as { content?: string } | undefined)?.content;
        const value = (o.behaviors as { value: Record<string, unknown> }[] | undefined)?.[0]?.value;
        if (o.tag === "button" && label && value) values.set(label, value);
        Object.values(o).forEach(walk);
      }
    };
    walk(card?.card);
    const tap = (label: string) => values.get(label) ?? {};
    const res = await h.click("lin", card?.messageId ?? "", tap("定为三级"));
    expect(res.json.toast).toEqual({ type: "success", content: "已上报 C-1" });
    expect(cardText((res.json.card as { data: unknown }).data)).toContain(
      "已由 林哥 定为三级（重大）危机 C-1",
    );
    expect(lastCrisisText(h, GROUP)).toContain("门店：城东店");
    expect(crisisCards(h, GROUP)).toHaveLength(1);
    // Later taps are told who decided what, and when.
    const again = await h.click("liu", card?.messageId ?? "", tap("定为二级"));
    expect(again.json.toast).toEqual({
      type: "info",
      content: "这条疑似危机已由 林哥 于 11-16 10:00 定为三级（重大）危机 C-1",
    });
    const ignore = await h.click("zhang", card?.messageId ?? "", tap("忽略"));
    expect(ignore.json.toast).toEqual(again.json.toast);
    expect(count(h, "select count(*) n from crises")).toBe(1);
    await h.say("lin", "/crisis show C-1");
    expect(lastText(h, "lin")).toContain("门店：城东店（工单 T-1）");
  });

  it("忽略 greys the card out and opens nothing", async () => {
    h = await crisisHarness();
    const carrier = h.inbox(GROUP)[0]?.messageId ?? "";
    const res = await h.click("zhang", carrier, { a: "crisis.ignoreSuggestion", ...value });
    expect(res.json.toast).toEqual({ type: "info", content: "已忽略" });
    const card = (res.json.card as { data: { header: { template: string } } }).data;
    expect(card.header.template).toBe("grey");
    expect(cardText(card)).toContain("已由 张总 标记为忽略");
    expect(count(h, "select count(*) n from crises")).toBe(0);
    expect(count(h, "select count(*) n from audit_log where action = 'crisis.suggestion.ignored'")).toBe(1);
  });
});
