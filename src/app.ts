import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Router from "@koa/router";
import type Koa from "koa";
import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.ts";
import { type Config, ConfigError } from "./config.ts";
import { type Core, createCore } from "./core/core.ts";
import { Dispatcher } from "./core/dispatch.ts";
import { features } from "./core/features.ts";
import { People } from "./core/people/people.ts";
import { Policy } from "./core/policy/policy.ts";
import type { Platform } from "./core/types.ts";
import { Channels } from "./http/channels.ts";
import { gauge } from "./http/metrics.ts";
import { buildHttp, type HttpRoutes } from "./http/server.ts";
import { createLogger } from "./log.ts";
import { OutboxWriter, type Renderer } from "./outbox/outbound.ts";
import { type Deliverer, OutboxWorker, type WorkerOptions } from "./outbox/worker.ts";
import { FeishuApi } from "./platforms/feishu/api.ts";
import { FeishuDeliverer, type FeishuLimits } from "./platforms/feishu/deliver.ts";
import { feishuHandlers, feishuWebhook } from "./platforms/feishu/receiver.ts";
import { FeishuRenderer } from "./platforms/feishu/render.ts";
import { type FeishuWs, startFeishuWs, WS_REFUSED } from "./platforms/feishu/ws.ts";
import { WechatChannel } from "./platforms/wechaty/channel.ts";
import { WechatDeliverer, type WechatLimits } from "./platforms/wechaty/deliver.ts";
import { WechatRenderer } from "./platforms/wechaty/render.ts";
import { WecomApi } from "./platforms/wecom/api.ts";
import { WecomDeliverer, type WecomLimits } from "./platforms/wecom/deliver.ts";
import { wecomRoutes } from "./platforms/wecom/receiver.ts";
import { WecomRenderer } from "./platforms/wecom/render.ts";
import { type WecomBotOptions, wecomBotModule } from "./platforms/wecom-bot/index.ts";
import { Timers } from "./scheduler/timers.ts";
import { type Checkpointer, startCheckpointer } from "./store/checkpointer.ts";
import { type Db, openDb } from "./store/db.ts";
import { GroupCommit } from "./store/group-commit.ts";
import { pruneInbound, pruneOutbox } from "./store/prune.ts";

