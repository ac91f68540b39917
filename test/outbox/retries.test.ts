/**
 * Transient failures (500, a lost answer, 429 with its reset, a killed process) end in exactly one
 * delivery.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/clock.ts";
import { CODE } from "../../src/platforms/sandbox/open-platform/index.ts";
import {
  boot,
  chat,
  cleanUp,
  forget,
  message,
  noticeCard,
  rowAt,
  rows,
  settle,
  setup,
  shutdown,
  sleep,
  text,
} from "./support.ts";

afterEach(cleanUp);

describe("OutboxWorker → FeishuDeliverer → fake Feishu over HTTP", () => {
  it("retries after a 500 and delivers exactly once, recording the attempts", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const clock = env.clock as ManualClock;
    bot.writer.toChat(chat("oc_ops"), text("五百之后"));
    fake.faults.failNext("500");

    await bot.worker.drain();
    const failed = rowAt(bot.db, 0);
    expect(failed.status).toBe("pending");
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain("HTTP_500");
    expect(failed.nextAttemptAt).toBeGreaterThan(clock.now());
    expect(fake.state.messages).toHaveLength(0);

    await settle(bot, clock);
    const done = rowAt(bot.db, 0);
    expect(done.status).toBe("done");
    expect(done.attempts).toBe(2);
    expect(fake.state.deliveriesByUuid().get(done.idemKey)).toBe(1);
    expect(fake.state.messages).toHaveLength(1);
    expect(message(fake, done.messageId).content).toEqual({ text: "五百之后" });
  });

  it("drop_after (sent, answer lost): the retry carries the same uuid and the chat still has one message", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const clock = env.clock as ManualClock;
    bot.writer.toChat(chat("oc_ops"), text("只发一次"));
    fake.faults.failNext("drop_after");

    await bot.worker.drain();
    const lost = rowAt(bot.db, 0);
    expect(lost.status).toBe("pending");
    expect(lost.attempts).toBe(1);
    // The platform did process it: the message is already in the chat.
    expect(fake.state.messages).toHaveLength(1);

    await settle(bot, clock);
    const done = rowAt(bot.db, 0);
    expect(done.status).toBe("done");
    expect(done.attempts).toBe(2);
    expect(fake.state.messages).toHaveLength(1);
    expect(fake.state.messages[0]?.uuid).toBe(done.idemKey);
    expect(done.messageId).toBe(fake.state.messages[0]?.messageId);
    expect(fake.state.deliveriesByUuid().get(done.idemKey)).toBe(1);
  });

  it("429 99991400 with x-ogw-ratelimit-reset: nextAttemptAt honours the reset seconds", async () => {
    // One send per minute at the fake, so the second send gets HTTP 429 with reset = 60 s.
    const env = await setup({ fake: { limits: { appPerMinute: 1 } } });
    const { bot, fake } = env;
    const clock = env.clock as ManualClock;
    bot.writer.toChat(chat("oc_a"), text("第一条"));
    await bot.worker.drain();
    expect(rowAt(bot.db, 0).status).toBe("done");

    bot.writer.toChat(chat("oc_b"), text("第二条"));
    await bot.worker.drain();
    const limited = rowAt(bot.db, 1);
    expect(fake.state.rejected(CODE.appRateLimited)).toBe(1);
    expect(limited.status).toBe("pending");
    expect(limited.lastError).toContain("99991400");
    // The default backoff after one attempt is ≤ 1.2 s; the platform asked for 60 s.
    expect(limited.nextAttemptAt).toBe(clock.now() + 60_000);

    clock.advance(59_999);
    await bot.worker.drain();
    expect(rowAt(bot.db, 1).status).toBe("pending");
    expect(fake.state.rejected(CODE.appRateLimited)).toBe(1); // not tried early

    clock.advance(1);
    await bot.worker.drain();
    const done = rowAt(bot.db, 1);
    expect(done.status).toBe("done");
    expect(done.attempts).toBe(2);
    expect(fake.state.messagesTo("oc_b")).toHaveLength(1);
  });

  it("an injected 429 (reset 1 s) is retried no earlier than the reset", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const clock = env.clock as ManualClock;
    bot.writer.toChat(chat("oc_ops"), text("限流"));
    fake.faults.failNext("429");
    await bot.worker.drain();
    const limited = rowAt(bot.db, 0);
    expect(limited.lastError).toContain("99991400");
    expect(limited.nextAttemptAt - clock.now()).toBeGreaterThanOrEqual(1000);
    await settle(bot, clock);
    expect(rowAt(bot.db, 0).status).toBe("done");
    expect(fake.state.messages).toHaveLength(1);
  });

  it("kill between written and delivered: a new process on the same DB file delivers each row once", async () => {
    const env = await setup();
    const { fake, dbPath } = env;
    const clock = env.clock as ManualClock;
    await shutdown(env.bot);

    // Process 1 sends, but "dies" before recording any result: its deliverer never returns.
    const p1 = boot(dbPath, fake, clock, (real) => ({
      deliver: async (row, copies) => {
        await real.deliver(row, copies);
        return new Promise<never>(() => {});
      },
    }));
    const zhao = p1.people.ensure("feishu", "ou_zhao", "小赵");
    p1.writer.toChat(chat("oc_a"), text("一"));
    p1.writer.toPerson(zhao, text("二"));
    p1.writer.toChat(chat("oc_b"), { type: "card", card: noticeCard("三", "卡片") });
    void p1.worker.tick();
    for (let i = 0; i < 200 && fake.state.messages.length < 3; i++) await sleep(10);
    expect(fake.state.messages).toHaveLength(3);
    // Written after the last tick: never attempted before the kill.
    p1.writer.toChat(chat("oc_a"), text("四"));
    p1.db.$client.close();
    forget(p1);
    await p1.deliverer.stop();

    // Process 2 on the same file.
    const p2 = boot(dbPath, fake, clock);
    expect(p2.worker.depth()).toBe(4);
    await settle(p2, clock);

    const all = rows(p2.db);
    expect(all.map((r) => r.status)).toEqual(["done", "done", "done", "done"]);
    expect(fake.state.messages).toHaveLength(4);
    const counts = fake.state.deliveriesByUuid();
    for (const r of all) {
      expect(counts.get(r.idemKey)).toBe(1);
      expect(message(fake, r.messageId).uuid).toBe(r.idemKey);
    }
    expect(fake.state.messagesTo("oc_a").map((m) => (m.content as { text: string }).text)).toEqual([
      "一",
      "四",
    ]);
  });
});
