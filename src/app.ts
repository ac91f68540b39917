import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Router from "@koa/router";
import type Koa from "koa";
import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import { Core } from "./core/core.ts";
import { Dispatcher } from "./core/dispatch.ts";
import { People } from "./core/people/people.ts";
import { Policy } from "./core/policy/policy.ts";
import type { Platform } from "./core/types.ts";
import { gauge } from "./http/metrics.ts";
import { buildHttp, type HttpRoutes } from "./http/server.ts";
import { createLogger } from "./log.ts";
import { OutboxWriter, type Renderer } from "./outbox/outbound.ts";
import { type Deliverer, OutboxWorker, type WorkerOptions } from "./outbox/worker.ts";
import { FeishuApi } from "./platforms/feishu/api.ts";
import { FeishuDeliverer, type FeishuLimits } from "./platforms/feishu/deliver.ts";
import { feishuHandlers, feishuWebhook } from "./platforms/feishu/receiver.ts";
import { FeishuRenderer } from "./platforms/feishu/render.ts";
import { startFeishuWs } from "./platforms/feishu/ws.ts";
import { Timers } from "./scheduler/timers.ts";
import { type Db, openDb } from "./store/db.ts";
import { pruneInbound } from "./store/prune.ts";

export interface AppOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  feishuLimits?: FeishuLimits;
  worker?: WorkerOptions;
  /** How often due timers are looked for (ms). */
  timerPollMs?: number;
  /** false: no outbox loop and no timer sweep (tests drive them step by step). Default true. */
  background?: boolean;
  /** Extra routes (the sandbox page). */
  routes?: HttpRoutes[];
}

export interface App {
  config: Config;
  db: Db;
  core: Core;
  dispatcher: Dispatcher;
  worker: OutboxWorker;
  timers: Timers;
  http: Koa;
  log: Logger;
  /** Starts HTTP, the outbox worker and the timer sweep. */
  start(): Promise<{ url: string }>;
  /** SIGTERM path: stop accepting, finish in-flight deliveries, close the DB. */
  stop(): Promise<void>;
}

/** The composition root: the only place that knows every part. */
export function createApp(opts: AppOptions): App {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const db = openDb(config.databasePath);
  const people = new People(db, clock, config.admins);
  const policy = new Policy(db, clock);
  const timers = new Timers(db, clock, log);

  const renderers: Partial<Record<Platform, Renderer>> = {};
  const deliverers: Partial<Record<Platform, Deliverer>> = {};
  const routes: HttpRoutes[] = [...(opts.routes ?? [])];
  let feishuRenderer: FeishuRenderer | undefined;
  let feishuDeliverer: FeishuDeliverer | undefined;
  if (config.feishu) {
    feishuRenderer = new FeishuRenderer();
    renderers.feishu = feishuRenderer;
    const api = new FeishuApi({
      appId: config.feishu.appId,
      appSecret: config.feishu.appSecret,
      domain: config.feishu.domain,
    });
    feishuDeliverer = new FeishuDeliverer(api, log.child({ platform: "feishu" }), opts.feishuLimits);
    deliverers.feishu = feishuDeliverer;
  }

  const writer = new OutboxWriter(db, clock, people, renderers, config.admins);
  const core = new Core({ db, clock, tz: config.timezone, log, outbound: writer, timers, people, policy });
  const dispatcher = new Dispatcher(core);
  const adminTargets = new Set(config.admins.map((a) => `${a.platform}:user:${a.userId}`));
  const worker = new OutboxWorker(
    db,
    clock,
    log.child({ part: "outbox" }),
    deliverers,
    writer,
    adminTargets,
    opts.worker,
  );

  let stopWs: (() => void) | undefined;
  if (config.feishu && feishuRenderer) {
    const handlers = feishuHandlers(dispatcher, feishuRenderer, log.child({ platform: "feishu" }));
    const feishu = config.feishu;
    if (feishu.mode === "webhook") {
      routes.push({ mount: (r: Router) => r.post("/webhooks/feishu", feishuWebhook(feishu, handlers, log)) });
    } else {
      stopWs = startFeishuWs(feishu, handlers, log);
    }
  }

  gauge("bot_outbox_depth", "Outbox rows waiting for delivery", () => worker.depth());
  gauge("bot_open_breaches", "Review steps past their deadline and still waiting", () =>
    Number(
      (
        db.$client
          .prepare("select count(*) n from review_steps where status='pending' and breached_at is not null")
          .get() as {
          n: number;
        }
      ).n,
    ),
  );

  const http = buildHttp(db, log, routes);
  let server: Server | undefined;
  let sweep: NodeJS.Timeout | undefined;

  return {
    config,
    db,
    core,
    dispatcher,
    worker,
    timers,
    http,
    log,
    async start() {
      pruneInbound(db, clock.now());
      timers.runDue(); // missed while down: fire once now
      if (opts.background !== false) {
        worker.start();
        let lastPrune = clock.now();
        sweep = setInterval(() => {
          timers.runDue();
          // De-dup keys older than 8 days are useless; drop them hourly so the table stays small.
          if (clock.now() - lastPrune > 3_600_000) {
            lastPrune = clock.now();
            pruneInbound(db, lastPrune);
          }
        }, opts.timerPollMs ?? 1000);
      }
      server = http.listen(config.port, config.host);
      await new Promise<void>((resolve, reject) => {
        server?.once("listening", resolve).once("error", reject);
      });
      const addr = server.address() as AddressInfo;
      const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
      return { url: `http://${host}:${addr.port}` };
    },
    async stop() {
      if (sweep) clearInterval(sweep);
      stopWs?.();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await worker.stop();
      await feishuDeliverer?.stop();
      db.$client.close();
    },
  };
}