export interface AppOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  feishuLimits?: FeishuLimits;
  wecomLimits?: WecomLimits;
  wechatLimits?: WechatLimits;
  /** Tests: the 智能机器人's reconnect/heartbeat timings and send limits. */
  wecomBot?: WecomBotOptions;
  /** Tests: a Wechaty puppet instance (wechaty-puppet-mock) used instead of WECHATY_PUPPET's package. */
  wechatyPuppet?: unknown;
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
  const channels = new Channels();
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

  // WeCom cards' text forms (cards/wecom/*.json `text`) double as WeChat's cards.
  const wecomRenderer = new WecomRenderer();
  let wecomDeliverer: WecomDeliverer | undefined;
  if (config.wecom) {
    renderers.wecom = wecomRenderer;
    const api = new WecomApi({
      base: config.wecom.apiBase,
      corpId: config.wecom.corpId,
      secret: config.wecom.secret,
      agentId: config.wecom.agentId,
    });
    // Sends of the last hour count against WeCom's windows after a restart too (it drops silently).
    // done_at is on the bot's clock, the windows on the wall clock (the same in production; the sandbox
    // and tests move the bot's clock): shift by the difference.
    const shift = Date.now() - clock.now();
    const history = (
      db.$client
        .prepare(
          "select target, done_at as at from outbox where platform = 'wecom' and op = 'send' and status = 'done' and done_at > ?",
        )
        .all(clock.now() - 3_600_000) as { target: string; at: number }[]
    ).map((h) => ({
      key: h.target.replace(/^(user|chat):(?!robot:)/, "member:").replace(/^chat:/, ""),
      at: h.at + shift,
    }));
    wecomDeliverer = new WecomDeliverer(api, db, clock, log.child({ platform: "wecom" }), {
      history,
      ...(opts.wecomLimits ? { limits: opts.wecomLimits } : {}),
    });
    deliverers.wecom = wecomDeliverer;
  }
  let wechatRenderer: WechatRenderer | undefined;
  let wechatChannel: WechatChannel | undefined;
  let wechatDeliverer: WechatDeliverer | undefined;
  if (config.wechaty) {
    wechatRenderer = new WechatRenderer((view) => wecomRenderer.card(view).text);
    renderers.wechat = wechatRenderer;
    wechatDeliverer = new WechatDeliverer(() => wechatChannel, opts.wechatLimits);
    deliverers.wechat = wechatDeliverer;
  }

  // The 智能机器人 wraps the "wecom" renderer and deliverer: same people, its own chats (aibot:<chatid>).
  const wecomBot = config.wecomBot
    ? wecomBotModule(config.wecomBot, db, clock, log.child({ platform: "wecom_bot" }), opts.wecomBot)
    : undefined;
  wecomBot?.register(renderers, deliverers);

  const writer = new OutboxWriter(db, clock, people, renderers, config.admins);
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

  let feishuWs: FeishuWs | undefined;
  if (config.feishu && feishuRenderer) {
    const handlers = feishuHandlers(dispatcher, feishuRenderer, log.child({ platform: "feishu" }), commits);
    const feishu = config.feishu;
    if (feishu.mode === "webhook") {
      routes.push({
        mount: (r: Router) => r.post("/webhooks/feishu", feishuWebhook(feishu, handlers, log, clock)),
      });
      channels.set("feishu", "webhook", "ready");
    } else {
      feishuWs = startFeishuWs(feishu, handlers, log.child({ platform: "feishu" }), channels);
    }
  }

  if (config.wecom) {
    const w = config.wecom;
    const r = wecomRoutes({
      secrets: { token: w.token, encodingAesKey: w.encodingAesKey, corpId: w.corpId },
      agentId: w.agentId,
      dispatcher,
      outbound: writer,
      db,
      clock,
      log: log.child({ platform: "wecom" }),
    });
    routes.push({
      mount: (router: Router) => router.get("/webhooks/wecom", r.get).post("/webhooks/wecom", r.post),
    });
    channels.set("wecom", "webhook", "ready");
  }
  if (config.wechaty && wechatRenderer) {
    wechatChannel = new WechatChannel({
      config: config.wechaty,
      dispatcher,
      renderer: wechatRenderer,
      db,
      log: log.child({ platform: "wechat" }),
      logLevel: config.logLevel,
      onState: (state, detail) => channels.set("wechat", "puppet", state, detail),
      ...(opts.wechatyPuppet ? { puppet: opts.wechatyPuppet } : {}),
    });
    channels.set("wechat", "puppet", "connecting");
  }

  gauge("bot_outbox_depth", "Outbox rows waiting for delivery", () => worker.depth());
  gauge("bot_outbox_dead", "Outbox rows that stopped retrying (see /outbox, /outbox retry)", () =>
    Number(
      (db.$client.prepare("select count(*) n from outbox where status = 'dead'").get() as { n: number }).n,
    ),
  );
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

  if (wecomBot) channels.watch("wecom_bot", "ws", wecomBot.health);
  const http = buildHttp(db, log, routes, channels);
  let server: Server | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let checkpointer: Checkpointer | undefined;

  return {
    config,
    db,
    core,
    dispatcher,
    worker,
    timers,
    get wechat() {
      return wechatChannel;
    },
    http,
    log,
    channels,
    async start() {
      pruneInbound(db, clock.now());
      pruneOutbox(db, clock.now());
      wecomDeliverer?.prune(clock.now());
      timers.runDue(); // missed while down: fire once now
      if (config.databasePath !== ":memory:") {
        checkpointer = startCheckpointer(db, config.databasePath, log.child({ part: "checkpoint" }));
      }
      if (opts.background !== false) {
        worker.start();
        let lastPrune = clock.now();
        sweep = setInterval(() => {
          timers.runDue();
          // De-dup keys older than 8 days are useless; drop them hourly so the table stays small.
          if (clock.now() - lastPrune > 3_600_000) {
            lastPrune = clock.now();
            pruneInbound(db, lastPrune);
            pruneOutbox(db, lastPrune);
            wecomDeliverer?.prune(lastPrune);
          }
        }, opts.timerPollMs ?? 1000);
      }
      // WeChat logs in in the background (QR code in the log); the bot does not wait for it.
      if (wechatChannel) void wechatChannel.start();
      wecomBot?.start({ dispatcher, outbound: writer, wake: () => worker.wake() });
      server = http.listen(config.port, config.host);
      await new Promise<void>((resolve, reject) => {
        server?.once("listening", resolve).once("error", reject);
      });
      if (feishuWs) {
        const outcome = await feishuWs.firstOutcome(opts.connectWaitMs ?? 10_000);
        if (outcome === "refused") {
          await this.stop();
          throw new ConfigError(WS_REFUSED);
        }
        if (outcome === "pending")
          log.warn("飞书长连接尚未建立，仍在重试 / feishu long connection not up yet, retrying");
      }
      const addr = server.address() as AddressInfo;
      const host = config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
      return { url: `http://${host}:${addr.port}` };
    },
    async stop() {
      if (sweep) clearInterval(sweep);
      feishuWs?.stop();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await worker.stop();
      // After the worker: its in-flight sends keep the connection; frames taken meanwhile only write rows.
      await wecomBot?.stop();
      await feishuDeliverer?.stop();
      await wecomDeliverer?.stop();
      await wechatChannel?.stop();
      await wechatDeliverer?.stop();
      commits.flush(); // nothing should be queued once the server has closed; never leave a batch behind
      await checkpointer?.stop();
      db.$client.close();
    },
  };
}
