/**
 * 危机演练 (《制度》第十四条(二)4) end to end: a 二级 drill on the real pager. Every message says 【演练】,
 * every member's 收到 is timed, 管理层 is not paged unless drill.escalate is 开, the drill report's numbers
 * are exact, and the crisis numbers of the weekly report are those of the real crisis only.
 */
import { afterEach, describe, expect, it } from "vitest";
import { crisisHarness, GROUP, hasButton, MIN } from "../core/crisis/support.ts";
import { cardText, type Harness } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const at = async (t: number) => {
  h.clock.set(t);
  await h.settle();
};
const last = (who: string) => h.texts(who).at(-1) ?? "";
const drillCards = (chat: string) => h.cards(chat).filter((c) => cardText(c.card).includes("危机 C-"));
const ack = { a: "crisis.ack", c: 2 };

describe("a 二级 drill", () => {
  it("pages for real marked 【演练】, times every 收到, skips 管理层, reports exact numbers, leaves crisis KPIs alone", async () => {
    h = await crisisHarness();
    // A real 一级 crisis first, acknowledged after 5 minutes and closed: the report's baseline.
    const t0 = h.clock.now();
    await h.say("wang", "/crisis 1 城东店一条差评");
    await at(t0 + 5 * MIN);
    await h.say("lin", "/ack C-1");
    await h.say("lin", "/crisis close C-1 已回复并安抚");
    await h.say("zhang", "/report week");
    const baseline = cardText(h.cards("zhang").at(-1)?.card);
    expect(baseline).toContain("危机 1 起：一级 1、二级 0、三级 0");
    expect(baseline).toContain("平均确认用时 5分钟（最长 5分钟）｜按时处置 1 起、超时 0 起、处置中 0 起");
    const groupTextsBefore = h.texts(GROUP).length;
    const groupCardsBefore = drillCards(GROUP).length;

    // The drill: 张总 (the crisis group's leader) starts it.
    const d0 = t0 + 10 * MIN;
    await at(d0);
    await h.say("zhang", "/drill 2 模拟多平台差评扩散");
    expect(last("zhang")).toMatch(
      /^【演练】🚨 已上报 C-2：二级（较大），已呼叫危机小组，确认前每 10分钟 重复呼叫/,
    );
    expect(last("zhang")).toContain("演练中无人确认时不会升级到管理层");
    // Nobody answers for 45 minutes: pages at 0, 10, 20, 30, 40; 张总 by DM at the 2nd repeat; 管理层 never.
    for (const m of [10, 20, 30, 40]) await at(d0 + m * MIN);
    const pages = drillCards(GROUP).slice(groupCardsBefore);
    expect(pages).toHaveLength(5);
    for (const p of pages) expect(cardText(p.card)).toContain("🚨 【演练】二级危机 C-2");
    expect(drillCards("zhang").filter((c) => cardText(c.card).includes("【演练】"))).toHaveLength(1);
    expect(drillCards("li")).toHaveLength(0); // 李姐 is 管理层
    // The real pager's buzz (加急) for 二级, about each drill page.
    const buzzed = h.fake.state.urgent.map((u) => u.messageId);
    for (const p of pages) expect(buzzed).toContain(p.messageId);

    // 林哥 at 43 min becomes the lead; 小刘's 收到 at 45 min is timed too (the button stays for him).
    await at(d0 + 43 * MIN);
    const r1 = await h.click("lin", pages.at(-1)?.messageId ?? "", ack);
    expect((r1.json.toast as { content: string }).content).toBe(
      "【演练】已确认 C-2，你是负责人。下一步：评估定级，/crisis show C-2 查看详情",
    );
    expect(hasButton(h.fake.state.byId.get(pages[0]?.messageId ?? "")?.card, "crisis.ack")).toBe(true);
    await at(d0 + 45 * MIN);
    const r2 = await h.click("liu", pages[0]?.messageId ?? "", ack);
    expect((r2.json.toast as { content: string }).content).toBe(
      "【演练】已记录你的收到（呼叫后 45分钟），负责人：林哥",
    );
    // …on every copy, once each member has pressed it.
    for (const p of pages)
      expect(hasButton(h.fake.state.byId.get(p.messageId)?.card, "crisis.ack")).toBe(false);
    await at(d0 + 50 * MIN);
    await h.say("lin", "/crisis stage C-2 核实取证 收集截图");
    expect(last("lin")).toBe("【演练】C-2 当前阶段：「核实取证」");
    await at(d0 + 60 * MIN);
    await h.say("lin", "/crisis stage C-2 执行跟踪 统一回复已发");
    await at(d0 + 70 * MIN);
    await h.say("lin", "/crisis close C-2 演练结束，流程顺畅");

    // Every message of the drill in the crisis group says 【演练】.
    const drillTexts = h.texts(GROUP).slice(groupTextsBefore);
    expect(drillTexts.length).toBeGreaterThanOrEqual(5);
    for (const t of drillTexts) expect(t.startsWith("【演练】"), t).toBe(true);
    for (const c of drillCards(GROUP).slice(groupCardsBefore)) expect(cardText(c.card)).toContain("【演练】");
    for (const who of ["lin", "liu", "zhang"]) {
      for (const c of drillCards(who).filter((x) => cardText(x.card).includes("C-2")))
        expect(cardText(c.card)).toContain("【演练】");
    }

    // The drill report: to the crisis group, with exact numbers.
    const report = drillTexts.at(-1) ?? "";
    expect(report).toContain("【演练】危机演练报告 C-2（二级）");
    expect(report).toContain("说明：模拟多平台差评扩散");
    expect(report).toContain("总用时 1小时10分钟");
    expect(report).toContain("呼叫 5 次；首个收到：43分钟（林哥，成为负责人）");
    expect(report).toContain("林哥：43分钟\n小刘：45分钟");
    expect(report).toContain("上报：43分钟\n评估定级：7分钟\n核实取证：10分钟\n执行跟踪：10分钟");
    expect(report).toContain("此时应私信管理层（演练中不升级到管理层）");
    expect(report).toContain("处置时限（48小时）：按时达到处置目标");
    await h.say("zhang", "/drill report C-2");
    expect(last("zhang")).toBe(report);

    // The weekly report counts the real crisis only.
    await h.say("zhang", "/report week");
    const after = cardText(h.cards("zhang").at(-1)?.card);
    expect(after).toContain("危机 1 起：一级 1、二级 0、三级 0");
    expect(after).toContain("平均确认用时 5分钟（最长 5分钟）｜按时处置 1 起、超时 0 起、处置中 0 起");
  });

  it("pages 管理层 when drill.escalate is 开", async () => {
    h = await crisisHarness();
    await h.say("admin", "/policy set drill.escalate 开");
    const d0 = h.clock.now();
    await h.say("zhang", "/演练 2");
    for (const m of [10, 20, 30, 40]) await at(d0 + m * MIN);
    const management = drillCards("li");
    expect(management).toHaveLength(1);
    expect(cardText(management[0]?.card)).toContain("【演练】二级危机 C-1");
  });

  it("bad arguments get a usage line and change nothing; only the head or an admin starts one", async () => {
    h = await crisisHarness();
    const crises = () =>
      (h.app.db.$client.prepare("select count(*) as n from crises").get() as { n: number }).n;
    for (const text of [
      "/drill",
      "/drill 4 说明",
      "/drill 五级 说明",
      "/drill list all",
      "/drill report",
      "/drill report C-1 x",
    ]) {
      await h.say("zhang", text);
      expect(last("zhang"), text).toMatch(/^用法：\/drill/);
    }
    await h.say("lin", "/drill 2");
    expect(last("lin")).toBe("只有市场部门负责人（危机小组组长）或管理员可以发起危机演练");
    expect(crises()).toBe(0);
    await h.say("admin", "/policy set drill.escalate 也许");
    expect(last("admin")).toContain("可选：开、关");
  });
});

describe("the digest", () => {
  it("says when no drill happened in 365 days, and stops once one did", async () => {
    h = await crisisHarness();
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    await h.say("zhang", "/sla");
    expect(last("zhang")).not.toContain("危机演练");
    h.clock.advance(366 * 24 * 60 * MIN);
    await h.say("zhang", "/sla");
    expect(last("zhang")).toContain(
      "【危机演练】1 项\n· 已超过 365天 没有危机演练（还没有进行过演练；《制度》第十四条(二)4：每年组织一次），请用 /drill 2 [说明] 安排演练",
    );
    await h.say("zhang", "/drill 1 年度演练");
    await h.say("zhang", "/sla");
    expect(last("zhang")).not.toContain("没有危机演练");
  });
});
