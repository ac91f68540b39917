import { and, asc, eq, inArray, isNotNull, lt, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Platform } from "../core/types.ts";
import { metrics } from "../http/metrics.ts";
import { type Db, tx } from "../store/db.ts";
import { outbox } from "../store/schema/index.ts";
import { deadLetterNotice } from "./dead-letter.ts";
import type { OutboxWriter } from "./outbound.ts";
import type { DeliveryResult } from "./types.ts";

export type OutboxRow = typeof outbox.$inferSelect;

/** One platform's delivery: it owns that platform's API client and rate limiters. */
export interface Deliverer {
  /**
   * `copies` are the message ids of every delivered copy of the row's card (op = update), or the one
   * delivered message a buzz is about (op = urgent).
   */
  deliver(row: OutboxRow, copies: string[]): Promise<DeliveryResult>;
}

export interface WorkerOptions {
  pollMs?: number;
  /** Retryable failures are retried with backoff until the row is this old, then dead-lettered. */
  maxAgeMs?: number;
  batch?: number;
}

/**
 * Delivers outbox rows. A row is pending until the platform accepted it; killing the process mid-send
 * leaves it pending and the resend carries the same idempotency key (Feishu drops a repeated `uuid`
 * within an hour), so nothing is lost and nothing arrives twice.
 */
