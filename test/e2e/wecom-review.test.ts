/**
 * The content review chain driven entirely from 企业微信, over real HTTP against the fake WeCom:
 * /submit by DM, template cards to every reviewer, clicks as encrypted template_card_event callbacks,
 * update_template_card once per click with that click's response_code, the author's DMs, and a ledger
 * with the same columns and values as the Feishu run.
 */
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, startWecomHarness, type WecomHarness, wecomCardText } from "../fakes/wecom/harness.ts";

let h: WecomHarness;
beforeEach(async () => {
  h = await startWecomHarness();
  await h.wecomSay("admin", "/role add ops_lead @lijie(李姐) @linge(林哥)");
  await h.wecomSay("admin", "/role add marketing_head @zhangzong(张总)");
  await h.wecomSay("admin", "/role add legal @chenls(陈律师)");
  await h.wecomSay("admin", "/role add publisher @xiaoliu(小刘)");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await h.wecomSay("admin", "/exam record @xiaowang(小王) 100");
  await h.wecomSay("admin", "/role add ops @xiaowang(小王)");
});
afterEach(async () => {
  await h.close();
});

const AD_POST =
  "/submit 抖音,小红书 周末新本首发 #广告 @2026-11-20 20:00\n本周末最好玩的新本上线，广告：欢迎预约！";
const LEDGER_COLUMNS =
  "编号,内容标题,平台,创作人,提交时间,修改次数,一审人,一审意见,一审时间,二审人,二审意见,二审时间,三审人,三审意见,三审时间,最终结果,审核完成时间,发布平台,发布时间,发布链接";

const last = (xs: string[]) => xs.at(-1) ?? "";

