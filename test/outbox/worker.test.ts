/**
 * The outbox worker against the fake Feishu over real HTTP, built from the real parts by hand:
 * real SQLite file and migrations, People, OutboxWriter + FeishuRenderer, FeishuApi, FeishuDeliverer.
 * Most tests share a ManualClock between the bot and the fake, so backoff and rate-limit windows only move
 * when the test says so; the pacing test uses the system clock because the limiters pace in real time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type Clock, ManualClock, systemClock } from "../../src/clock.ts";
import { People } from "../../src/core/people/people.ts";
import type { CardView, OutMessage } from "../../src/core/types.ts";
import { OutboxWriter } from "../../src/outbox/outbound.ts";
import { type Deliverer, type OutboxRow, OutboxWorker } from "../../src/outbox/worker.ts";
import { FeishuApi } from "../../src/platforms/feishu/api.ts";
import { FEISHU_LIMITS, FeishuDeliverer } from "../../src/platforms/feishu/deliver.ts";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import {
  CODE,
  type FakeFeishu,
  type FakeFeishuOptions,
  type FakeMessage,
  startFakeFeishu,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import { type Db, openDb, tx } from "../../src/store/db.ts";
import { outbox } from "../../src/store/schema/index.ts";

const APP = { appId: "cli_outbox", appSecret: "secret_outbox" };
const ADMIN = { platform: "feishu" as const, userId: "ou_admin" };
const START = Date.parse("2026-11-16T10:00:00+08:00");
const log = pino({ level: "silent" });

interface Bot {
  db: Db;
  people: People;
  writer: OutboxWriter;
  api: FeishuApi;
  deliverer: FeishuDeliverer;
  worker: OutboxWorker;
}

interface Env {
  fake: FakeFeishu;
  clock: Clock;
  dbPath: string;
  bot: Bot;
}

const dirs: string[] = [];
const fakes: FakeFeishu[] = [];
const bots: Bot[] = [];

/** One "process" of the bot on a database file: what createApp wires, minus HTTP and timers. */
function boot(dbPath: string, fake: FakeFeishu, clock: Clock, wrap?: (d: Deliverer) => Deliverer): Bot {
  const db = openDb(dbPath);
  const people = new People(db, clock, [ADMIN]);
  const writer = new OutboxWriter(db, clock, people, { feishu: new FeishuRenderer() }, [ADMIN]);
  const api = new FeishuApi({ ...APP, domain: fake.url, timeoutMs: 2000 });
  const deliverer = new FeishuDeliverer(api, log, FEISHU_LIMITS);
  const adminTargets = new Set([`${ADMIN.platform}:user:${ADMIN.userId}`]);
  const worker = new OutboxWorker(
    db,
    clock,
    log,
    { feishu: wrap ? wrap(deliverer) : deliverer },
    writer,
    adminTargets,
    { pollMs: 50 },
  );
  const bot = { db, people, writer, api, deliverer, worker };
  bots.push(bot);
  return bot;
}

async function shutdown(bot: Bot): Promise<void> {
  const i = bots.indexOf(bot);
  if (i < 0) return;
  bots.splice(i, 1);
  await bot.worker.stop();
  await bot.deliverer.stop();
  if (bot.db.$client.open) bot.db.$client.close();
}

async function setup(opts: { fake?: Partial<FakeFeishuOptions>; clock?: Clock } = {}): Promise<Env> {
  const clock = opts.clock ?? new ManualClock(START);
  const fake = await startFakeFeishu({ ...APP, clock, ...opts.fake });
  fakes.push(fake);
  const dir = mkdtempSync(join(tmpdir(), "outbox-test-"));
  dirs.push(dir);
  const dbPath = join(dir, "bot.db");
  return { fake, clock, dbPath, bot: boot(dbPath, fake, clock) };
}

afterEach(async () => {
  for (const b of [...bots]) await shutdown(b);
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const text = (t: string): OutMessage => ({ type: "text", text: t });
const chat = (chatId: string) => ({ platform: "feishu" as const, chatId });
const rows = (db: Db): OutboxRow[] => db.select().from(outbox).orderBy(asc(outbox.id)).all();
const rowAt = (db: Db, i: number): OutboxRow => {
  const r = rows(db)[i];
  if (!r) throw new Error(`no outbox row #${i}`);
  return r;
};
const message = (fake: FakeFeishu, id: string | null): FakeMessage => {
  const m = id ? fake.state.byId.get(id) : undefined;
  if (!m) throw new Error(`the fake has no message ${id}`);
  return m;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drains; while retries are waiting, moves the manual clock to the next one that is due. */
async function settle(bot: Bot, clock: ManualClock, rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await bot.worker.drain();
    const pending = rows(bot.db).filter((r) => r.status === "pending");
    if (pending.length === 0) return;
    clock.set(Math.max(clock.now(), Math.min(...pending.map((r) => r.nextAttemptAt))));
  }
  throw new Error("outbox did not settle");
}

/** Same with the system clock: drains, and waits for retries to become due. */
async function settleReal(bot: Bot, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await bot.worker.drain();
    if (bot.worker.depth() === 0) return;
    await sleep(50);
  }
  throw new Error("outbox did not settle");
}

const noticeCard = (title: string, body: string): CardView => ({
  template: "notice",
  data: { title, color: "blue", text: body },
});

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
    bots.splice(bots.indexOf(p1), 1);
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
