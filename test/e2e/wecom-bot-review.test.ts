/**
 * The review chain driven from a WeCom group through the 智能机器人 (real SDK, fake robot server):
 * /submit with @robot in the group, the 初审 card to the ops lead in the robot's single chat, a click
 * answered by updating that card for everyone within the click's 5 s, 复审, a rejection with an opinion
 * and the resubmission. Then the same chain with 初审 on Feishu and 复审 through the robot.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type BotHarness, buttonsOf, cardText, startBotHarness } from "../fakes/wecom-bot/harness.ts";

let h: BotHarness;
afterEach(async () => {
  await h.close();
});

const last = (xs: string[]) => xs.at(-1) ?? "";
const STORE_GROUP = "wrk_store_east";

async function roles() {
  await h.say("admin", "/role add ops_lead @lijie(李姐) @linge(林哥)");
  await h.say("admin", "/role add marketing_head @zhangzong(张总)");
  await h.say("admin", "/role add ops @xiaowang(小王)");
  expect(last(h.texts("admin"))).toContain("已将 小王 添加为「运营专员」");
  await h.say("admin", "/exam record @xiaowang(小王) 100"); // passed 上岗考核 in person
}

describe("the review chain from a WeCom group, through the 智能机器人", () => {
  it("submit with @robot, 初审 card, click updates it for all, 复审 rejects with an opinion, resubmit", async () => {
    h = await startBotHarness();
    h.bot.addGroup(STORE_GROUP, ["xiaowang", "lijie", "admin"]);
    await roles();

    // Without @robot WeCom never forwards the message: nothing happens.
    expect(
      await h.say("xiaowang", "/submit 抖音 没艾特机器人\n正文", { chatid: STORE_GROUP, mention: false }),
    ).toBe(undefined);
    await h.say("xiaowang", "/submit 抖音 周末新本首发\n本周末最好玩的新本上线，欢迎预约！", {
      chatid: STORE_GROUP,
    });
    expect(last(h.texts(STORE_GROUP))).toContain("已提交 #1《周末新本首发》");

    // Both 初审 holders get the card in their single chat with the robot; the author does not.
    const li = h.lastCard("lijie");
    const lin = h.lastCard("linge");
    expect(h.cards("xiaowang")).toHaveLength(0);
    expect(cardText(li.card)).toContain("初审 · #1 周末新本首发");
    expect(buttonsOf(li.card)).toEqual(["通过", "驳回"]);

    const reqId = await h.click("lijie", li.taskId as string, "通过");
    // One update, answering this click (its req_id), for every viewer (no userids), accepted in time.
    const upd = h.bot.state.updateCalls.filter((u) => u.reqId === reqId);
    expect(upd).toEqual([expect.objectContaining({ taskId: li.taskId, errcode: 0 })]);
    expect(h.bot.state.card(li.taskId as string)?.updates.at(-1)?.userids).toEqual([]);
    expect(buttonsOf(h.bot.state.card(li.taskId as string)?.card)).toEqual([]);
    expect(cardText(h.bot.state.card(li.taskId as string)?.card)).toContain("李姐 已于");
    expect(last(h.texts("lijie"))).toContain("已通过「初审」");
    expect(last(h.texts("xiaowang"))).toContain("初审已由 李姐 通过");

    // 林哥's copy cannot be edited without a click of his; his click is refused and refreshes it.
    expect(buttonsOf(lin.card)).toEqual(["通过", "驳回"]);
    await h.click("linge", lin.taskId as string, "通过");
    expect(last(h.texts("linge"))).toContain("李姐");
    expect(buttonsOf(h.bot.state.card(lin.taskId as string)?.card)).toEqual([]);

    // 复审: 张总 rejects; the robot asks for the opinion in his chat and takes his next line.
    const zhang = h.lastCard("zhangzong");
    expect(cardText(zhang.card)).toContain("复审");
    await h.click("zhangzong", zhang.taskId as string, "驳回");
    expect(last(h.texts("zhangzong"))).toContain("请直接回复驳回意见");
    await h.say("zhangzong", "标题太夸张，请改");
    const told = last(h.texts("xiaowang"));
    expect(told).toContain("被 张总 驳回");
    expect(told).toContain("标题太夸张，请改");

    // Resubmitted from the group: revision 2 starts again at 初审, a new card (new task_id).
    await h.say("xiaowang", "/resubmit 1\n本周末新本上线，欢迎预约。", { chatid: STORE_GROUP });
    const again = h.lastCard("lijie");
    expect(again.taskId).not.toBe(li.taskId);
    expect(cardText(again.card)).toContain("第 2 版");
    // Nothing was dead-lettered on the way.
    const dead = h.app.db.$client.prepare("select count(*) n from outbox where status = 'dead'").get() as {
      n: number;
    };
    expect(dead.n).toBe(0);
  });

  it("a mixed chain: 初审 on Feishu, 复审 through the robot, one person on both", async () => {
    h = await startBotHarness({ feishu: true });
    await h.feishuSay("admin", "/role add ops_lead @李姐");
    await h.feishuSay("admin", "/role add ops @小王");
    await h.feishuSay("admin", "/exam record @小王 100");
    await h.say("admin", "/role add marketing_head @zhangzong(张总)");
    await h.feishuSay("wang", "/submit 抖音 新店开业\n城东店开业啦");
    const card = h.feishuCards("li").at(-1);
    expect(card).toBeDefined();
    await h.feishuClick("li", card?.messageId as string, {
      a: "review.decide",
      step: 1,
      v: "approve",
      item: 1,
    });
    const zhang = h.lastCard("zhangzong");
    expect(cardText(zhang.card)).toContain("复审 · #1 新店开业");
    await h.click("zhangzong", zhang.taskId as string, "通过");
    expect(buttonsOf(h.bot.state.card(zhang.taskId as string)?.card)).toEqual([]);
    expect(last(h.feishuTexts("wang"))).toContain("复审已由 张总 通过");
  });

  it("beside the self-built app: one person on both; DMs by the app, the group by the robot", async () => {
    h = await startBotHarness({ app: true });
    h.bot.addGroup(STORE_GROUP, ["xiaowang", "admin"]);
    // Roles given in the app's chat hold in the robot's group: the same wecom:<userid>.
    await h.appSay("admin", "/role add ops_lead @lijie(李姐)");
    await h.appSay("admin", "/role add ops @xiaowang(小王)");
    await h.appSay("admin", "/exam record @xiaowang(小王) 100");
    await h.say("xiaowang", "/submit 抖音 新店开业\n城东店开业啦", { chatid: STORE_GROUP });
    expect(last(h.texts(STORE_GROUP))).toContain("已提交 #1《新店开业》");
    // The 初审 card is a DM: the app sends it (its copies can all be updated); the robot sends none.
    expect(h.cards("lijie")).toHaveLength(0);
    const card = h.wecom?.state.messages
      .filter((m) => m.touser === "lijie" && m.msgtype === "template_card")
      .at(-1);
    expect(card).toBeDefined();
    await h.appClick("lijie", card?.taskId as string, "通过");
    const now = h.wecom?.state.messages.find((m) => m.taskId === card?.taskId);
    expect(now?.card?.replace_text).toBe("已通过");
    // The author hears it where the app reaches them: their DM.
    const toAuthor = h.wecom?.state.to("xiaowang").map((m) => m.content) ?? [];
    expect(toAuthor.some((t) => t.includes("初审已由 李姐 通过"))).toBe(true);
  });
});
