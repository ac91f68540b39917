import { type Db, tx } from "./db.ts";

interface Job {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for inbound callbacks. A burst of card clicks (a reviewer clearing a queue, 或签 copies
 * clicked together, a crisis page acknowledged by several people) arrives as many requests in the same
 * event-loop turn. Each used to pay for its own COMMIT, which writes every page it touched to the WAL:
 * ~35 pages for one decision, mostly the same tail pages of the outbox, timers and archive tables that
 * the next decision touches again. Here the requests that arrived in one turn run back to back in ONE
 * transaction, each atomic on its own (a failing one rolls back alone), and all are answered
 * after the single COMMIT — so nobody is told "done" before it is durable, and nothing else (the outbox
 * worker, timers) can run between a job and its commit: the batch runs synchronously from start to end.
 *
 * Measured by `npm run bench` (docs/performance.md): about half the CPU per decision, and a fraction of the WAL.
 */
export class GroupCommit {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    /** Caps one transaction, so the write lock and the answers are never held long. */
    private readonly maxBatch = 64,
  ) {}

  /**
   * Runs fn in the next batch's transaction; resolves (or rejects) once that batch committed. fn must be
   * atomic: all its writes inside one `tx()` (a savepoint in the batch), as the dispatcher's methods are,
   * so that when it throws nothing of it is left and the rest of the batch still commits. One savepoint
   * per job, not a second one around it (a card click used to open two, and the decision code a third).
   */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        // The check phase runs after every socket that was readable in this turn has been read.
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  /** Commits what is queued now (also called when the batch is full, and on shutdown). */
  flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    try {
      tx(this.db, () => {
        for (const job of batch) {
          try {
            // No savepoint of its own: a job is atomic by contract (see run), so a failing one has
            // already undone its writes and the batch goes on.
            outcomes.push({ ok: true, value: job.fn() });
          } catch (err) {
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      // The COMMIT itself failed (disk full, I/O error): none of the batch happened.
      for (const job of batch) job.reject(err);
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i];
      if (o?.ok) job.resolve(o.value);
      else job.reject(o?.err);
    });
  }
}
