import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardText, type Harness, hasDecisionButtons, type PEOPLE, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
beforeEach(async () => {
  h = await startInProcess();
  await seedRoles(h);
});
afterEach(async () => {
  await h.close();
});

const AD_POST =
  "/submit 抖音,小红书 周末新本首发 #广告 @2026-11-20 20:00\n本周末最好玩的新本上线，广告：欢迎预约！";

/** The approve/reject button values of the newest review card in someone's DMs. */
function latestCard(who: keyof typeof PEOPLE) {
  const cards = h.cards(who);
  const msg = cards[cards.length - 1];
  if (!msg) throw new Error(`${who} has no card`);
  const json = JSON.stringify(msg.card);
  const step = Number(/"step":(\d+)/.exec(json)?.[1]);
  return { msg, step, text: cardText(msg.card) };
}

describe("content review chain over real HTTP against the fake Feishu", () => {
  it("runs 初审 → 复审 → 合规审核 → 发布确认 for an ad with 最好, and the ledger shows all three reviewers", async () => {
    await h.say("wang", AD_POST);
    const reply = h.texts("wang").at(-1) ?? "";
    expect(reply).toContain("已提交 #1《周末新本首发》");
    expect(reply).toContain("初审");
    expect(reply).toContain("较好"); // the compliance finding with its suggestion

    // 初审: both ops_lead holders get the card; the author does not.
    const first = latestCard("li");
    expect(h.cards("lin")).toHaveLength(1);
    expect(first.text).toContain("周末新本首发");
    expect(first.text).toContain("抖音、小红书");
    expect(first.text).toContain("较好");
    expect(hasDecisionButtons(first.msg.card)).toBe(true);

    const r1 = await h.click(
      "li",
      first.msg.messageId,
      { a: "review.decide", step: first.step, v: "approve" },
      { formValue: { opinion: "文案可以" } },
    );
    expect(r1.status).toBe(200);
    expect((r1.json.toast as { type: string }).type).toBe("success");
    const answered = (r1.json.card as { data: unknown }).data;
    expect(hasDecisionButtons(answered)).toBe(false);
    expect(cardText(answered)).toContain("李姐 已于");
    // The other holder's copy was updated through the API (或签: first decision wins).
    const linCopy = h.cards("lin")[0];
    expect(hasDecisionButtons(linCopy?.card)).toBe(false);
    expect(cardText(linCopy?.card)).toContain("李姐");
    expect(h.texts("wang").at(-1)).toContain("初审已由 李姐 通过");

    const second = latestCard("zhang");
    await h.click(
      "zhang",
      second.msg.messageId,
      { a: "review.decide", step: second.step, v: "approve" },
      { formValue: { opinion: "同意" } },
    );
    const legal = latestCard("chen");
    expect(legal.text).toContain("合规审核");
    await h.click(
      "chen",
      legal.msg.messageId,
      { a: "review.decide", step: legal.step, v: "approve" },
      { formValue: { opinion: "已改为较好" } },
    );
    const publish = latestCard("liu");
    expect(publish.text).toContain("发布确认");
    await h.click("liu", publish.msg.messageId, { a: "review.decide", step: publish.step, v: "approve" });
    expect(h.texts("wang").at(-1)).toContain("已全部审核通过");

    await h.say("liu", "/publish 1 抖音 https://v.douyin.com/abc");
    await h.say("liu", "/publish #1 小红书");
    expect(h.texts("liu").at(-1)).toContain("全部平台已发布");

    await h.say("zhang", "/ledger 2026-11");
    const file = [...h.fake.state.files.values()].at(-1);
    expect(file?.fileName).toBe("审核台账-2026-11.csv");
    const csv = file?.bytes.toString("utf8") ?? "";
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const rows = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, string>;
    expect(row.编号).toBe("#1");
    expect(row.一审人).toBe("李姐");
    expect(row.一审意见).toBe("文案可以");
    expect(row.二审人).toBe("张总");
    expect(row.二审意见).toBe("同意");
    expect(row.三审人).toBe("陈律师");
    expect(row.三审意见).toBe("已改为较好");
    expect(row.修改次数).toBe("0");
    expect(row.最终结果).toBe("已发布");
    expect(row.发布平台).toBe("抖音；小红书");
    expect(row.发布链接).toContain("https://v.douyin.com/abc");
    // And the file reached the chat as a file message.
    expect(h.inbox("zhang").some((m) => m.msgType === "file")).toBe(true);
  });

  it("驳回 needs an opinion; the author is told, resubmits, and revision 2 restarts at 初审", async () => {
    await h.say("wang", "/submit 抖音 新店开业\n城东店开业啦");
    const first = latestCard("li");
    const noOpinion = await h.click(
      "li",
      first.msg.messageId,
      { a: "review.decide", step: first.step, v: "reject" },
      { formValue: { opinion: "  " } },
    );
    expect((noOpinion.json.toast as { type: string; content: string }).content).toContain("驳回需要填写意见");
    expect(hasDecisionButtons(h.cards("li")[0]?.card)).toBe(true);

    await h.click(
      "li",
      first.msg.messageId,
      { a: "review.decide", step: first.step, v: "reject" },
      { formValue: { opinion: "请补充门店地址" } },
    );
    const told = h.texts("wang").at(-1) ?? "";
    expect(told).toContain("被 李姐 驳回");
    expect(told).toContain("请补充门店地址");
    // 复审 never started.
    expect(h.cards("zhang")).toHaveLength(0);

    await h.say("wang", "/resubmit #1\n城东店开业啦，地址：城东路 88 号");
    expect(h.texts("wang").at(-1)).toContain("第 2 版");
    const again = latestCard("li");
    expect(again.step).not.toBe(first.step);
    expect(again.text).toContain("第 2 版");
    expect(again.text).toContain("城东路 88 号");
    // The old revision's card cannot be used any more.
    const stale = await h.click("lin", first.msg.messageId, {
      a: "review.decide",
      step: first.step,
      v: "approve",
    });
    expect((stale.json.toast as { type: string }).type).toBe("error");

    await h.say("zhang", "/ledger");
    const csv = [...h.fake.state.files.values()].at(-1)?.bytes.toString("utf8") ?? "";
    const row = (parse(csv.slice(1), { columns: true }) as Record<string, string>[])[0];
    expect(row?.修改次数).toBe("1");
    expect(row?.最终结果).toBe("审核中");

    await h.say("wang", "/status 1");
    const status = h.texts("wang").at(-1) ?? "";
    expect(status).toContain("— 第 2 版 —");
    expect(status).toContain("请补充门店地址");
  });
});
