/**
 * Minimal reproduction of the one loss the fault run finds without any fault: on WeCom the answer to a
 * click is a text message (WeCom has no toast), and the 通过 answer is the same text for every item
 * ("已通过「初审」"). The bot sends app messages with enable_duplicate_check (1800 s) so that retries are
 * safe — so WeCom delivers the second identical answer to the same member within 30 minutes to nobody.
 * A reviewer approving two items in a row is told once. (In process, no faults: ~1 s.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWecomHarness, type WecomHarness } from "../fakes/wecom/harness.ts";

let h: WecomHarness;
beforeEach(async () => {
  h = await startWecomHarness();
  await h.wecomSay("admin", "/role add ops_lead @lijie(李姐)");
  await h.wecomSay("admin", "/role add ops @xiaowang(小王)");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await h.wecomSay("admin", "/exam record @xiaowang(小王) 100");
});
afterEach(async () => {
  await h.close();
});

describe("WeCom answers to clicks", () => {
  it("a reviewer who approves two items is told twice", async () => {
    await h.wecomSay("xiaowang", "/submit 抖音 周末活动A\n城东店周末活动");
    await h.wecomClick("lijie", h.lastCard("lijie").taskId as string, "通过");
    await h.wecomSay("xiaowang", "/submit 抖音 周末活动B\n城西店周末活动");
    await h.wecomClick("lijie", h.lastCard("lijie").taskId as string, "通过");

    const sent = h.app.db.$client
      .prepare(
        "select count(*) n from outbox where platform = 'wecom' and target = 'chat:lijie' and payload like '%已通过「初审」%'",
      )
      .get() as { n: number };
    expect(sent.n).toBe(2); // the bot did write both answers…
    // …and 李姐 must read both (today the second is in the fake's `duplicates`, delivered to nobody).
    expect(h.texts("lijie").filter((t) => t.includes("已通过「初审」"))).toHaveLength(2);
    expect(h.wecom.state.duplicates).toEqual([]);
  });
});
