import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardText, type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

const HOUR = 3_600_000;
let h: Harness;
const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;

beforeEach(async () => {
  // Monday 10:00 Shanghai.
  h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind ops", { chatId: "oc_ops" });
  await h.say("admin", "/bind cs", { chatId: "oc_cs" });
  await h.say("admin", "/bind crisis", { chatId: "oc_crisis" });
});
afterEach(async () => {
  await h.close();
});

const ownerReminders = () => h.texts("mei").filter((t) => t.startsWith("🔴 超时：工单"));

describe("feedback tickets", () => {
  it("/feedback makes a negative ticket with store, deadline and a card to customer service", async () => {
    await h.say("wang", "/feedback 城东店 DM全程看手机，态度很差，要求退款");
    expect(h.texts("wang").at(-1)).toBe("已登记 T-1｜城东店｜差评｜DM/主持｜首次响应截止 2026-11-17 10:00");
    const card = h.cards("oc_cs").at(-1);
    expect(cardText(card?.card)).toContain("DM全程看手机，态度很差，要求退款");
    expect(JSON.stringify(card?.card)).toContain('"ticket.done"');
  });

  it("a message in a feedback-bound group is a ticket for that store; a positive one is 好评素材 with no deadline", async () => {
    await h.say("admin", "/bind feedback 城东店", { chatId: "oc_fb" });
    await h.say("wang", "今天的本超级好玩，DM很专业，五星好评！", { chatId: "oc_fb" });
    expect(h.texts("oc_fb").at(-1)).toMatch(/^已登记 T-1｜城东店｜好评｜.*｜已标记为好评素材$/);
    const row = h.app.db.$client.prepare("select status, tags, due_at from tickets where id = 1").get();
    expect(row).toEqual({ status: "material", tags: '["好评素材"]', due_at: null });
    expect(h.cards("oc_cs")).toHaveLength(0);
  });

  it("crossing 24 h sends exactly one reminder, survives a restart, and shows in the next digest", async () => {
    await h.say("wang", "/feedback 城东店 等了一个小时还没开场，太失望了");
    h.clock.advance(23 * HOUR);
    await h.settle();
    expect(ownerReminders()).toHaveLength(0);
    await h.restart();
    h.clock.advance(2 * HOUR); // down across the deadline (Tue 11:00 after restart)
    await h.restart();
    await h.settle();
    expect(ownerReminders()).toHaveLength(1);
    h.clock.advance(HOUR);
    await h.settle();
    expect(ownerReminders()).toHaveLength(1);
    // Wednesday 09:30: the digest lists it under its rule, @-mentioning the owner.
    h.clock.set(Date.parse("2026-11-18T09:30:00+08:00"));
    await h.settle();
    const text = h.texts("oc_ops").at(-1) ?? "";
    expect(text).toContain("【工单首次响应超时】1 项");
    expect(text).toContain("T-1 等了一个小时还没开场");
    expect(text).toContain('<at user_id="ou_mei">小美</at>');
  });

  it("a ticket closed before its deadline never reminds and never appears in the digest", async () => {
    await h.say("wang", "/feedback 城东店 房间有点脏，空调也不凉");
    await h.say("mei", "/done T-1 已致电道歉并安排保洁");
    expect(h.texts("mei").at(-1)).toBe("✅ 已处理 T-1：已致电道歉并安排保洁");
    h.clock.set(Date.parse("2026-11-18T09:30:00+08:00"));
    await h.settle();
    expect(ownerReminders()).toHaveLength(0);
    const text = h.texts("oc_ops").at(-1) ?? "";
    expect(text).toContain("✅ 目前没有超时事项");
    // The cs card shows who handled it, without buttons.
    expect(cardText(h.cards("oc_cs")[0]?.card)).toContain("小美 已于");
  });

  it("a 微博评论 owes a reply in 30 minutes, and a reminder in quiet hours waits until 08:30", async () => {
    h.clock.set(Date.parse("2026-11-16T21:50:00+08:00"));
    await h.say("wang", "/feedback 城东店 微博评论里有人说剧本太坑了，差评");
    expect(h.texts("wang").at(-1)).toContain("首次响应截止 2026-11-16 22:20");
    h.clock.set(Date.parse("2026-11-16T22:30:00+08:00"));
    await h.settle();
    expect(ownerReminders()).toHaveLength(0);
    h.clock.set(Date.parse("2026-11-17T08:30:00+08:00"));
    await h.settle();
    expect(ownerReminders()).toHaveLength(1);
  });

  it("the card's 已处理 needs a note, and 转交 hands the ticket to someone", async () => {
    await h.say("wang", "/feedback 城东店 预约了却没位置，要求退款");
    const card = h.cards("oc_cs")[0];
    const noNote = await h.click(
      "mei",
      card?.messageId ?? "",
      { a: "ticket.done", ticket: 1 },
      { formValue: { note: "" } },
    );
    expect((noNote.json.toast as { content: string }).content).toBe("处理 T-1 需要填写处理说明");
    const li = h.app.core.services.people.ensure("feishu", "ou_li");
    const moved = await h.click(
      "mei",
      card?.messageId ?? "",
      { a: "ticket.transfer", ticket: 1 },
      { formValue: { assignee: String(li) } },
    );
    expect((moved.json.toast as { content: string }).content).toBe("已转交给 李姐");
    expect(cardText(h.cards("li").at(-1)?.card)).toContain("负责人：李姐");
    const done = await h.click(
      "li",
      h.cards("li").at(-1)?.messageId ?? "",
      { a: "ticket.done", ticket: 1 },
      { formValue: { note: "已退款" } },
    );
    expect((done.json.toast as { type: string }).type).toBe("success");
    expect(count("select count(*) n from tickets where status = 'done'")).toBe(1);
    // Every copy of the card now shows it is handled.
    expect(cardText(h.cards("oc_cs")[0]?.card)).toContain("处理：已退款");
  });

  it("bad input gets a usage line and changes nothing", async () => {
    const before = count("select count(*) n from tickets");
    await h.say("wang", "/feedback");
    expect(h.texts("wang").at(-1)).toBe("用法：/feedback [门店] <反馈内容>");
    await h.say("mei", "/done T-99 已处理");
    expect(h.texts("mei").at(-1)).toBe("没有工单 T-99");
    await h.say("mei", "/done T-1");
    expect(h.texts("mei").at(-1)).toBe("用法：/done <T-编号> <处理说明>");
    await h.say("admin", "/policy set ticket.response 一天");
    expect(h.texts("admin").at(-1)).toContain("应为时长");
    expect(count("select count(*) n from tickets")).toBe(before);
    expect(count("select count(*) n from policy_overrides")).toBe(0);
  });
});

