/**
 * The outbox delivers what was written, in the writer's transaction: texts to people and chats, files,
 * across a token expiry.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CODE } from "../../src/platforms/sandbox/open-platform/index.ts";
import { tx } from "../../src/store/db.ts";
import { chat, cleanUp, message, rowAt, rows, setup, text } from "./support.ts";

afterEach(cleanUp);

describe("OutboxWriter", () => {
  it("writes rows in the caller's transaction: a rollback leaves nothing to send", async () => {
    const { bot } = await setup();
    expect(() =>
      tx(bot.db, () => {
        bot.writer.toChat(chat("oc_ops"), text("不会发出"));
        throw new Error("state change failed");
      }),
    ).toThrow("state change failed");
    expect(rows(bot.db)).toHaveLength(0);
  });
});

describe("OutboxWorker → FeishuDeliverer → fake Feishu over HTTP", () => {
  it("delivers a text to a person and a text to a chat; rows become done with the message_id", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const wang = bot.people.ensure("feishu", "ou_wang", "小王");
    expect(bot.writer.toPerson(wang, text("你好，小王"))).toBe(1);
    bot.writer.toChat(chat("oc_ops"), text("运营群好"));
    expect(bot.worker.depth()).toBe(2);

    await bot.worker.drain();

    const [dm, group] = rows(bot.db);
    expect(dm).toMatchObject({ status: "done", attempts: 1, target: "user:ou_wang", lastError: null });
    expect(group).toMatchObject({ status: "done", attempts: 1, target: "chat:oc_ops", lastError: null });
    const m1 = message(fake, dm?.messageId ?? null);
    expect(m1).toMatchObject({ receiveIdType: "open_id", receiveId: "ou_wang", chatId: "oc_p2p_ou_wang" });
    expect(m1.content).toEqual({ text: "你好，小王" });
    expect(m1.uuid).toBe(dm?.idemKey);
    const m2 = message(fake, group?.messageId ?? null);
    expect(m2).toMatchObject({
      receiveIdType: "chat_id",
      receiveId: "oc_ops",
      chatId: "oc_ops",
      msgType: "text",
    });
    expect(m2.content).toEqual({ text: "运营群好" });
    expect(m2.uuid).toBe(group?.idemKey);
    expect(bot.worker.depth()).toBe(0);
  });

  it("survives token expiry in the middle: clears the token, fetches a new one, delivers", async () => {
    const env = await setup();
    const { bot, fake } = env;
    bot.writer.toChat(chat("oc_ops"), text("令牌有效"));
    await bot.worker.drain();
    expect(fake.state.tokenRequests).toBe(1);

    fake.state.expireAllTokens();
    bot.writer.toChat(chat("oc_ops"), text("令牌过期后"));
    await bot.worker.drain();

    const after = rowAt(bot.db, 1);
    expect(after.status).toBe("done");
    expect(fake.state.rejected(CODE.tokenInvalid)).toBe(1);
    expect(fake.state.tokenRequests).toBe(2);
    expect(fake.state.messagesTo("oc_ops").map((m) => (m.content as { text: string }).text)).toEqual([
      "令牌有效",
      "令牌过期后",
    ]);
  });

  it("a file message is uploaded, then sent as msg_type file; the fake has the bytes", async () => {
    const env = await setup();
    const { bot, fake } = env;
    const bytes = Buffer.concat([
      Buffer.from("\uFEFF编号,标题\n#1,周末新本首发\n", "utf8"),
      Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x2d, 0x2d]),
    ]);
    bot.writer.toChat(chat("oc_ops"), {
      type: "file",
      fileName: "审核台账-2026-11.csv",
      base64: bytes.toString("base64"),
    });

    await bot.worker.drain();

    const row = rowAt(bot.db, 0);
    expect(row.status).toBe("done");
    const m = message(fake, row.messageId);
    expect(m.msgType).toBe("file");
    const key = (m.content as { file_key: string }).file_key;
    const stored = fake.state.files.get(key);
    expect(stored?.fileName).toBe("审核台账-2026-11.csv");
    expect(stored?.bytes.equals(bytes)).toBe(true);
  });
});
