import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { Db } from "./db.ts";

/**
 * Copies the WAL back into the database file from a worker thread. SQLite's automatic checkpoint runs
 * inside whichever COMMIT crosses the threshold, with two fsyncs, on the only thread that answers
 * callbacks: every few hundred card clicks one of them waited for the disk (it showed as the p99 of
 * `npm run bench`). A PASSIVE checkpoint on a second connection never blocks the writer or readers, so
 * it runs here every second; the main connection keeps a high automatic threshold only as a safety net
 * in case this thread dies.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 0");
const tick = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); }
  catch (err) { parentPort.postMessage({ error: String(err) }); }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Pages (of 4 KiB) the WAL may reach before a COMMIT checkpoints by itself (the worker normally has). */
const SAFETY_NET_PAGES = 16_384;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(db: Db, path: string, log: Logger, everyMs = 1000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs } });
  db.$client.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  worker.on("message", (m: { error?: string }) => {
    if (m.error) log.warn({ err: m.error }, "background WAL checkpoint failed; will retry");
  });
  worker.on("error", (err) => {
    log.error({ err }, "WAL checkpoint thread died; COMMITs checkpoint by themselves from now on");
    if (db.$client.open) db.$client.pragma("wal_autocheckpoint = 1000");
  });
  worker.unref(); // never keeps the process alive on its own
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      worker.ref(); // keep the process alive until the thread has closed its connection
      worker.postMessage("stop"); // ignored by a thread that already died; `exited` has resolved then
      await exited;
    },
  };
}