describe("疑似危机 suggestions", () => {
  it("the third negative ticket for one store within 24 h posts one card to the crisis group", async () => {
    await h.say("wang", "/feedback 城东店 态度差");
    await h.say("wang", "/feedback 城东店 太坑了，不推荐");
    expect(h.cards("oc_crisis")).toHaveLength(0);
    await h.say("wang", "/feedback 城东店 要求退款，再也不来了");
    expect(h.cards("oc_crisis")).toHaveLength(1);
    const text = cardText(h.cards("oc_crisis")[0]?.card);
    expect(text).toContain("疑似危机 · 城东店");
    expect(text).toContain("3 条差评");
    await h.say("wang", "/feedback 城东店 环境很脏，差评");
    expect(h.cards("oc_crisis")).toHaveLength(1);
  });

  it("a severe term posts the card at once, and 忽略 greys it out", async () => {
    await h.say("wang", "/feedback 城东店 有顾客在密室里摔倒受伤了，家属说要找媒体");
    const card = h.cards("oc_crisis")[0];
    expect(cardText(card?.card)).toContain("出现严重情况");
    // Only responders decide on a suggestion: legal is refused, the marketing head may ignore it.
    const refused = await h.click("chen", card?.messageId ?? "", {
      a: "crisis.ignoreSuggestion",
      suggestion: 1,
    });
    expect((refused.json.toast as { type: string }).type).toBe("error");
    const res = await h.click("zhang", card?.messageId ?? "", {
      a: "crisis.ignoreSuggestion",
      suggestion: 1,
    });
    expect((res.json.toast as { content: string }).content).toBe("已忽略");
    expect(cardText((res.json.card as { data: unknown }).data)).toContain("已由 张总 标记为忽略");
  });
});
