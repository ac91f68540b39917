import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { type Db, tx } from "../store/db.ts";
import { arg, prepared, setArg } from "../store/prepared.ts";
import { timers } from "../store/schema/index.ts";

// Every review step arms and disarms two timers on the card-click path: prepared once per database.
const upsertTimer = prepared((db) =>
  db
    .insert(timers)
    .values({
      kind: arg("kind"),
      ref: arg("ref"),
      fireAt: arg("fireAt"),
      payload: arg("payload"),
      status: "pending",
      createdAt: arg("now"),
    })
    .onConflictDoUpdate({
      target: [timers.kind, timers.ref],
      set: { fireAt: setArg("fireAt"), payload: setArg("payloadJson"), status: "pending", firedAt: null },
    })
    .prepare(),
);
const cancelTimer = prepared((db) =>
  db
    .update(timers)
    .set({ status: "cancelled" })
    .where(and(eq(timers.kind, arg("kind")), eq(timers.ref, arg("ref")), eq(timers.status, "pending")))
    .prepare(),
);

export interface TimerRow {
  id: number;
  kind: string;
  ref: string;
  fireAt: number;
  payload: TimerPayload;
}

/** `rule` + `basis` let a `/policy set` move timers that have not fired yet (fireAt = basis + new value). */
export interface TimerPayload {
  rule?: string;
  basis?: number;
  [k: string]: unknown;
}

export type TimerHandler = (timer: TimerRow) => void;

/**
 * Work that belongs to a whole sweep rather than one timer (one reminder message per person, listing all
 * their items). `failed` is told of a timer whose handler threw (its changes were rolled back), `end` runs
 * after the last handler, inside the sweep's transaction.
 */
export interface SweepHook {
  failed(timerId: number): void;
  end(): void;
}

/**
 * Deadlines and reminders as rows. Each timer fires inside the transaction that marks it fired, so the
 * work it does (outbox rows, state) commits together with "fired": never twice, never lost. After
 * downtime the first sweep fires what was missed, once.
 */
export class Timers {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly last = new Set<string>();
  private readonly hooks: SweepHook[] = [];
  /** The timer whose handler is running (inside runDue), for sweep hooks that collect per timer. */
  current: TimerRow | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * `afterOthers`: in a sweep this kind runs after every other due timer (the daily digest), so what it
   * reports includes the breaches recorded by the same sweep, whatever their order of due time.
   */
  on(kind: string, handler: TimerHandler, opts: { afterOthers?: boolean } = {}): void {
    // Two features answering one kind would each think they own its rows: refuse at start-up.
    if (this.handlers.has(kind)) throw new Error(`timer kind ${kind} registered twice`);
    this.handlers.set(kind, handler);
    if (opts.afterOthers) this.last.add(kind);
  }

  onSweep(hook: SweepHook): void {
    this.hooks.push(hook);
  }

  /** Creates or re-arms the timer (kind, ref). Call inside the caller's transaction. */
  schedule(kind: string, ref: string, fireAt: number, payload: TimerPayload = {}): void {
    // The insert's placeholder goes through the column's JSON encoder; the update's raw one does not.
    upsertTimer(this.db).run({
      kind,
      ref,
      fireAt,
      payload,
      payloadJson: JSON.stringify(payload),
      now: this.clock.now(),
    });
  }

  cancel(kind: string, ref: string): void {
    cancelTimer(this.db).run({ kind, ref });
  }

  /** A rule changed: move pending timers that were computed from it. */
  reschedule(rule: string, valueMs: number): number {
    const res = this.db
      .update(timers)
      .set({ fireAt: sql`json_extract(${timers.payload}, '$.basis') + ${valueMs}` })
      .where(and(eq(timers.status, "pending"), sql`json_extract(${timers.payload}, '$.rule') = ${rule}`))
      .run();
    return res.changes;
  }

  pending(kind: string, ref: string): TimerRow | undefined {
    const row = this.db
      .select()
      .from(timers)
      .where(and(eq(timers.kind, kind), eq(timers.ref, ref), eq(timers.status, "pending")))
      .get();
    return row ? toRow(row) : undefined;
  }

  /** The earliest due time of a pending timer in (after, until], if any: where a fast-forward stops next. */
  nextFireAt(after: number, until: number): number | undefined {
    const row = this.db
      .select({ fireAt: timers.fireAt })
      .from(timers)
      .where(and(eq(timers.status, "pending"), gt(timers.fireAt, after), lte(timers.fireAt, until)))
      .orderBy(asc(timers.fireAt))
      .limit(1)
      .get();
    return row?.fireAt;
  }

  /** Fires every due timer, oldest first (`afterOthers` kinds last). Returns how many fired. */
  runDue(limit = 500): number {
    const now = this.clock.now();
    const rows = this.db
      .select()
      .from(timers)
      .where(and(eq(timers.status, "pending"), lte(timers.fireAt, now)))
      .orderBy(asc(timers.fireAt), asc(timers.id))
      .limit(limit)
      .all();
    if (rows.length === 0) return 0;
    const due = [...rows.filter((r) => !this.last.has(r.kind)), ...rows.filter((r) => this.last.has(r.kind))];
    // One transaction for the sweep, one savepoint per timer: a failing handler rolls back only its own
    // work, and what the sweep hooks send (one message per person) commits together with the timers.
    return tx(this.db, () => {
      const fired = this.fire(due, now);
      for (const hook of this.hooks) hook.end();
      return fired;
    });
  }

  private fire(due: (typeof timers.$inferSelect)[], now: number): number {
    let fired = 0;
    for (const row of due) {
      const handler = this.handlers.get(row.kind);
      if (!handler) {
        this.log.warn({ kind: row.kind, ref: row.ref }, "no handler for timer kind; left pending");
        continue;
      }
      try {
        const didFire = tx(this.db, () => {
          const claimed = this.db
            .update(timers)
            .set({ status: "fired", firedAt: now })
            .where(and(eq(timers.id, row.id), eq(timers.status, "pending"), lte(timers.fireAt, now)))
            .run();
          if (claimed.changes !== 1) return false;
          this.current = toRow(row);
          handler(this.current);
          return true;
        });
        if (didFire) fired++;
      } catch (err) {
        for (const hook of this.hooks) hook.failed(row.id);
        // The transaction rolled back, so the timer is still pending and will be tried on the next sweep.
        this.log.error({ err, kind: row.kind, ref: row.ref }, "timer handler failed");
      } finally {
        this.current = undefined;
      }
    }
    return fired;
  }
}

function toRow(row: typeof timers.$inferSelect): TimerRow {
  return {
    id: row.id,
    kind: row.kind,
    ref: row.ref,
    fireAt: row.fireAt,
    payload: (row.payload ?? {}) as TimerPayload,
  };
}
