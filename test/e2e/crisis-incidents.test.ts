/**
 * One incident, one crisis, one decision, one message: the 疑似危机 card decided once even when two
 * people tap at once; repeated reports of the same incident join the open crisis; the customer's words
 * go into the crisis; a typed /ack or stage change posts one group message; the escalation DM says why.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  count,
  crisisCards,
  crisisHarness,
  GROUP,
  lastCrisisText,
  lastText,
  MIN,
} from "../core/crisis/support.ts";
import { cardText, type Harness } from "../support/harness.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const INJURY = [
  "城东店有顾客在密室里摔倒受伤了，膝盖流血，家属说要找媒体",
  "我朋友在城东店玩密室被道具砸伤，现在在医院，你们必须给个说法",
  "城东店的机关把人弄受伤了，工作人员还不让拍照，太过分",
];

/** The newest 疑似危机 card in the crisis group and its buttons' values by label. */
function suggestion(): { messageId: string; tap: (label: string) => Record<string, unknown> } {
  const card = h.cards(GROUP).findLast((c) => cardText(c.card).includes("疑似危机 · "));
  const values = new Map<string, Record<string, unknown>>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      const label = (o.text as { content?: string } | undefined)?.content;
      const value = (o.behaviors as { value: Record<string, unknown> }[] | undefined)?.[0]?.value;
      if (o.tag === "button" && label && value) values.set(label, value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card?.card);
  return { messageId: card?.messageId ?? "", tap: (label) => values.get(label) ?? {} };
}

async function setUp(): Promise<void> {
  h = await crisisHarness();
  await h.say("admin", "/store add 城东店");
}

describe("the 疑似危机 card is decided once", () => {
  it("定为一级 and 忽略 tapped at once: exactly one decision, the other is told who decided what", async () => {
    for (let round = 0; round < 4; round++) {
      await setUp();
      await h.say("wang", `/feedback 城东店 ${INJURY[0]}`);
      const card = suggestion();
      const [a, b] = await Promise.all([
        h.click("lin", card.messageId, card.tap("定为一级"), { settle: false }),
        h.click("zhang", card.messageId, card.tap("忽略"), { settle: false }),
      ]);
      await h.settle();
      const toasts = [a, b].map((r) => r.json.toast as { type: string; content: string });
      const crises = count(h, "select count(*) n from crises");
      const ignored = count(h, "select count(*) n from crisis_suggestions where status = 'ignored'");
      expect(crises + ignored).toBe(1);
      const won = toasts.filter((t) => t.content === "已上报 C-1" || t.content === "已忽略");
      expect(won).toHaveLength(1);
      const lost = toasts.find((t) => !won.includes(t));
      expect(lost?.content).toMatch(
        crises === 1
          ? /^这条疑似危机已由 林哥 于 \d\d-\d\d \d\d:\d\d 定为一级（一般）危机 C-1$/
          : /^这条疑似危机已由 张总 于 \d\d-\d\d \d\d:\d\d 标记为忽略$/,
      );
      await h.close();
    }
    h = await crisisHarness(); // for afterEach
  });

  it("忽略 after 定级 (or the reverse) is refused with who decided", async () => {
    await setUp();
    await h.say("wang", `/feedback 城东店 ${INJURY[0]}`);
    const card = suggestion();
    await h.click("zhang", card.messageId, card.tap("忽略"));
    const late = await h.click("lin", card.messageId, card.tap("定为三级"));
    expect((late.json.toast as { content: string }).content).toMatch(/已由 张总 于 .* 标记为忽略/);
    expect(count(h, "select count(*) n from crises")).toBe(0);
  });
});

