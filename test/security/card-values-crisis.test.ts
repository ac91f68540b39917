/**
 * An edited crisis card value (forged-clicks.ts): a value naming another crisis, a stale stage or tier, or
 * the 疑似危机 buttons is refused unless the clicker is a responder, and the crisis stays as it was.
 */
import { describe, expect, it } from "vitest";
import { cardText, type Harness, startHarness } from "../support/harness.ts";
import { forgery, LOGGED_REFUSAL, PLAIN_REFUSAL } from "./forged-clicks.ts";

let h: Harness;
const { one, forgedClick, expectRefused } = forgery(() => h);

describe("crisis cards: a value naming another crisis", () => {
  async function twoCrises() {
    h = await startHarness();
    await h.say("admin", "/role add crisis @林哥 @小刘");
    await h.say("admin", "/role add marketing_head @张总");
    await h.say("admin", "/role add ops @小王");
    // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
    await h.say("admin", "/exam record @小王 100");
    await h.say("admin", "/bind crisis", { chatId: "oc_crisis_group" });
    await h.say("outsider", "/help");
    await h.say("wang", "/crisis 1 城东店一条差评");
    await h.say("wang", "/crisis 2 城西店顾客受伤");
    const c1Card = h.cards("oc_crisis_group").find((m) => cardText(m.card).includes("C-1"))?.messageId ?? "";
    expect(c1Card).not.toBe("");
    return c1Card;
  }
  const crisis = (id: number) =>
    one<{ tier: number; stage: string; lead_id: number | null; acked_at: number | null }>(
      "select tier, stage, lead_id, acked_at from crises where id = ?",
      id,
    );

  it("someone who is not a responder cannot ack, escalate, advance or close C-2 through C-1's card", async () => {
    const c1Card = await twoCrises();
    const before = crisis(2);
    const values: [Record<string, unknown>, string][] = [
      [{ a: "crisis.ack", c: 2 }, "确认危机"],
      [{ a: "crisis.escalate", c: 2, from: 2 }, "调整危机级别"],
      [{ a: "crisis.stage", c: 2, from: "report", to: "assess" }, "推进危机阶段"],
      [{ a: "crisis.stage", c: 2, from: "report", to: "closed" }, "结案"],
    ];
    for (const who of ["outsider", "wang"] as const) {
      for (const [value, what] of values) {
        const text = await expectRefused(() => forgedClick(who, c1Card, value), LOGGED_REFUSAL);
        expect(text).toBe(`只有危机小组成员、市场部门负责人或管理层可以${what}`);
      }
    }
    expect(crisis(2)).toEqual(before);
    expect(crisis(2).acked_at).toBeNull();
  });

  it("a responder's stale or edited value cannot skip stages or re-tier twice", async () => {
    const c1Card = await twoCrises();
    await h.say("lin", "/ack C-2");
    // The card showed 上报; C-2 is now at 评估定级: an edited `from` must not jump to 执行跟踪.
    const stale = await expectRefused(
      () => forgedClick("lin", c1Card, { a: "crisis.stage", c: 2, from: "report", to: "execute" }),
      PLAIN_REFUSAL,
    );
    expect(stale).toBe("C-2 已在「评估定级」阶段，卡片已更新");
    const tier = await expectRefused(
      () => forgedClick("lin", c1Card, { a: "crisis.escalate", c: 2, from: 1 }),
      PLAIN_REFUSAL,
    );
    expect(tier).toBe("C-2 已是二级（较大），卡片已更新");
    for (const c of ["2 OR 1=1", 0, -1, null, "C-2"]) {
      expect(
        await expectRefused(() => forgedClick("lin", c1Card, { a: "crisis.ack", c }), PLAIN_REFUSAL),
      ).toBe("卡片数据无效");
    }
    expect(crisis(2)).toMatchObject({ tier: 2, stage: "assess" });
  });

  it("the 疑似危机 buttons with an edited value: refused for a non-responder, nothing opened", async () => {
    const c1Card = await twoCrises();
    const value = { tier: 3, ticket: 1, store: "城东店", summary: "伪造的三级危机" };
    const text = await expectRefused(
      () => forgedClick("outsider", c1Card, { a: "crisis.fromSuggestion", ...value }),
      LOGGED_REFUSAL,
    );
    expect(text).toBe("只有危机小组成员、市场部门负责人或管理层可以为疑似危机定级");
    const ignored = await expectRefused(
      () => forgedClick("outsider", c1Card, { a: "crisis.ignoreSuggestion", ...value }),
      LOGGED_REFUSAL,
    );
    expect(ignored).toBe("只有危机小组成员、市场部门负责人或管理层可以处理疑似危机");
    expect(one<{ n: number }>("select count(*) n from crises").n).toBe(2);
  });
});
