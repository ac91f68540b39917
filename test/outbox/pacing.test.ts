/** On the system clock: the limiters pace a busy chat, and a hanging chat holds up no other. */
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { CODE } from "../../src/platforms/sandbox/open-platform/index.ts";
import { chat, cleanUp, rows, settleReal, setup, sleep, text } from "./support.ts";

afterEach(cleanUp);

describe("OutboxWorker → FeishuDeliverer → fake Feishu over HTTP", () => {
  it("paces 12 texts to one chat: all delivered, zero 230020 at the fake", async () => {
    const { bot, fake } = await setup({ clock: systemClock });
    for (let i = 1; i <= 12; i++) bot.writer.toChat(chat("oc_busy"), text(`第 ${i} 条`));

    await settleReal(bot);

    expect(fake.state.rejected(CODE.frequencyLimit)).toBe(0);
    expect(fake.state.messagesTo("oc_busy")).toHaveLength(12);
    const all = rows(bot.db);
    expect(all.every((r) => r.status === "done" && r.attempts === 1)).toBe(true);
    for (const r of all) expect(fake.state.deliveriesByUuid().get(r.idemKey)).toBe(1);
  }, 20_000);

  it("in the background loop, a chat where Feishu hangs does not hold up another chat", async () => {
    const { bot, fake } = await setup({ clock: systemClock });
    bot.writer.toChat(chat("oc_slow"), text("慢"));
    fake.faults.failNext("timeout", 1); // the first API call never answers (2 s client timeout)
    bot.worker.start();
    await sleep(100);
    bot.writer.toChat(chat("oc_fast"), text("快"));
    const until = Date.now() + 1500;
    while (fake.state.messagesTo("oc_fast").length === 0 && Date.now() < until) await sleep(20);
    // Delivered while the slow chat's request is still hanging.
    expect(fake.state.messagesTo("oc_fast")).toHaveLength(1);
    expect(fake.state.messagesTo("oc_slow")).toHaveLength(0);
    await bot.worker.stop();
  }, 20_000);
});