export class OutboxWorker {
  /** Rows being delivered right now, with their card (an update must not overtake them). */
  private readonly inFlight = new Map<number, string | null>();
  private loop: NodeJS.Timeout | undefined;
  private running = false;
  private readonly deliveries = new Set<Promise<unknown>>();
  private wakeQueued = false;
  private readonly pollMs: number;
  private readonly maxAgeMs: number;
  private readonly batch: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly deliverers: Partial<Record<Platform, Deliverer>>,
    private readonly writer: OutboxWriter,
    private readonly adminTargets: ReadonlySet<string>,
    opts: WorkerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 500;
    this.maxAgeMs = opts.maxAgeMs ?? 24 * 3_600_000;
    this.batch = opts.batch ?? 200;
  }

  start(): void {
    this.running = true;
    this.writer.onWrite(() => this.wake());
    this.loop = setInterval(() => this.kick(), this.pollMs);
    this.kick();
  }

  /** Stops picking up rows and waits for the deliveries in flight (SIGTERM path). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.loop) clearInterval(this.loop);
    await Promise.allSettled([...this.deliveries]);
  }

  /** New rows were written: deliver soon (after the writing transaction has committed). */
  wake(): void {
    if (!this.running || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.kick();
    });
  }

  /**
   * Starts deliveries of due rows without waiting for them: a chat where Feishu hangs (10 s timeout)
   * must not hold up every other chat. Rows in flight are skipped until they finish.
   */
  private kick(): void {
    if (!this.running) return;
    const run = this.tick().catch((err: unknown) => this.log.error({ err }, "outbox tick failed"));
    this.deliveries.add(run);
    void run.finally(() => this.deliveries.delete(run));
  }

  /** Delivers until nothing is due (tests and shutdown). */
  async drain(maxRounds = 1000): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      if ((await this.tick()) === 0) return;
    }
  }

  /**
   * Delivers everything that can go now and resolves when nothing is in flight. Rows never tried yet
   * were only held back for order (a buzz waits for its send, an update for its card's send), so they
   * are let go at once rather than 300 ms later; rows backing off after a failure are left to the loop.
   * The sandbox's 快进时间 waits for each step's messages with it, so they arrive at that step's time.
   */
  async settle(maxRounds = 100): Promise<void> {
    const release = this.db.$client.prepare(
      "update outbox set next_attempt_at = ? where status = 'pending' and attempts = 0 and next_attempt_at > ?",
    );
    for (let i = 0; i < maxRounds; i++) {
      await this.drain();
      await Promise.allSettled([...this.deliveries]);
      const now = this.clock.now();
      const held = release.run(now, now).changes;
      if (held === 0 && this.inFlight.size === 0) return;
      if (held === 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  depth(): number {
    const row = this.db.$client
      .prepare("select count(*) as n from outbox where status = 'pending'")
      .get() as { n: number };
    return row.n;
  }

  /**
   * Claims due rows and delivers them concurrently (the deliverers' limiters pace them). Rows in flight
   * are passed as one JSON array, not one SQL variable each: during a backlog thousands are in flight
   * (waiting in a limiter), and a list of variables would make a new SQL text, a new compiled statement
   * in the statement cache, on every tick, and fail past SQLite's 32,766 variables.
   */
  async tick(): Promise<number> {
    const now = this.clock.now();
    const inFlight = JSON.stringify([...this.inFlight.keys()]);
    const due = this.db
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.status, "pending"),
          lte(outbox.nextAttemptAt, now),
          sql`${outbox.id} not in (select value from json_each(${inFlight}))`,
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(this.batch)
      .all();
    await Promise.all(due.map((row) => this.deliverOne(row)));
    return due.length;
  }

  private async deliverOne(row: OutboxRow): Promise<void> {
    const deliverer = this.deliverers[row.platform as Platform];
    if (!deliverer) {
      this.finish(row, {
        ok: false,
        retry: false,
        code: "PLATFORM_DISABLED",
        message: "平台未启用",
        where: "platform",
      });
      return;
    }
    let copies: string[] = [];
    if (row.op === "update" && row.cardRef) {
      // An update must not overtake the sends of its card, nor an earlier update still in flight.
      if (this.mustWait(row)) {
        this.db
          .update(outbox)
          .set({ nextAttemptAt: this.clock.now() + 300 })
          .where(eq(outbox.id, row.id))
          .run();
        return;
      }
      copies = this.copiesOf(row);
    }
    if (row.op === "urgent") {
      // A buzz is about one sent message and needs its message id: wait for that send like an update.
      const sent = this.sentMessage(row);
      if (sent === "wait") {
        this.db
          .update(outbox)
          .set({ nextAttemptAt: this.clock.now() + 300 })
          .where(eq(outbox.id, row.id))
          .run();
        return;
      }
      if (sent === undefined) {
        // The message itself was dead-lettered (the admins were told then): nothing to buzz about.
        this.db
          .update(outbox)
          .set({ status: "dead", doneAt: this.clock.now(), lastError: "MESSAGE_NOT_DELIVERED" })
          .where(eq(outbox.id, row.id))
          .run();
        return;
      }
      copies = [sent];
    }
    this.inFlight.set(row.id, row.cardRef);
    try {
      const result = await deliverer.deliver(row, copies).catch(
        (err: unknown): DeliveryResult => ({
          ok: false,
          retry: true,
          code: "DELIVERER_THREW",
          message: String(err),
          where: "network",
        }),
      );
      this.finish(row, result);
    } finally {
      this.inFlight.delete(row.id);
    }
  }

  private mustWait(row: OutboxRow): boolean {
    for (const [id, ref] of this.inFlight) if (ref === row.cardRef && id < row.id) return true;
    const earlier = this.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.cardRef, row.cardRef ?? ""),
          eq(outbox.platform, row.platform),
          inArray(outbox.op, ["send", "update"]),
          eq(outbox.status, "pending"),
          lt(outbox.id, row.id),
        ),
      )
      .get();
    return Boolean(earlier);
  }

  /** The message id of the send a buzz is about; "wait" while that send is pending. */
  private sentMessage(row: OutboxRow): string | "wait" | undefined {
    const sendId = (row.payload as { sendId?: number }).sendId ?? -1;
    const send = this.db
      .select({ status: outbox.status, messageId: outbox.messageId })
      .from(outbox)
      .where(eq(outbox.id, sendId))
      .get();
    if (send?.status === "pending") return "wait";
    return send?.status === "done" ? (send.messageId ?? undefined) : undefined;
  }

  private copiesOf(row: OutboxRow): string[] {
    const except = (row.payload as { exceptMessageId?: string }).exceptMessageId;
    return this.db
      .select({ messageId: outbox.messageId })
      .from(outbox)
      .where(
        and(
          eq(outbox.cardRef, row.cardRef ?? ""),
          eq(outbox.platform, row.platform),
          inArray(outbox.op, ["send"]),
          eq(outbox.status, "done"),
          isNotNull(outbox.messageId),
        ),
      )
      .all()
      .map((r) => r.messageId as string)
      .filter((id) => id !== except);
  }

  private finish(row: OutboxRow, result: DeliveryResult): void {
    const now = this.clock.now();
    if (result.ok) {
      this.db
        .update(outbox)
        .set({ status: "done", doneAt: now, messageId: result.messageId ?? null, attempts: row.attempts + 1 })
        .where(eq(outbox.id, row.id))
        .run();
      metrics.deliveries.inc({ platform: row.platform, op: row.op });
      return;
    }
    const attempts = row.attempts + 1;
    const tooOld = now - row.createdAt > this.maxAgeMs;
    metrics.failures.inc({ platform: row.platform, code: result.code });
    if (result.retry && !tooOld) {
      const backoff = Math.min(300_000, 1000 * 2 ** Math.min(attempts - 1, 9)) * (0.8 + Math.random() * 0.4);
      const wait = Math.max(result.afterMs ?? 0, Math.round(backoff));
      this.db
        .update(outbox)
        .set({ attempts, nextAttemptAt: now + wait, lastError: `${result.code} ${result.message}` })
        .where(and(eq(outbox.id, row.id), eq(outbox.status, "pending")))
        .run();
      this.log.warn(
        { outboxId: row.id, platform: row.platform, code: result.code, wait },
        "delivery failed, will retry",
      );
      return;
    }
    tx(this.db, () => {
      this.db
        .update(outbox)
        .set({ status: "dead", attempts, doneAt: now, lastError: `${result.code} ${result.message}` })
        .where(eq(outbox.id, row.id))
        .run();
      // Tell the admins, unless this row was itself a message to an admin (no notice loops).
      if (!this.adminTargets.has(`${row.platform}:${row.target}`)) {
        this.writer.toAdmins({ type: "text", text: deadLetterNotice(this.db, row, result) });
      }
    });
    this.log.error({ outboxId: row.id, platform: row.platform, code: result.code }, "delivery dead-lettered");
  }
}