describe("one incident, one crisis", () => {
  it("three 受伤 reports for one store: the first card opens C-1, the next reports join it", async () => {
    await setUp();
    await h.say("wang", `/feedback 城东店 ${INJURY[0]}`);
    const first = suggestion();
    await h.click("lin", first.messageId, first.tap("定为二级"));
    await h.say("wang", `/feedback 城东店 ${INJURY[1]}`);
    await h.say("liu", `/feedback 城东店 ${INJURY[2]}`);
    expect(count(h, "select count(*) n from crises")).toBe(1);
    // No second card asking to decide: the group is told the reports joined C-1.
    expect(h.cards(GROUP).filter((c) => cardText(c.card).includes("疑似危机 · "))).toHaveLength(1);
    const joined = h.texts(GROUP).filter((t) => t.startsWith("🔗 城东店又有反馈"));
    expect(joined).toHaveLength(2);
    expect(joined[0]).toContain("已并入进行中的 C-1");
    expect(count(h, "select count(*) n from crisis_tickets where crisis_id = 1")).toBe(3);
    await h.say("lin", "/crisis show C-1");
    const show = lastText(h, "lin");
    for (const words of INJURY) expect(show).toContain(words);
  });

  it("three reports before anyone decides: deciding one card opens C-1 and the other two join it", async () => {
    await setUp();
    for (const words of INJURY) await h.say("wang", `/feedback 城东店 ${words}`);
    const cards = h.cards(GROUP).filter((c) => cardText(c.card).includes("疑似危机 · "));
    expect(cards).toHaveLength(3);
    const last = suggestion();
    const res = await h.click("lin", last.messageId, last.tap("定为二级"));
    expect((res.json.toast as { content: string }).content).toBe("已上报 C-1");
    expect(count(h, "select count(*) n from crises")).toBe(1);
    for (const c of h.cards(GROUP).filter((x) => cardText(x.card).includes("疑似危机 · "))) {
      expect(JSON.stringify(c.card)).not.toContain('"crisis.fromSuggestion"');
      expect(cardText(c.card)).toMatch(/C-1/);
    }
    // A card still showing its buttons (an old copy) says where it went.
    const again = await h.click("liu", cards[0]?.messageId ?? "", {
      a: "crisis.ignoreSuggestion",
      suggestion: 1,
      store: "城东店",
      summary: "x",
    });
    expect((again.json.toast as { content: string }).content).toMatch(/已由 林哥 于 .* 并入进行中的危机 C-1/);
    expect(count(h, "select count(*) n from crisis_tickets where crisis_id = 1")).toBe(3);
  });
});

describe("the customer's words", () => {
  it("a crisis opened from a suggestion carries the tickets' texts into its card, record and timeline", async () => {
    await setUp();
    await h.say("wang", `/feedback 城东店 ${INJURY[0]}`);
    const card = suggestion();
    await h.click("lin", card.messageId, card.tap("定为二级"));
    expect(lastCrisisText(h, GROUP)).toContain(INJURY[0]);
    await h.say("lin", "/crisis show C-1");
    const show = lastText(h, "lin");
    expect(show).toContain(`描述：城东店疑似危机：出现严重情况：受伤`);
    expect(show).toMatch(new RegExp(`T-1（小王 · [^）]+）：${INJURY[0]}`));
    const timeline = show.slice(show.indexOf("— 时间线 —"));
    expect(timeline).toContain(INJURY[0]);
  });
});

describe("one group message per change, and why an escalation came", () => {
  it("a typed /ack and a typed stage change in the crisis group post one group message each", async () => {
    await setUp();
    await h.say("wang", "/crisis 2 微博上有顾客说城东店密室受伤，已有转发");
    const before = h.texts(GROUP).length;
    await h.say("lin", "/ack C-1", { chatId: GROUP });
    expect(h.texts(GROUP).slice(before)).toHaveLength(1);
    expect(lastText(h, GROUP)).toContain("C-1（二级（较大））已由 林哥 确认");
    const mid = h.texts(GROUP).length;
    await h.say("lin", "/crisis stage C-1 核实取证 已联系门店调监控", { chatId: GROUP });
    expect(h.texts(GROUP).slice(mid)).toEqual(["📍 C-1 进入「核实取证」（林哥）：已联系门店调监控"]);
    // Typed in a DM, the typist still gets an answer (and the group its one message).
    await h.say("lin", "/crisis stage C-1 制定方案 准备声明");
    expect(lastText(h, "lin")).toBe("C-1 当前阶段：「制定方案」");
    expect(h.texts(GROUP).slice(mid)).toHaveLength(2);
  });

  it("张总's escalation DM says which crisis and how many pages went unanswered", async () => {
    await setUp();
    await h.say("wang", "/crisis 3 抖音上城东店受伤视频已上热榜");
    for (let i = 0; i < 2; i++) {
      h.clock.advance(5 * MIN);
      await h.settle();
    }
    const dm = crisisCards(h, "zhang");
    expect(dm).toHaveLength(1);
    const text = cardText(dm[0]?.card);
    expect(text).toContain("🚨 三级危机 C-1");
    expect(text).toContain("抖音上城东店受伤视频已上热榜");
    expect(text).toMatch(
      /⏫ 升级通知市场部门负责人：C-1 已呼叫危机小组 3 次（其中重复 2 次），10分钟无人确认/,
    );
  });
});
