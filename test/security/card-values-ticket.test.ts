/**
 * An edited ticket card value (forged-clicks.ts): closing or transferring another ticket, a closed or
 * missing one, or to a person who does not exist is refused in Chinese, and the ticket stays as it was.
 */
import { describe, expect, it } from "vitest";
import { type Harness, PEOPLE, startHarness } from "../support/harness.ts";
import { forgery, PLAIN_REFUSAL } from "./forged-clicks.ts";

let h: Harness;
const { one, forgedClick, expectRefused } = forgery(() => h);

describe("ticket cards: a value naming another ticket", () => {
  async function twoTickets() {
    h = await startHarness();
    await h.say("admin", "/store add 城东店");
    await h.say("admin", "/role add cs @小美");
    await h.say("admin", "/role add legal @陈律师");
    await h.say("outsider", "/help");
    await h.say("wang", "/feedback 城东店 差评：服务太差，要求退款");
    await h.say("wang", "/feedback 城东店 一星，密室道具坏了没人管");
    const cards = h.cards("mei");
    expect(cards).toHaveLength(2);
    return cards[0]?.messageId ?? "";
  }
  const ticket = (id: number) =>
    one<{ status: string; owner_id: number | null; note: string | null }>(
      "select status, owner_id, note from tickets where id = ?",
      id,
    );

  it("someone who does not handle tickets cannot close or transfer T-2 through T-1's card", async () => {
    const t1Card = await twoTickets();
    const before = ticket(2);
    for (const who of ["outsider", "chen"] as const) {
      const done = await expectRefused(
        () =>
          forgedClick(
            who,
            t1Card,
            { a: "ticket.done", ticket: 2 },
            { formValue: { note: "已处理（伪造）" } },
          ),
        PLAIN_REFUSAL,
      );
      expect(done).toBe("只有客服、运营或工单负责人可以处理 T-2");
      const me = one<{ id: number }>(
        "select person_id id from identities where platform = 'feishu' and user_id = ?",
        PEOPLE[who].openId,
      ).id;
      const moved = await expectRefused(
        () =>
          forgedClick(
            who,
            t1Card,
            { a: "ticket.transfer", ticket: 2 },
            { formValue: { assignee: String(me) } },
          ),
        PLAIN_REFUSAL,
      );
      expect(moved).toBe("只有客服、运营或工单负责人可以处理 T-2");
    }
    expect(ticket(2)).toEqual(before);
  });

  it("closing a ticket that is already closed, or one that does not exist, is refused", async () => {
    const t1Card = await twoTickets();
    await h.say("mei", "/done T-2 已电话致歉并退款");
    const again = await expectRefused(
      () =>
        forgedClick("mei", t1Card, { a: "ticket.done", ticket: 2 }, { formValue: { note: "覆盖原说明" } }),
      PLAIN_REFUSAL,
    );
    expect(again).toBe("T-2 已处理或无需处理（状态：已处理）");
    expect(ticket(2).note).toBe("已电话致歉并退款");
    const missing = await expectRefused(
      () => forgedClick("mei", t1Card, { a: "ticket.done", ticket: 99 }, { formValue: { note: "x" } }),
      PLAIN_REFUSAL,
    );
    expect(missing).toBe("没有工单 T-99");
  });

  it("a transfer to a person who does not exist is refused in Chinese, not a system error", async () => {
    const t1Card = await twoTickets();
    const before = ticket(1);
    const res = await forgedClick(
      "mei",
      t1Card,
      { a: "ticket.transfer", ticket: 1 },
      { formValue: { assignee: "99999" } },
    );
    await h.settle();
    expect(ticket(1)).toEqual(before);
    // An assignee id that is no person used to break the owner's foreign key and end in the generic
    // 系统繁忙 toast (on WeCom: HTTP 500, retried three times); it must be a refusal naming the problem.
    expect(res.json.toast?.type).toBe("error");
    expect(res.json.toast?.content).not.toBe("系统繁忙，请稍后再试");
    expect(res.json.toast?.content).toMatch(/转交/);
  });
});
