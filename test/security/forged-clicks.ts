/**
 * Forged card clicks, shared by the card-values-{review,crisis,ticket}.test.ts files. Card buttons carry a
 * value (`{a: "review.decide", step: 4, v: "approve"}`) that comes back in the callback. Think of an attacker who edits that JSON: the bot must decide who may act from the database
 * (the step's role, the item's author, the crisis responders, the ticket handlers), never from the card
 * the click came from. Each refusal answers in Chinese, changes nothing on the item the value names, and
 * sends nothing to anyone; the only rows written are the ones that record the attempt:
 *  - every callback: one `inbound_seen` key (the de-dup key commits with the answer, docs/reliability.md);
 *  - refused review/crisis decisions: one `audit_log` row (refusals are logged, docs/review.md), which the archive
 *    trigger copies into one `archive_records` row.
 */
import { afterEach, expect } from "vitest";
import { buildFeishuCallback, cardActionEvent } from "../../src/platforms/sandbox/open-platform/index.ts";
import {
  cardText,
  ENCRYPT_KEY,
  type Harness,
  hasDecisionButtons,
  PEOPLE,
  p2p,
  VERIFICATION_TOKEN,
  type Who,
} from "../support/harness.ts";
import { countDelta, feishuSent, tableCounts } from "./support.ts";

/** What a refused review or crisis decision writes: the de-dup key and the logged refusal (archived). */
export const LOGGED_REFUSAL = { inbound_seen: 1, audit_log: 1, archive_records: 1 };
/** What any other refusal writes: the de-dup key only. */
export const PLAIN_REFUSAL = { inbound_seen: 1 };

/**
 * The tools of a card-values test, over the harness the test started last (`() => h`). Called at the top
 * of a test file: it also closes that harness after each test.
 */
export function forgery(harness: () => Harness) {
  afterEach(async () => {
    await harness().close();
  });
  const one = <T>(sql: string, ...params: unknown[]) =>
    harness()
      .app.db.$client.prepare(sql)
      .get(...params) as T;
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
    const h = harness();
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
    const h = harness();
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
  return { one, stepId, stepStatus, forgedClick, expectRefused };
}
