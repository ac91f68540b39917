import type Koa from "koa";
import type { Logger } from "pino";
import { lifecycle } from "./app/lifecycle.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import { type Core, createCore } from "./core/core.ts";
import { Dispatcher } from "./core/dispatch.ts";
import { features } from "./core/features.ts";
import { People } from "./core/people/people.ts";
import { Policy } from "./core/policy/policy.ts";
import { Channels } from "./http/channels.ts";
import { dbGauges } from "./http/gauges.ts";
import { buildHttp, type HttpRoutes } from "./http/server.ts";
import { createLogger } from "./log.ts";
import { OutboxWriter } from "./outbox/outbound.ts";
import { OutboxWorker, type WorkerOptions } from "./outbox/worker.ts";
import { enabledModules, outgoing, type PlatformTuning } from "./platforms/index.ts";
import type { WechatChannel } from "./platforms/wechaty/channel.ts";
import { wechatChannelOf } from "./platforms/wechaty/index.ts";
import { Timers } from "./scheduler/timers.ts";
import { type Db, openDb } from "./store/db.ts";
import { GroupCommit } from "./store/group-commit.ts";

export interface AppOptions extends PlatformTuning {
  config: Config;
  clock?: Clock;
  log?: Logger;
  worker?: WorkerOptions;
  /** How often due timers are looked for (ms). */
  timerPollMs?: number;
  /** false: no outbox loop and no timer sweep (tests drive them step by step). Default true. */
  background?: boolean;
  /** Extra routes (the sandbox page). */
  routes?: HttpRoutes[];
  /** How long start() waits for a long connection's first outcome before going on (default 10 s). */
  connectWaitMs?: number;
}

export interface App {
  config: Config;
  db: Db;
  core: Core;
  dispatcher: Dispatcher;
  worker: OutboxWorker;
  timers: Timers;
  /** The WeChat channel, when WECHATY_PUPPET is set. */
  wechat: WechatChannel | undefined;
  http: Koa;
  log: Logger;
  /** Each configured channel's state (/healthz, /metrics). */
  channels: Channels;
  /**
   * Starts HTTP, the outbox worker and the timer sweep. With FEISHU_MODE=ws it waits for the long
   * connection: refused credentials stop start-up with a ConfigError naming the variables.
   */
  start(): Promise<{ url: string }>;
  /** SIGTERM path: stop accepting, finish in-flight deliveries, close the DB. */
  stop(): Promise<void>;
}

/**
 * The composition root: the only place that knows every part. Platforms are modules
 * (src/platforms/index.ts): built when configured, bound to the dispatcher, started and stopped in turn.
 */
export function createApp(opts: AppOptions): App {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const db = openDb(config.databasePath);
  const people = new People(db, clock, config.admins);
  const policy = new Policy(db, clock);
  const timers = new Timers(db, clock, log);
  const channels = new Channels();

  const modules = enabledModules(config, { db, clock, log, channels }, opts);
  const { renderers, deliverers, capabilities } = outgoing(modules);
  const writer = new OutboxWriter(db, clock, people, renderers, config.admins, capabilities);

  const services = { db, clock, tz: config.timezone, log, outbound: writer, timers, people, policy };
  const core = createCore(services, features);
  const dispatcher = new Dispatcher(core);

  const commits = new GroupCommit(db);
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
  const inbound = { dispatcher, outbound: writer, commits, wake: () => worker.wake() };
  const routes = [...(opts.routes ?? []), ...modules.flatMap((m) => m.init(inbound))];
  dbGauges(db, worker);
  const http = buildHttp(db, log, routes, channels);
  const { start, stop } = lifecycle({
    config,
    clock,
    log,
    db,
    http,
    worker,
    timers,
    commits,
    modules,
    background: opts.background !== false,
    timerPollMs: opts.timerPollMs ?? 1000,
    connectWaitMs: opts.connectWaitMs ?? 10_000,
  });

  return {
    config,
    db,
    core,
    dispatcher,
    worker,
    timers,
    http,
    log,
    channels,
    start,
    stop,
    get wechat() {
      return wechatChannelOf(modules);
    },
  };
}