describe("the review chain on WeCom", () => {
  it("roles by @userid(名字), /submit, cards to both 初审 holders, a click updates both copies once each", async () => {
    expect(last(h.texts("admin"))).toBe("已将 小王 添加为「运营专员」");
    await h.wecomSay("xiaowang", AD_POST);
    const reply = last(h.texts("xiaowang"));
    expect(reply).toContain("已提交 #1《周末新本首发》");
    expect(reply).toContain("初审");
    expect(reply).toContain("较好");

    const li = h.lastCard("lijie");
    const lin = h.lastCard("linge");
    expect(h.cards("xiaowang")).toHaveLength(0); // the author never reviews
    const shown = wecomCardText(li.card);
    expect(shown).toContain("初审 · #1 周末新本首发");
    expect(shown).toContain("本周末最好玩的新本上线");
    expect(shown).toContain("抖音、小红书");
    expect(shown).toContain("较好");
    expect(buttonsOf(li.card)).toEqual(["通过", "驳回"]);
    expect(li.taskId).not.toBe(lin.taskId);

    const before = h.wecom.state.updateCalls.length;
    await h.wecomClick("lijie", li.taskId as string, "通过");
    const calls = h.wecom.state.updateCalls.slice(before);
    // One update per copy: 李姐's with the code of her click, 林哥's with the code his send returned.
    expect(calls).toHaveLength(2);
    const mine = calls.find((c) => c.taskId === li.taskId);
    const his = calls.find((c) => c.taskId === lin.taskId);
    expect(h.wecom.state.codes.get(mine?.code ?? "")).toMatchObject({ source: "click", userId: "lijie" });
    expect(h.wecom.state.codes.get(his?.code ?? "")).toMatchObject({ source: "send", userId: "linge" });
    expect(calls.every((c) => c.ok)).toBe(true);
    for (const who of ["lijie", "linge"]) {
      const card = h.lastCard(who).card;
      expect(buttonsOf(card)).toEqual([]);
      expect(card?.replace_text).toBe("已通过");
      expect(wecomCardText(card)).toContain("李姐 已于");
    }
    expect(last(h.texts("lijie"))).toContain("已通过「初审」");
    expect(last(h.texts("xiaowang"))).toContain("初审已由 李姐 通过");

    // 林哥 presses his (now grey) copy anyway, e.g. from an old client: one decision only.
    await h.wecomClick(
      "linge",
      lin.taskId as string,
      JSON.stringify({ a: "review.decide", step: 1, v: "approve" }),
    );
    expect(last(h.texts("linge"))).toContain("已由 李姐");
    expect(h.cards("zhangzong")).toHaveLength(1);
  });

  it("runs 初审 → 复审 → 合规审核 → 发布确认 and exports the same ledger as the Feishu run", async () => {
    await h.wecomSay("xiaowang", AD_POST);
    await h.wecomClick("lijie", h.lastCard("lijie").taskId as string, "通过");
    await h.wecomClick("zhangzong", h.lastCard("zhangzong").taskId as string, "通过");
    const legal = h.lastCard("chenls");
    expect(wecomCardText(legal.card)).toContain("合规审核");
    // An opinion with an approval goes by text: /approve <编号> <意见>.
    await h.wecomSay("chenls", "/approve #1 已改为较好");
    expect(last(h.texts("chenls"))).toContain("✅ 已通过 #1 的「合规审核」，意见：已改为较好");
    expect(buttonsOf(h.lastCard("chenls").card)).toEqual([]);
    await h.wecomClick("xiaoliu", h.lastCard("xiaoliu").taskId as string, "通过");
    expect(last(h.texts("xiaowang"))).toContain("已全部审核通过");

    await h.wecomSay("xiaoliu", "/publish 1 抖音 https://v.douyin.com/abc");
    await h.wecomSay("xiaoliu", "/publish #1 小红书");
    expect(last(h.texts("xiaoliu"))).toContain("全部平台已发布");

    await h.wecomSay("zhangzong", "/ledger 2026-11");
    const file = h.wecom.state.to("zhangzong").find((m) => m.msgtype === "file");
    expect(file?.content).toBe("审核台账-2026-11.csv");
    const media = [...h.wecom.state.media.values()].find((m) => m.fileName === "审核台账-2026-11.csv");
    const csv = media?.bytes.toString("utf8") ?? "";
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.slice(1).split(/\r?\n/)[0]).toBe(LEDGER_COLUMNS);
    const row = (parse(csv.slice(1), { columns: true }) as Record<string, string>[])[0] as Record<
      string,
      string
    >;
    expect(row).toMatchObject({
      编号: "#1",
      内容标题: "周末新本首发",
      创作人: "小王",
      修改次数: "0",
      一审人: "李姐",
      二审人: "张总",
      三审人: "陈律师",
      三审意见: "已改为较好",
      最终结果: "已发布",
      发布平台: "抖音；小红书",
    });
    expect(row.发布链接).toContain("https://v.douyin.com/abc");
    expect(last(h.texts("zhangzong"))).toContain("已生成 2026-11 审核台账，共 1 条");
  });

  it("驳回 asks for the opinion in the DM; the answer rejects, the author is told and resubmits", async () => {
    await h.wecomSay("xiaowang", "/submit 抖音 新店开业\n城东店开业啦");
    const card = h.lastCard("lijie");
    await h.wecomClick("lijie", card.taskId as string, "驳回");
    expect(last(h.texts("lijie"))).toContain("请直接回复驳回意见");
    expect(buttonsOf(h.lastCard("lijie").card)).toEqual(["通过", "驳回"]); // nothing decided yet
    expect(h.wecom.state.updateCalls).toHaveLength(0);

    await h.wecomSay("lijie", "请补充门店地址");
    expect(h.lastCard("lijie").card?.replace_text).toBe("已驳回");
    expect(h.lastCard("linge").card?.replace_text).toBe("已驳回");
    const told = last(h.texts("xiaowang"));
    expect(told).toContain("被 李姐 驳回");
    expect(told).toContain("请补充门店地址");
    // The click's code was kept for the update the answer caused.
    const mine = h.wecom.state.updateCalls.find((c) => c.taskId === card.taskId);
    expect(h.wecom.state.codes.get(mine?.code ?? "")?.source).toBe("click");

    // A later chat line is just a message again.
    await h.wecomSay("lijie", "好的");
    expect(last(h.texts("lijie"))).toContain("/help");

    await h.wecomSay("xiaowang", "/resubmit 1\n城东店开业啦，地址：城东路 88 号");
    const again = h.lastCard("lijie");
    expect(again.taskId).not.toBe(card.taskId);
    expect(wecomCardText(again.card)).toContain("第 2 版");
    await h.wecomSay("lijie", "/reject 1 图片不清晰");
    expect(last(h.texts("xiaowang"))).toContain("图片不清晰");
  });

  it("a command instead of the opinion cancels the question", async () => {
    await h.wecomSay("xiaowang", "/submit 抖音 新店开业\n城东店开业啦");
    await h.wecomClick("lijie", h.lastCard("lijie").taskId as string, "驳回");
    await h.wecomSay("lijie", "/review");
    expect(last(h.texts("lijie"))).toContain("你有 1 项待审");
    await h.wecomSay("lijie", "不行");
    expect(buttonsOf(h.lastCard("lijie").card)).toEqual(["通过", "驳回"]);
  });

  it("someone without the role is refused by message, and nothing changes", async () => {
    await h.wecomSay("xiaowang", "/submit 抖音 新店开业\n城东店开业啦");
    const copy = h.lastCard("lijie");
    // 小王 cannot click 李姐's copy in WeCom, but a forged key in his own name is refused the same way.
    h.wecom.state.messages.push({ ...copy, touser: "xiaowang", updates: [] });
    await h.wecomClick("xiaowang", copy.taskId as string, "通过");
    expect(last(h.texts("xiaowang"))).toContain("不能审核自己提交的内容");
    expect(buttonsOf(h.lastCard("lijie").card)).toEqual(["通过", "驳回"]);
  });
});
