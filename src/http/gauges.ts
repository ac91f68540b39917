import type { OutboxWorker } from "../outbox/worker.ts";
import type { Db } from "../store/db.ts";
import { gauge } from "./metrics.ts";

/** The gauges read from the database at scrape time (GET /metrics). */
export function dbGauges(db: Db, worker: OutboxWorker): void {
  const count = (sql: string) => Number((db.$client.prepare(sql).get() as { n: number }).n);
  gauge("bot_outbox_depth", "Outbox rows waiting for delivery", () => worker.depth());
  gauge("bot_outbox_dead", "Outbox rows that stopped retrying (see /outbox, /outbox retry)", () =>
    count("select count(*) n from outbox where status = 'dead'"),
  );
  gauge("bot_open_breaches", "Review steps past their deadline and still waiting", () =>
    count("select count(*) n from review_steps where status='pending' and breached_at is not null"),
  );
}
