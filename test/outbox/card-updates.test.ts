/** Card updates keep order: after the card's sends, and the newest state wins over a retried older one. */
import { afterEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/clock.ts";
import { chat, cleanUp, message, noticeCard, rowAt, rows, settle, setup } from "./support.ts";

afterEach(cleanUp);

describe("OutboxWorker → FeishuDeliverer → fake Feishu over HTTP", () => {
  it("a card update waits for the card's sends, then PATCHes every copy except the excluded one", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const clock = env.clock as ManualClock;
    const REF = "review:step:7";
    const li = bot.people.ensure("feishu", "ou_li", "李姐");
    const v1 = noticeCard("初审 · #7", "待审");
    bot.writer.toChat(chat("oc_a"), { type: "card", card: v1 }, { cardRef: REF });
    bot.writer.toPerson(li, { type: "card", card: v1 }, { cardRef: REF });
    await bot.worker.drain();
    const [a, b] = rows(bot.db);
    expect([a?.status, b?.status]).toEqual(["done", "done"]);
    const except = a?.messageId ?? "";

    // A third copy is written, then the update; the third copy's first attempt fails.
    bot.writer.toChat(chat("oc_c"), { type: "card", card: v1 }, { cardRef: REF });
    const v2 = noticeCard("初审 · #7", "李姐 已通过");
    bot.writer.updateCards(REF, v2, except);
    const c = rowAt(bot.db, 2);
    const update = rowAt(bot.db, 3);
    expect(update).toMatchObject({ op: "update", cardRef: REF, status: "pending" });
    fake.faults.failNext("500");

    await bot.worker.drain();
    expect(rowAt(bot.db, 2)).toMatchObject({ status: "pending", attempts: 1 });
    expect(rowAt(bot.db, 3)).toMatchObject({ status: "pending", attempts: 0 });
    clock.advance(300);
    await bot.worker.drain();
    // The send is still waiting for its retry: the update must not overtake it.
    expect(rowAt(bot.db, 3).status).toBe("pending");
    expect(fake.state.calls.some((x) => x.method === "PATCH")).toBe(false);

    await settle(bot, clock);
    expect(rowAt(bot.db, 2).status).toBe("done");
    expect(rowAt(bot.db, 3).status).toBe("done");
    const cId = rowAt(bot.db, 2).messageId;
    expect(message(fake, except).updates).toHaveLength(0);
    for (const id of [b?.messageId ?? null, cId]) {
      const m = message(fake, id);
      expect(m.updates).toHaveLength(1);
      expect(m.updates[0]?.via).toBe("patch");
      expect(JSON.stringify(m.card)).toContain("李姐 已通过");
    }
    // Every PATCH came after the third copy's successful send.
    const lastSend = fake.state.calls.findLastIndex(
      (x) => x.path === "/open-apis/im/v1/messages" && x.status === 200,
    );
    const firstPatch = fake.state.calls.findIndex((x) => x.method === "PATCH");
    expect(firstPatch).toBeGreaterThan(lastSend);
    expect(fake.state.deliveriesByUuid().get(c.idemKey)).toBe(1);
  });

  it("a later card update is not overwritten by an earlier update that had to be retried", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const clock = env.clock as ManualClock;
    const REF = "review:step:8";
    bot.writer.toChat(chat("oc_a"), { type: "card", card: noticeCard("#8", "待审") }, { cardRef: REF });
    await bot.worker.drain();
    const id = rowAt(bot.db, 0).messageId;

    bot.writer.updateCards(REF, noticeCard("#8", "第二版"));
    bot.writer.updateCards(REF, noticeCard("#8", "最终版"));
    fake.faults.failNext("500"); // the first PATCH (of the older update) fails
    await settle(bot, clock);

    expect(rows(bot.db).filter((r) => r.status === "pending")).toHaveLength(0);
    // What people see must be the newest state, not the retried older one.
    expect(JSON.stringify(message(fake, id).card)).toContain("最终版");
  });
});
