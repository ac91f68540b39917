/**
 * WeCom groups heard and answered through the 智能机器人 (real SDK, fake robot server): groups bound with
 * /bind by their chatid, a store's feedback group whose every message becomes a ticket, the 疑似危机 card
 * in the WeCom crisis group, and a 三级 crisis paged into that group with @-mentions, acknowledged by 收到
 * pressed in the group itself.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BotHarness, buttonsOf, cardText, startBotHarness } from "../fakes/wecom-bot/harness.ts";

const CRISIS = "wrk_crisis";
const FEEDBACK = "wrk_fb_east";
const MIN = 60_000;
const last = (xs: string[]) => xs.at(-1) ?? "";

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness();
  h.bot.addGroup(CRISIS, ["admin", "linge", "xiaoliu", "zhangzong"]);
  h.bot.addGroup(FEEDBACK, ["admin", "xiaowang", "ajie"]);
  await h.say("admin", "/role add crisis @linge(林哥) @xiaoliu(小刘)");
  await h.say("admin", "/role add marketing_head @zhangzong(张总)");
  await h.say("admin", "/role add cs @xiaomei(小美)");
  await h.say("admin", "/role add ops @xiaowang(小王)");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind crisis", { chatid: CRISIS });
  expect(last(h.texts(CRISIS))).toBe("已将本群登记为「危机群」");
  await h.say("admin", "/bind feedback 城东店", { chatid: FEEDBACK });
  expect(last(h.texts(FEEDBACK))).toBe("已将本群登记为「门店反馈群」（城东店）");
});
afterEach(async () => {
  await h.close();
});

describe("a store's feedback group on WeCom", () => {
  it("turns a plain message into T-n and names it in the reply; a severe one raises 疑似危机 in the crisis group", async () => {
    await h.say("ajie", "DM全程看手机，态度很差，要求退款", { chatid: FEEDBACK });
    expect(last(h.texts(FEEDBACK))).toMatch(/^已登记 T-1｜城东店｜差评｜/);
    // 客服 gets the ticket card from the robot, with buttons.
    expect(buttonsOf(h.lastCard("xiaomei").card)).toContain("已处理");

    const severe = await h.say("xiaowang", "有顾客在密室里摔倒受伤了，家属说要找媒体", { chatid: FEEDBACK });
    expect(last(h.texts(FEEDBACK))).toMatch(/^已登记 T-2｜城东店｜/);
    const suggestion = h.cards(CRISIS).find((c) => cardText(c.card).includes("疑似危机"));
    expect(suggestion).toBeDefined();
    expect(cardText(suggestion?.card)).toContain("摔倒受伤");
    // The same frame pushed again (WeCom may) is not a second ticket: its msgid was seen. Frames on one
    // connection are taken in order, so once the next message is taken the repeat was too.
    const before = h.texts(FEEDBACK).length;
    h.bot.redeliver(severe as string);
    await h.say("ajie", "另外洗手间没有纸了", { chatid: FEEDBACK });
    expect(h.texts(FEEDBACK).slice(before)).toEqual([expect.stringMatching(/^已登记 T-3｜城东店｜/)]);
    const n = h.app.db.$client.prepare("select count(*) n from tickets").get() as { n: number };
    expect(n.n).toBe(3);
  });

  it("已处理 asks 客服 in the card's chat; the answer closes the ticket there, a group line stays a ticket", async () => {
    await h.say("admin", "/store add 城西店");
    h.bot.addGroup("wrk_fb_west", ["xiaomei", "admin"]);
    await h.say("admin", "/bind feedback 城西店", { chatid: "wrk_fb_west" });
    await h.say("ajie", "DM全程看手机，态度很差，要求退款", { chatid: FEEDBACK });
    const card = h.lastCard("xiaomei");
    await h.click("xiaomei", card.taskId as string, "已处理");
    expect(last(h.texts("xiaomei"))).toContain("请直接回复处理说明");
    // 小美 also works in a store group: her line there is that store's feedback, not the answer.
    await h.say("xiaomei", "今天客人很多，注意排队秩序", { chatid: "wrk_fb_west" });
    expect(last(h.texts("wrk_fb_west"))).toMatch(/^已登记 T-2｜城西店｜/);
    await h.say("xiaomei", "已致电道歉并退款");
    expect(last(h.texts("xiaomei"))).toContain("已处理 T-1");
  });
});

describe("/bind in a robot group and the group robots bound before", () => {
  it("says a webhook robot of the same purpose is still bound; 替换 unbinds it", async () => {
    await h.say("admin", "/bind ops 0123456789abcdef-KEY1");
    expect(last(h.texts("admin"))).toContain("群机器人（key 末四位 KEY1）");
    const OPS = "wrk_ops";
    h.bot.addGroup(OPS, ["admin"]);
    await h.say("admin", "/bind ops", { chatid: OPS });
    expect(last(h.texts(OPS))).toBe(
      "已将本群登记为「运营群」。该用途还登记了群机器人（key 末四位 KEY1），通知会两边都发；只用本群请在本群发送 /bind ops 替换",
    );
    await h.say("admin", "/bind ops 替换", { chatid: OPS });
    expect(last(h.texts(OPS))).toBe("已将本群登记为「运营群」，并停用了该用途的群机器人（key 末四位 KEY1）");
    const bound = h.app.db.$client
      .prepare("select chat_id from group_bindings where purpose = 'ops' order by chat_id")
      .all() as { chat_id: string }[];
    expect(bound.map((b) => b.chat_id)).toEqual(["aibot:wrk_ops"]);
  });
});

describe("a 三级 crisis paged into a WeCom group", () => {
  it("pages with @-mentions and 收到 in the group; a 收到 there stops the repeats; the card shows the lead", async () => {
    const t0 = h.clock.now();
    await h.say("xiaowang", "/crisis 3 城东店被本地媒体曝光，微博转发过千");
    const pages = () => h.cards(CRISIS).filter((c) => cardText(c.card).includes("三级危机 C-1"));
    expect(pages()).toHaveLength(1);
    expect(buttonsOf(pages()[0]?.card)).toContain("收到");
    // The card cannot @ anyone: the robot follows it with a line that mentions every crisis member.
    const mention = h.texts(CRISIS).find((t) => t.includes("<@linge>"));
    expect(mention).toContain("<@xiaoliu>");

    // The repeat: the group keeps one card (the one a click can update for everyone); the repeat is its
    // current text pointing at it, with the @-mentions again.
    h.clock.set(t0 + 5 * MIN);
    await h.settle();
    expect(pages()).toHaveLength(1);
    const repeats = () =>
      h.texts(CRISIS).filter((t) => t.includes("三级危机 C-1") && t.includes("上方那张卡片"));
    expect(repeats()).toHaveLength(1);
    expect(h.texts(CRISIS).filter((t) => t.includes("<@linge>"))).toHaveLength(2);

    // 小刘 presses 收到 on the card, in the group.
    const card = pages()[0];
    const buttons = (card?.card?.button_list ?? []) as { text: string; key: string }[];
    const ackKey = buttons.find((b) => b.text === "收到")?.key;
    const reqId = await h.click("xiaoliu", card?.taskId as string, "收到");
    expect(h.bot.state.updateCalls.find((u) => u.reqId === reqId)?.errcode).toBe(0);
    // Every copy in the group — there is one — now shows the lead, for everyone, and no 收到.
    const now = h.bot.state.card(card?.taskId as string);
    expect(now?.updates.at(-1)?.userids).toEqual([]);
    expect(cardText(now?.card)).toContain("负责人：小刘");
    expect(buttonsOf(now?.card)).not.toContain("收到");
    expect(h.texts(CRISIS).some((t) => t.includes("C-1") && t.includes("已由 小刘 确认"))).toBe(true);
    // What Feishu shows as a toast is said in the group, to the member who pressed.
    expect(h.texts(CRISIS).some((t) => t.startsWith("<@xiaoliu> 已确认 C-1，你是负责人"))).toBe(true);

    // No more pages or repeats.
    for (const minute of [10, 15, 30]) {
      h.clock.set(t0 + minute * MIN);
      await h.settle();
    }
    expect(pages()).toHaveLength(1);
    expect(repeats()).toHaveLength(1);

    // A second 收到 (林哥 pressed it a moment later, on the card as it was) is told who leads; no second lead.
    await h.click("linge", card?.taskId as string, ackKey as string);
    expect(h.texts(CRISIS).at(-1)).toMatch(/^<@linge> .*小刘/);
    expect(cardText(h.bot.state.card(card?.taskId as string)?.card)).toContain("负责人：小刘");
    const acks = h.app.db.$client
      .prepare("select count(*) n from crisis_events where type = 'ack'")
      .get() as {
      n: number;
    };
    expect(acks.n).toBe(1);
  });
});
