/** Permanent failures dead-letter the row and tell the admin, once. */
import { afterEach, describe, expect, it } from "vitest";
import { CODE } from "../../src/platforms/sandbox/open-platform/index.ts";
import { chat, cleanUp, rows, setup, text } from "./support.ts";

afterEach(cleanUp);

describe("OutboxWorker → FeishuDeliverer → fake Feishu over HTTP", () => {
  it("230002 (bot not in chat) dead-letters the row and tells the admin in a DM", async () => {
    const env = await setup({ fake: { chatsWithoutBot: new Set(["oc_nobot"]) } });
    const { bot, fake } = env;
    bot.writer.toChat(chat("oc_nobot"), text("发不出去"));

    await bot.worker.drain();

    const [dead, notice, ...more] = rows(bot.db);
    expect(more).toHaveLength(0);
    expect(dead?.status).toBe("dead");
    expect(dead?.attempts).toBe(1); // permanent: not retried
    expect(dead?.lastError).toContain(String(CODE.botNotInChat));
    expect(notice).toMatchObject({ status: "done", target: "user:ou_admin", op: "send" });
    expect(fake.state.messagesTo("oc_nobot")).toHaveLength(0);
    const dm = fake.state.messagesTo("ou_admin");
    expect(dm).toHaveLength(1);
    expect(dm[0]?.chatId).toBe("oc_p2p_ou_admin");
    const said = (dm[0]?.content as { text?: string } | undefined)?.text;
    expect(said).toContain("机器人不在这个群里");
    expect(said).toContain("/outbox retry");
    expect(said).toContain("oc_nobot");
  });

  it("a dead admin notice does not create another notice (no loop)", async () => {
    const env = await setup({
      fake: { chatsWithoutBot: new Set(["oc_nobot"]), usersOutOfRange: new Set(["ou_admin"]) },
    });
    const { bot, fake } = env;
    bot.writer.toChat(chat("oc_nobot"), text("发不出去"));

    await bot.worker.drain();

    const all = rows(bot.db);
    expect(all.map((r) => [r.target, r.status])).toEqual([
      ["chat:oc_nobot", "dead"],
      ["user:ou_admin", "dead"],
    ]);
    expect(all[1]?.lastError).toContain(String(CODE.userOutOfRange));
    expect(await bot.worker.tick()).toBe(0);
    expect(rows(bot.db)).toHaveLength(2);
    expect(fake.state.messages).toHaveLength(0);
  });
});
