/**
 * Shared parts of the outbox worker tests: the outbox worker against the fake Feishu over real HTTP, built
 * from the real parts by hand: real SQLite file and migrations, People, OutboxWriter + FeishuRenderer,
 * FeishuApi, FeishuDeliverer. Most tests share a ManualClock between the bot and the fake, so backoff and
 * rate-limit windows only move when the test says so; the pacing tests use the system clock because the
 * limiters pace in real time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { pino } from "pino";
import { type Clock, ManualClock } from "../../src/clock.ts";
import { People } from "../../src/core/people/people.ts";
import type { CardView, OutMessage } from "../../src/core/types.ts";
import { OutboxWriter } from "../../src/outbox/outbound.ts";
import { type Deliverer, type OutboxRow, OutboxWorker } from "../../src/outbox/worker.ts";
import { FeishuApi } from "../../src/platforms/feishu/api.ts";
import { FEISHU_LIMITS, FeishuDeliverer } from "../../src/platforms/feishu/deliver.ts";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import {
  type FakeFeishu,
  type FakeFeishuOptions,
  type FakeMessage,
  startFakeFeishu,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import { type Db, openDb } from "../../src/store/db.ts";
import { outbox } from "../../src/store/schema/index.ts";

export const APP = { appId: "cli_outbox", appSecret: "secret_outbox" };
const ADMIN = { platform: "feishu" as const, userId: "ou_admin" };
const START = Date.parse("2026-11-16T10:00:00+08:00");
const log = pino({ level: "silent" });

export interface Bot {
  db: Db;
  people: People;
  writer: OutboxWriter;
  api: FeishuApi;
  deliverer: FeishuDeliverer;
  worker: OutboxWorker;
}

export interface Env {
  fake: FakeFeishu;
  clock: Clock;
  dbPath: string;
  bot: Bot;
}

const dirs: string[] = [];
const fakes: FakeFeishu[] = [];
const bots: Bot[] = [];

/** One "process" of the bot on a database file: what createApp wires, minus HTTP and timers. */
export function boot(
  dbPath: string,
  fake: FakeFeishu,
  clock: Clock,
  wrap?: (d: Deliverer) => Deliverer,
): Bot {
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

export async function shutdown(bot: Bot): Promise<void> {
  const i = bots.indexOf(bot);
  if (i < 0) return;
  bots.splice(i, 1);
  await bot.worker.stop();
  await bot.deliverer.stop();
  if (bot.db.$client.open) bot.db.$client.close();
}

export async function setup(opts: { fake?: Partial<FakeFeishuOptions>; clock?: Clock } = {}): Promise<Env> {
  const clock = opts.clock ?? new ManualClock(START);
  const fake = await startFakeFeishu({ ...APP, clock, ...opts.fake });
  fakes.push(fake);
  const dir = mkdtempSync(join(tmpdir(), "outbox-test-"));
  dirs.push(dir);
  const dbPath = join(dir, "bot.db");
  return { fake, clock, dbPath, bot: boot(dbPath, fake, clock) };
}

/** For afterEach: stops every bot still running, closes the fakes, removes the database files. */
export async function cleanUp(): Promise<void> {
  for (const b of [...bots]) await shutdown(b);
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Forgets a bot that "died" (closed by hand), so cleanUp does not stop it again. */
export function forget(bot: Bot): void {
  bots.splice(bots.indexOf(bot), 1);
}

export const text = (t: string): OutMessage => ({ type: "text", text: t });
export const chat = (chatId: string) => ({ platform: "feishu" as const, chatId });
export const rows = (db: Db): OutboxRow[] => db.select().from(outbox).orderBy(asc(outbox.id)).all();
export const rowAt = (db: Db, i: number): OutboxRow => {
  const r = rows(db)[i];
  if (!r) throw new Error(`no outbox row #${i}`);
  return r;
};
export const message = (fake: FakeFeishu, id: string | null): FakeMessage => {
  const m = id ? fake.state.byId.get(id) : undefined;
  if (!m) throw new Error(`the fake has no message ${id}`);
  return m;
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drains; while retries are waiting, moves the manual clock to the next one that is due. */
export async function settle(bot: Bot, clock: ManualClock, rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await bot.worker.drain();
    const pending = rows(bot.db).filter((r) => r.status === "pending");
    if (pending.length === 0) return;
    clock.set(Math.max(clock.now(), Math.min(...pending.map((r) => r.nextAttemptAt))));
  }
  throw new Error("outbox did not settle");
}

/** Same with the system clock: drains, and waits for retries to become due. */
export async function settleReal(bot: Bot, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await bot.worker.drain();
    if (bot.worker.depth() === 0) return;
    await sleep(50);
  }
  throw new Error("outbox did not settle");
}

export const noticeCard = (title: string, body: string): CardView => ({
  template: "notice",
  data: { title, color: "blue", text: body },
});
