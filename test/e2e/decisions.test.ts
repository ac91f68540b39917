import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardText, type Harness, hasDecisionButtons, type PEOPLE, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
beforeEach(async () => {
  h = await startInProcess();
  await seedRoles(h);
  await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
});
afterEach(async () => {
  await h.close();
});

const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;
const decisions = () => count("select count(*) n from review_events where type in ('approve','reject')");
const stepOneCard = (who: keyof typeof PEOPLE) => {
  const msg = h.cards(who)[0];
  if (!msg) throw new Error(`no card for ${who}`);
  return msg;
};
const approve = { a: "review.decide", step: 1, v: "approve" };

describe("exactly one decision", () => {
  it("the same click delivered three times decides once and reaches 复审 once", async () => {
    const card = stepOneCard("li");
    const eventId = randomUUID();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await h.click("li", card.messageId, approve, { eventId }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(decisions()).toBe(1);
    expect(h.cards("zhang")).toHaveLength(1);
    expect(h.texts("wang").filter((t) => t.includes("初审已由"))).toHaveLength(1);
  });

  it("two holders of 运营团队负责人 clicking at once: one decision, the other is told who decided", async () => {
    const [a, b] = await Promise.all([
      h.click("li", stepOneCard("li").messageId, approve, { settle: false }),
      h.click("lin", stepOneCard("lin").messageId, approve, { settle: false }),
    ]);
    await h.settle();
    const types = [a, b].map((r) => (r.json.toast as { type: string }).type).sort();
    expect(types).toEqual(["error", "success"]);
    const loser = [a, b].find((r) => (r.json.toast as { type: string }).type === "error");
    expect((loser?.json.toast as { content: string } | undefined)?.content).toMatch(
      /已由 (李姐|林哥) 于 .* 通过，无需重复处理/,
    );
    expect(decisions()).toBe(1);
    expect(h.cards("zhang")).toHaveLength(1);
    // Both copies end up without buttons, naming the same decider.
    const winner = (a.json.toast as { type: string }).type === "success" ? "李姐" : "林哥";
    for (const who of ["li", "lin"] as const) {
      const shown = h.cards(who)[0]?.card;
      expect(hasDecisionButtons(shown)).toBe(false);
      expect(cardText(shown)).toContain(`${winner} 已于`);
    }
  });
});

describe("refusals change nothing", () => {
  it("a click by someone without the role is refused and logged", async () => {
    const res = await h.click("chen", stepOneCard("li").messageId, approve);
    expect(res.json.toast).toEqual({ type: "error", content: "你不是「运营团队负责人」，不能处理「初审」" });
    expect(res.json.card).toBeUndefined();
    expect(decisions()).toBe(0);
    expect(count("select count(*) n from audit_log where action = 'review.refused'")).toBe(1);
  });

  it("the author cannot review their own item, even holding the role", async () => {
    await h.say("admin", "/role add ops_lead @小王");
    const res = await h.click("wang", stepOneCard("li").messageId, approve);
    expect((res.json.toast as { content: string }).content).toBe("不能审核自己提交的内容");
    expect(decisions()).toBe(0);
    await h.say("wang", "/approve 1");
    expect(h.texts("wang").at(-1)).toBe("不能审核自己提交的内容");
    expect(decisions()).toBe(0);
  });

  it("a click on a finished step is refused with who decided", async () => {
    await h.click("li", stepOneCard("li").messageId, approve);
    const before = count("select count(*) n from outbox");
    const res = await h.click(
      "lin",
      stepOneCard("lin").messageId,
      { ...approve, v: "reject" },
      { formValue: { opinion: "不行" } },
    );
    expect((res.json.toast as { content: string }).content).toContain("已由 李姐");
    expect(decisions()).toBe(1);
    expect(count("select count(*) n from outbox")).toBe(before);
    // The clicked copy is refreshed in the answer: no buttons, who decided. A copy can be stale when the
    // answer to the deciding click was lost (the bot killed before answering), so this is its repair.
    const card = res.json.card as { type: string; data: unknown };
    expect(card.type).toBe("raw");
    expect(hasDecisionButtons(card.data)).toBe(false);
    expect(cardText(card.data)).toContain("李姐 已于");
  });

  it("the decider's own second click (its first answer lost) gets the decided card back", async () => {
    await h.click("li", stepOneCard("li").messageId, approve);
    const again = await h.click("li", stepOneCard("li").messageId, approve);
    expect((again.json.toast as { type: string }).type).toBe("error");
    expect(hasDecisionButtons((again.json.card as { data: unknown }).data)).toBe(false);
    expect(decisions()).toBe(1);
  });

  it("a click whose value names another item's step is refused for someone without that step's role", async () => {
    await h.say("li", "/submit 小红书 另一篇\n正文");
    // 李姐 is the author of #2: clicking its step from #1's card is refused as her own item.
    const res = await h.click("li", stepOneCard("li").messageId, {
      a: "review.decide",
      step: 5,
      v: "approve",
    });
    expect((res.json.toast as { type: string }).type).toBe("error");
    expect(decisions()).toBe(0);
  });

  it("a value naming a step that has not opened yet is refused as not yet its turn", async () => {
    // #1's second step (复审, step 2) is still waiting for 初审.
    const res = await h.click("zhang", stepOneCard("li").messageId, {
      a: "review.decide",
      step: 2,
      v: "approve",
    });
    expect((res.json.toast as { content: string }).content).toBe(
      "「复审」还没轮到（前面的审核步骤尚未通过）",
    );
    expect(res.json.card).toBeUndefined();
    expect(decisions()).toBe(0);
  });
});

describe("text fallbacks and withdraw", () => {
  it("/approve and /reject by text decide the current step and update the cards", async () => {
    await h.say("lin", "/approve #1 可以");
    expect(h.texts("lin").at(-1)).toBe("✅ 已通过 #1 的「初审」，意见：可以");
    expect(hasDecisionButtons(h.cards("li")[0]?.card)).toBe(false);
    await h.say("zhang", "/reject 1");
    expect(h.texts("zhang").at(-1)).toBe("驳回需要填写意见");
    await h.say("zhang", "/驳回 1 标题太长");
    expect(h.texts("wang").at(-1)).toContain("标题太长");
    expect(cardText(h.cards("zhang")[0]?.card)).toContain("驳回，意见：标题太长");
  });

  it("/withdraw by the author stops the chain and greys out the open cards", async () => {
    await h.say("wang", "/withdraw 1 活动取消");
    expect(h.texts("wang").at(-1)).toBe("已撤回 #1，原因：活动取消");
    for (const who of ["li", "lin"] as const) {
      expect(hasDecisionButtons(h.cards(who)[0]?.card)).toBe(false);
      expect(cardText(h.cards(who)[0]?.card)).toContain("审核已终止");
    }
    const res = await h.click("li", stepOneCard("li").messageId, approve);
    expect((res.json.toast as { type: string }).type).toBe("error");
    await h.say("chen", "/withdraw 1 我想撤");
    expect(h.texts("chen").at(-1)).toContain("只有作者或市场部门负责人可以撤回");
  });

  it("/review lists my pending steps and /status shows the history", async () => {
    await h.say("li", "/review");
    expect(h.texts("li").at(-1)).toContain("#1《周末活动》初审");
    await h.say("chen", "/待审");
    expect(h.texts("chen").at(-1)).toBe("你目前没有待处理的审核 👍");
    await h.say("wang", "/进度 #1");
    expect(h.texts("wang").at(-1)).toContain("⏳ 1. 初审（待审）");
  });

  it("/publish refuses before approval and for someone who is not 发布专员", async () => {
    await h.say("liu", "/publish 1 抖音");
    expect(h.texts("liu").at(-1)).toContain("不能登记发布");
    await h.say("wang", "/publish 1 抖音");
    expect(h.texts("wang").at(-1)).toBe("只有「发布专员」可以登记发布");
    expect(count("select count(*) n from publications")).toBe(0);
  });
});

describe("the /submit form card", () => {
  it("/submit with no arguments answers with a form; submitting it creates the item", async () => {
    await h.say("wang", "/submit");
    const form = h.cards("wang").at(-1);
    expect(JSON.stringify(form?.card)).toContain('"name":"submit_form"');
    const res = await h.click(
      "wang",
      form?.messageId ?? "",
      { a: "submit.form" },
      {
        formValue: {
          platforms: ["douyin", "weibo"],
          title: "表单提交",
          body: "国家级体验",
          flags: ["ad"],
          planned: "",
        },
      },
    );
    expect((res.json.toast as { content: string }).content).toBe("已提交 #2");
    expect(cardText((res.json.card as { data: unknown }).data)).toContain("合规预审发现");
    const row = h.app.db.$client
      .prepare("select title, platforms, is_ad from content_items where id = 2")
      .get();
    expect(row).toEqual({ title: "表单提交", platforms: '["douyin","weibo"]', is_ad: 1 });
    const bad = await h.click(
      "wang",
      form?.messageId ?? "",
      { a: "submit.form" },
      { formValue: { title: "缺正文" } },
    );
    expect((bad.json.toast as { content: string }).content).toBe("请填写平台、标题和正文");
    expect(count("select count(*) n from content_items")).toBe(2);
  });

  it("bad /submit lines get the usage and create nothing", async () => {
    await h.say("wang", "/submit 火星 标题\n正文");
    expect(h.texts("wang").at(-1)).toContain("不认识的平台「火星」");
    await h.say("wang", "/submit 抖音 只有标题");
    expect(h.texts("wang").at(-1)).toContain("请在第二行起写正文");
    await h.say("wang", "/submit 抖音 标题 @2026-13-40 25:00\n正文");
    expect(h.texts("wang").at(-1)).toContain("计划发布时间");
    expect(count("select count(*) n from content_items")).toBe(1);
  });
});
