import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cardText, type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// Issue 15 item 11: quick steps read 不到1分钟 in reports; the 第 2 版 card says why 第 1 版 came back.
let h: Harness;
beforeEach(async () => {
  h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
  await seedRoles(h);
});
afterEach(async () => {
  await h.close();
});

const stepCard = (who: "li" | "zhang") => {
  const msg = h.cards(who).at(-1);
  if (!msg) throw new Error(`no card for ${who}`);
  const step = JSON.stringify(msg.card).match(/"step":(\d+)/)?.[1];
  return { msg, step: Number(step), text: cardText(msg.card) };
};

describe("review rounds", () => {
  it("a step decided within seconds reads 不到1分钟 in the weekly report, never 0秒", async () => {
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    await h.say("li", "/approve 1");
    await h.say("zhang", "/report week");
    const report = h
      .cards("zhang")
      .map((m) => cardText(m.card))
      .find((t) => t.includes("各环节用时"));
    expect(report).toMatch(/各环节用时（中位数）：初审 不到1分钟/);
    expect(report).not.toContain("0秒");
  });

  it("the 第 2 版 card shows the opinion that rejected 第 1 版 and the lines that changed", async () => {
    await h.say("wang", "/submit 抖音 新店开业\n城东店开业啦\n欢迎来玩");
    const first = stepCard("li");
    expect(first.text).not.toContain("上一版");
    await h.click(
      "li",
      first.msg.messageId,
      { a: "review.decide", step: first.step, v: "reject" },
      { formValue: { opinion: "请补充门店地址" } },
    );
    await h.say("wang", "/resubmit #1\n城东店开业啦，地址：城东路 88 号\n欢迎来玩");
    const again = stepCard("li");
    expect(again.text).toContain("第 2 版");
    expect(again.text).toContain("第 1 版被 李姐 在「初审」驳回，意见：请补充门店地址");
    expect(again.text).toContain("本版正文改动 1 处：");
    expect(again.text).toContain("「城东店开业啦」→「城东店开业啦，地址：城东路 88 号」");
  });
});
