/**
 * The duties on 企业微信: the 上岗考核 answered with the template card's buttons, and a 每日抽查 card whose
 * 不合格 asks for the reason in the DM (cards have no inputs) before it opens the 整改通知.
 */
import { desc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { questionById } from "../../src/core/exam/bank.ts";
import { examAttempts } from "../../src/store/schema/index.ts";
import { buttonsOf, startWecomHarness, type WecomHarness, wecomCardText } from "../fakes/wecom/harness.ts";

let h: WecomHarness;
beforeEach(async () => {
  // 10 questions answered within a minute are ~20 DMs to one member: more than the 30 a minute WeCom
  // allows with the rest of the test, so the bot would (rightly) wait a minute. The windows are widened.
  const window = { limit: 200, windowMs: 60_000 };
  h = await startWecomHarness({ memberLimits: [window], botLimits: { member: [window], robot: [window] } });
  await h.wecomSay("admin", "/role add ops_lead @lijie(李姐)");
  console.log("STEP", 'await h.wecomSay("admin", "/role add ops');
  await h.wecomSay("admin", "/role add marketing_head @zhangzong(张总)");
  console.log("STEP", 'await h.wecomSay("admin", "/role add mar');
  await h.wecomSay("admin", "/role add ops @xiaowang(小王)");
  console.log("STEP", 'await h.wecomSay("admin", "/role add ops');
});
afterEach(async () => {
  await h.close();
  console.log("STEP", "await h.close();");
});

const last = (xs: string[]) => xs.at(-1) ?? "";

describe("duties on WeCom", () => {
  it("the exam by card buttons opens /submit; 不合格 asks for its reason and issues R-1", async () => {
    await h.wecomSay("xiaowang", "/submit 抖音 新店开业\n城东店开业啦");
    console.log("STEP", 'await h.wecomSay("xiaowang", "/submit 抖音');
    expect(last(h.texts("xiaowang"))).toContain("你还没有通过上岗考核");

    const t0 = Date.now();
    await h.wecomSay("xiaowang", "/exam");
    console.log("STEP", 'await h.wecomSay("xiaowang", "/exam");');
    console.log("exam", Date.now() - t0);
    const attempt = h.app.db.select().from(examAttempts).orderBy(desc(examAttempts.id)).get();
    for (let n = 1; n <= (attempt?.total ?? 0); n++) {
      const card = h.lastCard("xiaowang");
      expect(wecomCardText(card.card)).toContain(`上岗考核 第 ${n}/10 题`);
      expect(buttonsOf(card.card)).toEqual(["A", "B", "C", "D"]);
      const right = questionById(attempt?.questions[n - 1] ?? "")?.answer ?? "A";
      const t = Date.now();
      await h.wecomClick("xiaowang", card.taskId as string, right);
      console.log("Q", n, Date.now() - t, h.app.worker.depth());
      expect(h.cards("xiaowang").find((c) => c.taskId === card.taskId)?.card?.replace_text).toBe("已作答");
    }
    expect(last(h.texts("xiaowang"))).toContain("✅ 上岗考核通过：答对 10/10 题（100%）");
    await h.wecomSay("xiaowang", "/submit 抖音 新店开业\n城东店开业啦");
    console.log("STEP", 'await h.wecomSay("xiaowang", "/submit 抖音');
    expect(last(h.texts("xiaowang"))).toContain("已提交 #1《新店开业》");

    await h.wecomSay("zhangzong", "/spotcheck #1");
    console.log("STEP", 'await h.wecomSay("zhangzong", "/spotchec');
    const spot = h.lastCard("zhangzong");
    expect(wecomCardText(spot.card)).toContain("每日抽查 S-1");
    expect(buttonsOf(spot.card)).toEqual(["合格", "不合格"]);
    await h.wecomClick("zhangzong", spot.taskId as string, "不合格");
    console.log("STEP", 'await h.wecomClick("zhangzong", spot.tas');
    expect(last(h.texts("zhangzong"))).toContain("请直接回复不合格原因");
    await h.wecomSay("zhangzong", "正文缺少门店地址");
    console.log("STEP", 'await h.wecomSay("zhangzong", "正文缺少门店地址"');
    expect(h.lastCard("zhangzong").card?.replace_text).toBe("不合格");
    const notice = last(h.texts("xiaowang"));
    expect(notice).toContain("📌 整改通知 R-1（张总 下发");
    expect(notice).toContain("每日抽查 S-1 内容 #1 不合格：正文缺少门店地址");
  });
});
