import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Dispatcher } from "../core/dispatch.ts";
import type { Capability, Outbound } from "../core/ports.ts";
import type { Platform } from "../core/types.ts";
import type { Channels } from "../http/channels.ts";
import type { HttpRoutes } from "../http/server.ts";
import type { Renderer } from "../outbox/outbound.ts";
import type { Deliverer } from "../outbox/worker.ts";
import type { Db } from "../store/db.ts";
import type { GroupCommit } from "../store/group-commit.ts";

/**
 * One chat platform (or one channel of it) as a module: receive → normalise → dispatcher → answer on the
 * way in; render and deliver on the way out (through the outbox); its channel's state for /healthz.
 * `createApp` knows no platform: it loops over the enabled modules (src/platforms/index.ts).
 *
 * The way in is bound late, like Bolt's Receiver (`init(app)` then `start()`/`stop()`): a module is built
 * before the dispatcher exists, because the dispatcher's outbound needs every module's renderer. Adding a
 * platform: docs/platforms-recipe.md.
 */
export interface PlatformModule {
  /** The channel's name in /healthz, /metrics and log lines ("feishu", "wecom", "wecom_bot", "wechat"). */
  readonly name: string;
  /** The identity space its people and chats live in. */
  readonly platform: Platform;
  /** What it can do where the policy differs (core asks `outbound.can(platform, flag)`). */
  readonly capabilities: Readonly<Record<Capability, boolean>>;
  /** Turns platform-neutral messages into this platform's outbox payloads (when the row is written). */
  readonly renderer: Renderer;
  /** Sends outbox rows of this platform (owns its API client and rate limits). */
  readonly deliverer: Deliverer;
  /**
   * A second module on a platform already taken (the 智能机器人 beside WeCom's self-built app) combines
   * its way out with the one registered before it. Without `stack` that is a start-up error.
   */
  stack?(below: Outgoing): Outgoing;
  /** Binds the way in to the dispatcher; returns the HTTP routes to mount (webhooks), if any. */
  init(ctx: InboundContext): HttpRoutes[];
  /** Starts receiving (long connections, logins), before the HTTP server listens. */
  start?(): void;
  /**
   * After the HTTP server listens: waits (up to `waitMs`) for the first outcome of a connection start-up
   * depends on. Throws a ConfigError when the platform refused the credentials (start-up stops).
   */
  ready?(waitMs: number): Promise<void>;
  /** Stops taking events, before the HTTP server closes (a long connection). */
  close?(): void;
  /** After the outbox worker stopped: lets its own sends finish and drops its connections. */
  stop(): Promise<void>;
  /** Hourly: drops this module's stale bookkeeping (and once at start). */
  prune?(now: number): void;
}

export type Capabilities = PlatformModule["capabilities"];

export interface Outgoing {
  renderer: Renderer;
  deliverer: Deliverer;
}

/** What every module is built with (its own config section comes first). */
export interface Shared {
  db: Db;
  clock: Clock;
  /** Already a child logger with `platform` set to the module's name. */
  log: Logger;
  /** Where a module reports its channel's state (/healthz, /metrics). */
  channels: Channels;
  /** LOG_LEVEL, for SDKs with their own loggers. */
  logLevel: string;
}

/** What `init` binds the way in to. */
export interface InboundContext {
  dispatcher: Dispatcher;
  outbound: Outbound;
  /** Events that arrive together commit together (store/group-commit.ts). */
  commits: GroupCommit;
  /** New outbox rows are waiting: deliver now, not at the next poll. */
  wake(): void;
}
