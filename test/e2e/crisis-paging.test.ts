/**
 * Crisis paging (seeds/000 第十一条) end to end: the real bot over signed HTTP against the fake Feishu, a manual
 * clock, and assertions on what people see — cards in the crisis group, DMs, the fake's buzz log.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  count,
  crisisCards,
  crisisHarness,
  GROUP,
  hasButton,
  lastCrisisText,
  lastText,
  MIN,
} from "../core/crisis/support.ts";
import { cardText, type Harness } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const pages = () => crisisCards(h, GROUP);
const at = async (t: number) => {
  h.clock.set(t);
  await h.settle();
};
const ack = { a: "crisis.ack", c: 1 };

describe("a 三级 crisis nobody acknowledges", () => {
  it("pages at 0, 5, 10, 15, 20 min; marketing_head by DM at the 2nd repeat, management at the 4th", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 城东店被本地媒体曝光，微博转发过千");
    expect(lastText(h, "wang")).toContain("🚨 已上报 C-1：三级（重大）");
    expect(pages()).toHaveLength(1);
    const first = cardText(pages()[0]?.card);
    expect(first).toContain("<at id=all></at>");
    expect(first).toContain("🚨 三级危机 C-1 · 待确认");
    expect(first).toContain("城东店被本地媒体曝光，微博转发过千");
    expect(hasButton(pages()[0]?.card, "crisis.ack")).toBe(true);
    expect(hasButton(pages()[0]?.card, "crisis.escalate")).toBe(false); // 三级 is the top

    const expected: [number, number, number, number][] = [
      // minute, group pages, 张总 DMs, 李姐 DMs
      [4, 1, 0, 0],
      [5, 2, 0, 0],
      [9, 2, 0, 0],
      [10, 3, 1, 0],
      [15, 4, 1, 0],
      [19, 4, 1, 0],
      [20, 5, 1, 1],
      [24, 5, 1, 1],
    ];
    for (const [minute, n, head, management] of expected) {
      await at(t0 + minute * MIN);
      expect(pages(), `group pages at ${minute} min`).toHaveLength(n);
      expect(crisisCards(h, "zhang"), `张总 at ${minute} min`).toHaveLength(head);
      expect(crisisCards(h, "li"), `李姐 at ${minute} min`).toHaveLength(management);
    }
    // Every page in the group carries @all and the 收到 button; the DM escalations carry 收到 too.
    for (const p of pages()) expect(hasButton(p.card, "crisis.ack")).toBe(true);
    expect(hasButton(crisisCards(h, "zhang")[0]?.card, "crisis.ack")).toBe(true);
    expect(lastCrisisText(h, GROUP)).toContain("第 5 次呼叫");
    // 三级: every page buzzed the crisis members (加急), about that very group card.
    expect(h.fake.state.urgent.map((u) => u.messageId)).toEqual(pages().map((p) => p.messageId));
    for (const u of h.fake.state.urgent) expect([...u.userIds].sort()).toEqual(["ou_lin", "ou_liu"]);

    // A late ack (minute 24) stops the pager: nothing more at 25, 30.
    await h.say("lin", "/ack C-1");
    expect(lastText(h, "lin")).toContain("已确认 C-1，你是负责人");
    await at(t0 + 25 * MIN);
    await at(t0 + 30 * MIN);
    expect(pages()).toHaveLength(5);
  });

  it("an ack at 17 min stops further pages and every copy shows the lead", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 门店被平台处罚下架");
    for (const minute of [5, 10, 15, 17]) await at(t0 + minute * MIN);
    expect(pages()).toHaveLength(4);
    const clicked = pages()[3];
    const res = await h.click("lin", clicked?.messageId ?? "", ack);
    expect(res.json.toast).toEqual({
      type: "success",
      content: "已确认 C-1，你是负责人。下一步：评估定级，/crisis show C-1 查看详情",
    });
    for (const minute of [20, 25, 40]) await at(t0 + minute * MIN);
    expect(pages()).toHaveLength(4);
    expect(crisisCards(h, "li")).toHaveLength(0); // the 4th repeat never came: no management DM
    // Every copy — four group cards and 张总's DM — shows the lead and no longer asks for 收到.
    const copies = [...pages(), ...crisisCards(h, "zhang")];
    expect(copies).toHaveLength(5);
    for (const copy of copies) {
      const text = cardText(copy.card);
      expect(text).toContain("负责人：林哥");
      expect(text).not.toContain("<at id=all></at>");
      expect(hasButton(copy.card, "crisis.ack")).toBe(false);
      expect(hasButton(copy.card, "crisis.stage")).toBe(true); // 进入：核实取证
    }
    expect(h.texts(GROUP).some((t) => t.startsWith("✅ C-1（三级（重大））已由 林哥 确认"))).toBe(true);
  });
});

describe("who may acknowledge", () => {
  it("two people tapping 收到 at once: one lead, the other is told who it is", async () => {
    h = await crisisHarness();
    await h.say("wang", "/crisis 2 多个平台出现差评扩散");
    const card = pages()[0]?.messageId ?? "";
    const [a, b] = await Promise.all([
      h.click("lin", card, ack, { settle: false }),
      h.click("liu", card, ack, { settle: false }),
    ]);
    await h.settle();
    const toasts = [a, b].map((r) => r.json.toast as { type: string; content: string });
    expect(toasts.map((t) => t.type).sort()).toEqual(["info", "success"]);
    const winner = toasts.find((t) => t.type === "success") === toasts[0] ? "林哥" : "小刘";
    expect(toasts.find((t) => t.type === "info")?.content).toMatch(
      new RegExp(`^C-1 已由 ${winner} 于 .* 确认，负责人：${winner}$`),
    );
    expect(count(h, "select count(*) n from crisis_events where type = 'ack'")).toBe(1);
    expect(count(h, "select count(distinct lead_id) n from crises where lead_id is not null")).toBe(1);
    expect(lastCrisisText(h, GROUP)).toContain(`负责人：${winner}`);
  });

  it("a 收到 from someone outside crisis / marketing_head / management is refused and changes nothing", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 有顾客报警");
    const res = await h.click("outsider", pages()[0]?.messageId ?? "", ack);
    expect(res.json.toast).toEqual({
      type: "error",
      content: "只有危机小组成员、市场部门负责人或管理层可以确认危机",
    });
    expect(res.json.card).toBeUndefined();
    await h.say("wang", "/ack C-1"); // the reporter holds only ops
    expect(lastText(h, "wang")).toBe("只有危机小组成员、市场部门负责人或管理层可以确认危机");
    expect(count(h, "select count(*) n from crises where lead_id is not null")).toBe(0);
    // Both refusals are logged: the click and the text /ack (like a refused review decision, docs/review.md).
    expect(count(h, "select count(*) n from audit_log where action = 'crisis.refused'")).toBe(2);
    await at(t0 + 5 * MIN);
    expect(pages()).toHaveLength(2); // still paging
    // marketing_head and management may acknowledge too.
    await h.say("zhang", "/收到 C-1");
    expect(lastCrisisText(h, GROUP)).toContain("负责人：张总");
  });
});

describe("paging is durable", () => {
  it("restart at minute 12: the page due at 15 arrives once", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 门店食品安全问题被曝光");
    await at(t0 + 5 * MIN);
    await at(t0 + 10 * MIN);
    h.clock.set(t0 + 12 * MIN);
    await h.restart();
    await at(t0 + 14 * MIN);
    expect(pages()).toHaveLength(3);
    await at(t0 + 15 * MIN);
    expect(pages()).toHaveLength(4);
    await h.restart();
    await at(t0 + 16 * MIN);
    expect(pages()).toHaveLength(4);
    for (const n of h.fake.state.deliveriesByUuid().values()) expect(n).toBe(1);
    expect(count(h, "select count(*) n from crisis_events where type = 'page'")).toBe(4);
  });

  it("a restart after a long outage pages once, then keeps the rhythm from then", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 直播事故被录屏传播");
    h.clock.set(t0 + 2 * MIN);
    await h.restart();
    h.clock.set(t0 + 23 * MIN); // down across the pages due at 5, 10, 15, 20
    await h.restart();
    await h.settle();
    expect(pages()).toHaveLength(2);
    await at(t0 + 27 * MIN);
    expect(pages()).toHaveLength(2);
    await at(t0 + 28 * MIN);
    expect(pages()).toHaveLength(3);
  });

  it("/policy set crisis.repeat.3 3m moves the pending page", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 负面视频登上同城热榜");
    await at(t0 + 1 * MIN);
    await h.say("admin", "/policy set crisis.repeat.3 3m");
    expect(lastText(h, "admin")).toBe(
      "已修改「三级危机无人确认时重复呼叫间隔」：5分钟 → 3分钟（1 个未到期的提醒已按新值调整）",
    );
    await at(t0 + 3 * MIN);
    expect(pages()).toHaveLength(2);
    await at(t0 + 6 * MIN);
    expect(pages()).toHaveLength(3);
  });

  it("crisis pages ignore quiet hours", async () => {
    h = await crisisHarness({ start: Date.parse("2026-11-16T23:00:00+08:00") });
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 3 深夜门店发生冲突被拍视频");
    expect(pages()).toHaveLength(1);
    await at(t0 + 5 * MIN);
    expect(pages()).toHaveLength(2);
  });
});

describe("the buzz (加急)", () => {
  it("二级 buzzes the crisis members about the group card; 一级 does not", async () => {
    h = await crisisHarness();
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 1 一条大众点评差评");
    await at(t0 + 30 * MIN);
    expect(pages()).toHaveLength(2);
    expect(h.fake.state.urgent).toHaveLength(0);

    await h.say("wang", "/crisis 2 差评在抖音和小红书扩散");
    const card = pages().at(-1);
    expect(cardText(card?.card)).toContain("二级危机 C-2");
    expect(h.fake.state.urgent).toHaveLength(1);
    expect(h.fake.state.urgent[0]?.messageId).toBe(card?.messageId);
    expect([...(h.fake.state.urgent[0]?.userIds ?? [])].sort()).toEqual(["ou_lin", "ou_liu"]);
  });

  it("with no crisis group bound, the crisis members get the page by DM and the admins are told", async () => {
    h = await crisisHarness({}, false);
    await h.say("wang", "/crisis 3 门店被媒体曝光");
    expect(crisisCards(h, "lin")).toHaveLength(1);
    expect(crisisCards(h, "liu")).toHaveLength(1);
    expect(h.texts("admin").some((t) => t.includes("危机呼叫没有危机群可发"))).toBe(true);
    // Each member is buzzed about their own copy.
    expect(h.fake.state.urgent.map((u) => u.userIds).sort()).toEqual([["ou_lin"], ["ou_liu"]]);
    await h.click("liu", crisisCards(h, "liu")[0]?.messageId ?? "", ack);
    expect(lastCrisisText(h, "lin")).toContain("负责人：小刘");
  });
});
