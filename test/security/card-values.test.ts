/**
 * Card buttons carry a value (`{a: "review.decide", step: 4, v: "approve"}`) that comes back in the
 * callback. Think of an attacker who edits that JSON: the bot must decide who may act from the database
 * (the step's role, the item's author, the crisis responders, the ticket handlers), never from the card
 * the click came from. Each refusal answers in Chinese, changes nothing on the item the value names, and
 * sends nothing to anyone; the only rows written are the ones that record the attempt:
 *  - every callback: one `inbound_seen` key (the de-dup key commits with the answer, docs/reliability.md);
 *  - refused review/crisis decisions: one `audit_log` row (refusals are logged, docs/review.md), which the archive
 *    trigger copies into one `archive_records` row.
 */
import { afterEach, describe, expect, it } from "vitest";
import { buildFeishuCallback, cardActionEvent } from "../../src/platforms/sandbox/open-platform/index.ts";
import {
  cardText,
  ENCRYPT_KEY,
  type Harness,
  hasDecisionButtons,
  PEOPLE,
  p2p,
  seedRoles,
  startHarness,
  VERIFICATION_TOKEN,
  type Who,
} from "../support/harness.ts";
import { countDelta, feishuSent, tableCounts } from "./support.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const LOGGED_REFUSAL = { inbound_seen: 1, audit_log: 1, archive_records: 1 };
const PLAIN_REFUSAL = { inbound_seen: 1 };

const one = <T>(sql: string, ...params: unknown[]) => h.app.db.$client.prepare(sql).get(...params) as T;
const stepId = (item: number, position: number) =>
  one<{ id: number }>(
    "select id from review_steps where item_id = ? and position = ? and revision = 1",
    item,
    position,
  ).id;
const stepStatus = (id: number) =>
  one<{ status: string }>("select status from review_steps where id = ?", id).status;

/**
 * A click as Feishu would deliver it, but with the value (and optionally the chat) chosen by the test:
 * `messageId` is the card that was "clicked", `chatId` the chat Feishu says it is in.
 */
async function forgedClick(
  who: Who,
  messageId: string,
  value: Record<string, unknown>,
  o: { chatId?: string; formValue?: Record<string, unknown> } = {},
) {
  const msg = h.fake.state.byId.get(messageId);
  const req = buildFeishuCallback({
    payload: cardActionEvent({
      token: VERIFICATION_TOKEN,
      operatorOpenId: PEOPLE[who].openId,
      value,
      ...(o.formValue ? { formValue: o.formValue } : {}),
      openMessageId: messageId,
      openChatId: o.chatId ?? msg?.chatId ?? p2p(PEOPLE[who].openId),
    }),
    encryptKey: ENCRYPT_KEY,
    timestamp: Math.floor(h.clock.now() / 1000),
  });
  const res = await h.post(req.body, req.headers);
  return {
    status: res.status,
    json: (await res.json()) as { toast?: { type: string; content: string }; card?: unknown },
  };
}

/** Runs a refused click and checks: HTTP 200 with an error toast and no card, the expected rows only, nothing sent. */
async function expectRefused(
  click: () => Promise<{
    status: number;
    json: { toast?: { type: string; content: string }; card?: unknown };
  }>,
  rows: Record<string, number>,
  /** The clicked message is a real copy of the named step's card: it is refreshed, without buttons. */
  refreshesOwnCard = false,
): Promise<string> {
  await h.settle();
  const before = tableCounts(h.app.db.$client);
  const sent = feishuSent(h.fake);
  const res = await click();
  await h.settle();
  expect(res.status).toBe(200);
  expect(res.json.toast?.type).toBe("error");
  if (refreshesOwnCard) {
    expect(hasDecisionButtons((res.json.card as { data: unknown } | undefined)?.data)).toBe(false);
    expect(cardText((res.json.card as { data: unknown }).data)).toContain("审核已终止");
  } else expect(res.json.card).toBeUndefined();
  expect(countDelta(before, tableCounts(h.app.db.$client))).toEqual(rows);
  expect(feishuSent(h.fake)).toBe(sent);
  return res.json.toast?.content ?? "";
}

