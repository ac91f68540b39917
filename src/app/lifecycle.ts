import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Koa from "koa";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { OutboxWorker } from "../outbox/worker.ts";
import type { PlatformModule } from "../platforms/module.ts";
import type { Timers } from "../scheduler/timers.ts";
import { type Checkpointer, startCheckpointer } from "../store/checkpointer.ts";
import type { Db } from "../store/db.ts";
import type { GroupCommit } from "../store/group-commit.ts";
import { pruneInbound, pruneOutbox } from "../store/prune.ts";

export interface LifecycleParts {
  config: Config;
  clock: Clock;
  log: Logger;
  db: Db;
  http: Koa;
  worker: OutboxWorker;
  timers: Timers;
  commits: GroupCommit;
  modules: readonly PlatformModule[];
  /** false: no outbox loop and no timer sweep (tests drive them step by step). */
  background: boolean;
  timerPollMs: number;
  connectWaitMs: number;
}

/** The app's start and stop, in the order their steps depend on. */
export function lifecycle(p: LifecycleParts) {
  const { config, clock, db, modules } = p;
  let server: Server | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let checkpointer: Checkpointer | undefined;
  const prune = (now: number) => {
    pruneInbound(db, now);
    pruneOutbox(db, now);
    for (const m of modules) m.prune?.(now);
  };

  async function stop(): Promise<void> {
    if (sweep) clearInterval(sweep);
    for (const m of modules) m.close?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await p.worker.stop();
    // After the worker: a module's in-flight sends keep its connection. Reverse order: a module that
    // stacks over another stops first.
    for (const m of [...modules].reverse()) await m.stop();
    p.commits.flush(); // nothing should be queued once the server has closed; never leave a batch behind
    await checkpointer?.stop();
    db.$client.close();
  }

  async function start(): Promise<{ url: string }> {
    prune(clock.now());
    p.timers.runDue(); // missed while down: fire once now
    if (config.databasePath !== ":memory:") {
      checkpointer = startCheckpointer(db, config.databasePath, p.log.child({ part: "checkpoint" }));
    }
    if (p.background) {
      p.worker.start();
      let lastPrune = clock.now();
      sweep = setInterval(() => {
        p.timers.runDue();
        // De-dup keys older than 8 days are useless; drop them hourly so the table stays small.
        if (clock.now() - lastPrune > 3_600_000) {
          lastPrune = clock.now();
          prune(lastPrune);
        }
      }, p.timerPollMs);
    }
    // Long connections and logins (WeChat logs in in the background: the bot does not wait for it).
    for (const m of modules) m.start?.();
    server = p.http.listen(config.port, config.host);
    await new Promise<void>((resolve, reject) => {
      server?.once("listening", resolve).once("error", reject);
    });
    try {
      for (const m of modules) await m.ready?.(p.connectWaitMs);
    } catch (err) {
      // Refused credentials of a long connection: stop what started, then fail like a bad variable.
      await stop();
      throw err;
    }
    const addr = server.address() as AddressInfo;
    const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
    return { url: `http://${host}:${addr.port}` };
  }

  return { start, stop };
}
