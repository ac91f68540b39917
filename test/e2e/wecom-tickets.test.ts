/**
 * The ticket card on WeCom: 已处理 asks for the 处理说明 in the DM (cards have no inputs), 转交 uses the
 * card's dropdown (button_selection); the 周报 with its chart arrives as an image.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, startWecomHarness, type WecomHarness, wecomCardText } from "../fakes/wecom/harness.ts";

let h: WecomHarness;
beforeEach(async () => {
  h = await startWecomHarness();
  await h.wecomSay("admin", "/store add 城东店");
  await h.wecomSay("admin", "/role add cs @xiaomei(小美) @xiaoyu(小雨)");
});
afterEach(async () => {
  await h.close();
});
const last = (xs: string[]) => xs.at(-1) ?? "";

describe("tickets on WeCom", () => {
  it("a negative ticket reaches 客服 as a card; 已处理 asks for the note, and the answer closes it", async () => {
    await h.wecomSay("ajie", "/feedback 城东店 客人说密室太黑了，差评，要退款");
    expect(last(h.texts("ajie"))).toContain("已登记 T-1");
    const card = h.lastCard("xiaomei");
    expect(wecomCardText(card.card)).toContain("客人说密室太黑了");
    expect(buttonsOf(card.card)).toEqual(["已处理", "转交"]);
    await h.wecomClick("xiaomei", card.taskId as string, "已处理");
    expect(last(h.texts("xiaomei"))).toContain("请直接回复处理说明");
    await h.wecomSay("xiaomei", "已致电道歉并退款");
    for (const who of ["xiaomei", "xiaoyu"]) {
      expect(h.lastCard(who).card?.replace_text).toBe("已处理");
      expect(wecomCardText(h.lastCard(who).card)).toContain("已致电道歉并退款");
    }
  });

  it("转交 takes the person chosen in the card's dropdown", async () => {
    await h.wecomSay("ajie", "/feedback 城东店 差评：DM迟到半小时");
    const card = h.lastCard("xiaomei");
    const selection = card.card?.button_selection as
      | { option_list: { id: string; text: string }[] }
      | undefined;
    const options = selection?.option_list ?? [];
    const yu = options.find((o) => o.text === "小雨");
    expect(yu).toBeDefined();
    await h.wecomClick("xiaomei", card.taskId as string, "转交", { selected: { assignee: yu?.id ?? "" } });
    expect(last(h.texts("xiaomei"))).toContain("已转交给 小雨");
    expect(wecomCardText(h.lastCard("xiaoyu").card)).toContain("负责人：小雨");
  });

  it("/report week arrives with its chart as an image message", async () => {
    await h.wecomSay("admin", "/role add ops @xiaowang(小王)");
    // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
    await h.wecomSay("admin", "/exam record @xiaowang(小王) 100");
    await h.wecomSay("xiaowang", "/metric 抖音 曝光=1.2万 点赞=300");
    await h.wecomSay("xiaowang", "/report week");
    const got = h.wecom.state.to("xiaowang");
    const image = got.find((m) => m.msgtype === "image");
    expect(image).toBeDefined();
    const media = [...h.wecom.state.media.values()].find((m) => m.type === "image");
    expect(media?.bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(last(h.texts("xiaowang"))).toContain("周报");
  }, 30_000);
});
