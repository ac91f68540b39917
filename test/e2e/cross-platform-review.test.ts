/**
 * One person, two platforms: roles attach to the person, and a review whose reviewers sit on different
 * platforms works — 初审 on Feishu, 复审 on WeCom; each reviewer gets the card on their own platform(s),
 * and a decision on one copy updates the copies on both.
 */
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buttonsOf, startWecomHarness, type WecomHarness, wecomCardText } from "../fakes/wecom/harness.ts";
import { cardText, hasDecisionButtons } from "../support/harness.ts";

let h: WecomHarness;
beforeEach(async () => {
  h = await startWecomHarness({ feishu: true });
  await h.feishuSay("admin", "/role add ops_lead @李姐");
  await h.feishuSay("admin", "/role add marketing_head @张总");
  await h.feishuSay("admin", "/role add ops @小王");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await h.feishuSay("admin", "/exam record @小王 100");
});
afterEach(async () => {
  await h.close();
});

const last = (xs: string[]) => xs.at(-1) ?? "";
const stepOf = (card: unknown) => Number(/"step":(\d+)/.exec(JSON.stringify(card))?.[1]);

describe("a mixed chain: 初审 on Feishu, 复审 on WeCom", () => {
  it("links 张总's WeCom account; his Feishu role works there; his WeCom click updates the Feishu copy", async () => {
    await h.feishuSay("admin", "/link @张总 wecom:zhangzong");
    expect(last(h.feishuTexts("admin"))).toBe(
      "已关联：张总 = 飞书 ou_zhang、企业微信 zhangzong（角色：市场部门负责人）",
    );
    // A second marketing_head who is only on WeCom, granted from WeCom by a WeCom admin.
    await h.wecomSay("admin", "/role add marketing_head @wangzong(王总)");

    await h.feishuSay("wang", "/submit 抖音 新店开业\n城东店开业啦");
    const first = h.feishuCards("li").at(-1);
    await h.feishuClick(
      "li",
      first?.messageId ?? "",
      { a: "review.decide", step: stepOf(first?.card), v: "approve" },
      {
        opinion: "可以",
      },
    );
    expect(last(h.feishuTexts("wang"))).toContain("初审已由 李姐 通过");

    // 复审: 张总 on both of his platforms, 王总 on WeCom.
    const zhangFeishu = h.feishuCards("zhang").at(-1);
    expect(hasDecisionButtons(zhangFeishu?.card)).toBe(true);
    const zhangWecom = h.lastCard("zhangzong");
    const wangWecom = h.lastCard("wangzong");
    expect(wecomCardText(zhangWecom.card)).toContain("复审 · #1 新店开业");
    expect(wecomCardText(wangWecom.card)).toContain("✅ 1. 初审 · 李姐");

    // The role granted on Feishu holds on WeCom: /review there lists the item.
    await h.wecomSay("zhangzong", "/review");
    expect(last(h.texts("zhangzong"))).toContain("#1《新店开业》复审");

    await h.wecomClick("zhangzong", zhangWecom.taskId as string, "通过");
    // Every copy, on both platforms, shows the decision and no buttons.
    const feishuCopy = h.feishu?.state.byId.get(zhangFeishu?.messageId ?? "");
    expect(hasDecisionButtons(feishuCopy?.card)).toBe(false);
    expect(cardText(feishuCopy?.card)).toContain("张总 已于");
    for (const who of ["zhangzong", "wangzong"]) {
      expect(h.lastCard(who).card?.replace_text).toBe("已通过");
      expect(wecomCardText(h.lastCard(who).card)).toContain("张总 已于");
    }
    expect(last(h.feishuTexts("wang"))).toContain("复审已由 张总 通过");

    // 王总's grey copy refuses a late press, by message.
    await h.wecomClick(
      "wangzong",
      wangWecom.taskId as string,
      JSON.stringify({ a: "review.decide", step: 2, v: "approve" }),
    );
    expect(last(h.texts("wangzong"))).toContain("已由 张总");

    await h.feishuSay("zhang", "/ledger");
    const csv = [...(h.feishu?.state.files.values() ?? [])].at(-1)?.bytes.toString("utf8") ?? "";
    const row = (parse(csv.slice(1), { columns: true }) as Record<string, string>[])[0];
    expect(row).toMatchObject({ 一审人: "李姐", 一审意见: "可以", 二审人: "张总" });
  });

  it("a decision on Feishu greys the WeCom copies", async () => {
    await h.wecomSay("admin", "/role add marketing_head @wangzong(王总)");
    await h.feishuSay("wang", "/submit 抖音 新店开业\n城东店开业啦");
    const first = h.feishuCards("li").at(-1);
    await h.feishuClick("li", first?.messageId ?? "", {
      a: "review.decide",
      step: stepOf(first?.card),
      v: "approve",
    });
    const z = h.feishuCards("zhang").at(-1);
    await h.feishuClick(
      "zhang",
      z?.messageId ?? "",
      { a: "review.decide", step: stepOf(z?.card), v: "reject" },
      {
        opinion: "标题再想想",
      },
    );
    const wang = h.lastCard("wangzong").card;
    expect(buttonsOf(wang)).toEqual([]);
    expect(wang?.replace_text).toBe("已驳回");
    expect(wecomCardText(wang)).toContain("标题再想想");
  });

  it("/link is for admins only and refuses what is not an account", async () => {
    await h.feishuSay("zhang", "/link @张总 wecom:zhangzong");
    expect(last(h.feishuTexts("zhang"))).toContain("只有管理员可以关联账号");
    await h.feishuSay("admin", "/link @张总 zhangzong");
    expect(last(h.feishuTexts("admin"))).toContain("不是账号");
    await h.feishuSay("admin", "/link @张总 wecom:zhangzong");
    await h.feishuSay("admin", "/link wecom:zhangzong @张总");
    expect(last(h.feishuTexts("admin"))).toContain("已是同一人，未变更");
  });
});