describe("review cards: a value naming another step", () => {
  /** #1 is at 复审 (张总), #2 waits at 初审 (李姐/林哥); both by 小王. */
  async function twoItems() {
    h = await startHarness();
    await seedRoles(h);
    // 路人 has talked to the bot before, so his refusals add no person (see the newcomer test below).
    await h.say("outsider", "/help");
    await h.say("wang", "/submit 抖音 第一条\n正文一");
    await h.say("wang", "/submit 抖音 第二条\n正文二");
    await h.say("li", "/approve 1");
    expect(stepStatus(stepId(1, 2))).toBe("pending");
    const liCard = h.cards("li").find((c) => cardText(c.card).includes("第二条"))?.messageId ?? "";
    expect(liCard).not.toBe("");
    return { liCard, review2of1: stepId(1, 2), first1: stepId(1, 1), first2: stepId(2, 1) };
  }

  it("李姐 (初审 holder) edits her #2 card to decide #1's 复审: refused, logged, #1 untouched", async () => {
    const { liCard, review2of1 } = await twoItems();
    for (const v of ["approve", "reject"]) {
      const text = await expectRefused(
        () =>
          forgedClick(
            "li",
            liCard,
            { a: "review.decide", step: review2of1, v },
            { formValue: { opinion: "伪造" } },
          ),
        LOGGED_REFUSAL,
      );
      expect(text).toBe("你不是「市场部门负责人」，不能处理「复审」");
    }
    expect(stepStatus(review2of1)).toBe("pending");
    // Her own card still offers its buttons: the refusal did not replace it with #1's card.
    expect(hasDecisionButtons(h.fake.state.byId.get(liCard)?.card)).toBe(true);
    const logged = one<{ detail: string }>(
      "select detail from audit_log where action = 'review.refused' order by id desc",
    );
    expect(JSON.parse(logged.detail)).toMatchObject({ stepId: review2of1, itemId: 1, verdict: "reject" });
  });

  it("a value naming a finished step is refused with who decided it, and the decision stands", async () => {
    const { liCard, first1 } = await twoItems();
    const text = await expectRefused(
      () =>
        forgedClick(
          "lin",
          liCard,
          { a: "review.decide", step: first1, v: "reject" },
          { formValue: { opinion: "推翻" } },
        ),
      LOGGED_REFUSAL,
    );
    expect(text).toMatch(/^「初审」已由 李姐 于 .+ 通过，无需重复处理$/);
    const decided = one<{ status: string; opinion: string | null }>(
      "select status, opinion from review_steps where id = ?",
      first1,
    );
    expect(decided).toEqual({ status: "approved", opinion: null });
  });

  it("the author holding the step's role cannot decide their own item through an edited value", async () => {
    const { liCard, review2of1 } = await twoItems();
    await h.say("admin", "/role add marketing_head @小王");
    const text = await expectRefused(
      () => forgedClick("wang", liCard, { a: "review.decide", step: review2of1, v: "approve" }),
      LOGGED_REFUSAL,
    );
    expect(text).toBe("不能审核自己提交的内容");
    expect(stepStatus(review2of1)).toBe("pending");
  });

  it("a value naming a withdrawn item's step is refused as finished", async () => {
    const { liCard, first2 } = await twoItems();
    await h.say("wang", "/withdraw 2 不发了");
    const text = await expectRefused(
      () => forgedClick("li", liCard, { a: "review.decide", step: first2, v: "approve" }),
      LOGGED_REFUSAL,
      true, // liCard is her copy of #2's 初审: the refusal repairs it (no buttons, 审核已终止)
    );
    expect(text).toBe("「初审」已结束（内容已撤回、被驳回或已有新版本）");
    expect(one<{ status: string }>("select status from content_items where id = 2").status).toBe("withdrawn");
  });

  it("values that are not a step at all: invalid, unknown or injected ids are refused without a log row", async () => {
    const { liCard } = await twoItems();
    const cases: [Record<string, unknown>, string][] = [
      [{ a: "review.decide", step: "1 OR 1=1", v: "approve" }, "卡片数据无效"],
      [{ a: "review.decide", step: "1; DROP TABLE review_steps", v: "approve" }, "卡片数据无效"],
      [{ a: "review.decide", step: { id: 1 }, v: "approve" }, "卡片数据无效"],
      [{ a: "review.decide", step: 1.5, v: "approve" }, "卡片数据无效"],
      [{ a: "review.decide", v: "approve" }, "卡片数据无效"],
      [{ a: "review.decide", step: 99999, v: "approve" }, "找不到这个审核步骤"],
      [{ a: "role.grant", role: "admin" }, "这张卡片已失效"],
      [{ a: "__proto__" }, "这张卡片已失效"],
      [{}, "这张卡片已失效"],
    ];
    for (const [value, answer] of cases) {
      expect(await expectRefused(() => forgedClick("li", liCard, value), PLAIN_REFUSAL)).toBe(answer);
    }
    expect(
      one<{ n: number }>("select count(*) n from review_events where type in ('approve','reject')").n,
    ).toBe(1);
  });

  it("a click naming a card in someone else's chat: refused for an outsider, and that card is not touched", async () => {
    const { liCard } = await twoItems();
    const step = Number((JSON.stringify(h.fake.state.byId.get(liCard)?.card).match(/"step":(\d+)/) ?? [])[1]);
    // 路人 claims to have clicked 李姐's card, from his own DM.
    const text = await expectRefused(
      () =>
        forgedClick(
          "outsider",
          liCard,
          { a: "review.decide", step, v: "approve" },
          { chatId: p2p(PEOPLE.outsider.openId) },
        ),
      LOGGED_REFUSAL,
    );
    expect(text).toBe("你不是「运营团队负责人」，不能处理「初审」");
    const card = h.fake.state.byId.get(liCard);
    expect(card?.updates).toEqual([]);
    expect(hasDecisionButtons(card?.card)).toBe(true);
  });
});

describe("the refusal log names the person who clicked", () => {
  it("a refused click by someone the bot has never seen is logged under their identity, not a later newcomer's", async () => {
    h = await startHarness();
    await seedRoles(h);
    await h.say("wang", "/submit 抖音 第一条\n正文一");
    const card = h.cards("li")[0]?.messageId ?? "";
    // 路人's first contact with the bot is a refused click; 小美's first contact comes right after.
    const res = await forgedClick("outsider", card, { a: "review.decide", step: stepId(1, 1), v: "approve" });
    expect(res.json.toast?.content).toBe("你不是「运营团队负责人」，不能处理「初审」");
    await h.say("mei", "/help");
    // KNOWN FAILING: Dispatcher.cardAction (src/core/dispatch.ts) writes the audit row after rolling back
    // the transaction that created 路人's person row, so the row points at a person id SQLite hands out
    // again to the next newcomer: the log (and its archived copy) blames 小美.
    const blamed = h.app.db.$client
      .prepare(
        "select i.user_id from audit_log a left join identities i on i.person_id = a.actor_id where a.action = 'review.refused'",
      )
      .all();
    expect(blamed).toEqual([{ user_id: PEOPLE.outsider.openId }]);
  });
});

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
