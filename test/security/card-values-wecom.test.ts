/**
 * The WeCom side of card-values-review.test.ts: a template card button's `key` is the action value as JSON,
 * and it comes back in the signed callback as `EventKey`. An edited key naming another role's step is
 * refused by message — also through the 驳回 question (the key's `"?"` makes the bot ask for an opinion
 * first, and the answer carries the edited step) — and nobody else hears of it.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { startWecomHarness, type WecomHarness } from "../fakes/wecom/harness.ts";
import { countDelta, tableCounts } from "./support.ts";

let w: WecomHarness;
beforeEach(async () => {
  w = await startWecomHarness();
  await w.wecomSay("admin", "/role add ops_lead @lijie(李姐)");
  await w.wecomSay("admin", "/role add marketing_head @zhangzong(张总)");
  await w.wecomSay("admin", "/role add ops @xiaowang(小王)");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await w.wecomSay("admin", "/exam record @xiaowang(小王) 100");
});
afterEach(async () => {
  await w.close();
});

const REFUSED = "你不是「市场部门负责人」，不能处理「复审」";

it("李姐's edited key naming #1's 复审 is refused, by 通过 and by 驳回 + opinion", async () => {
  await w.wecomSay("xiaowang", "/submit 抖音 第一条\n正文一");
  await w.wecomSay("xiaowang", "/submit 抖音 第二条\n正文二");
  await w.wecomSay("lijie", "/approve 1");
  const sqlite = w.app.db.$client;
  const review = (
    sqlite.prepare("select id from review_steps where item_id = 1 and position = 2").get() as { id: number }
  ).id;
  const status = () => sqlite.prepare("select status from review_steps where id = ?").get(review);
  expect(status()).toEqual({ status: "pending" });
  // Her card for #2 is the one she "presses", with the key rewritten.
  const taskId = w.lastCard("lijie").taskId as string;
  const before = tableCounts(sqlite);
  const toOthers = () => w.wecom.state.messages.filter((m) => m.touser !== "lijie").length;
  const others = toOthers();

  await w.wecomClick("lijie", taskId, JSON.stringify({ a: "review.decide", step: review, v: "approve" }));
  expect(w.texts("lijie").at(-1)).toBe(REFUSED);

  const reject = { a: "review.decide", step: review, v: "reject", "?": ["opinion", "驳回意见"] };
  await w.wecomClick("lijie", taskId, JSON.stringify(reject));
  expect(w.texts("lijie").at(-1)).toMatch(/^请直接回复驳回意见/);
  await w.wecomSay("lijie", "伪造的驳回意见");
  // The same refusal again: the bot sends it, and WeCom's duplicate check (same text within 30 min)
  // shows it to 李姐 once — so read what the bot sent rather than what she saw.
  const toLijie = sqlite
    .prepare("select payload from outbox where target = 'chat:lijie' and payload like ?")
    .all(`%${REFUSED}%`);
  expect(toLijie).toHaveLength(2);

  expect(status()).toEqual({ status: "pending" });
  const delta = countDelta(before, tableCounts(sqlite));
  // Two refusals logged (and archived); no decision, no card, no question left waiting.
  expect(delta.audit_log).toBe(2);
  expect(delta.review_events).toBeUndefined();
  expect(delta.wecom_pending_inputs).toBeUndefined();
  expect(sqlite.prepare("select count(*) n from audit_log where action = 'review.refused'").get()).toEqual({
    n: 2,
  });
  expect(toOthers()).toBe(others);
});
