import AiBot, { type WsFrame } from "@wecom/aibot-node-sdk";
import type { Logger } from "pino";
import type { WecomBotConfig } from "../../config.ts";
import type { DeliveryResult } from "../../outbox/types.ts";

/**
 * `replaced`: another process subscribed with the same bot id, WeCom closed this connection and the SDK
 * does not come back (the two would only take turns).
 */
export type BotState = "authenticating" | "connected" | "reconnecting" | "refused" | "replaced" | "stopped";

/** A long connection down for longer than this makes /healthz answer 503. */
export const DOWN_ALARM_MS = 2 * 60_000;

/** No receipt within the SDK's 5 s: WeCom may or may not have taken the frame; retried. */
const ACK_TIMEOUT_CODE = "WECOM_BOT_ACK_TIMEOUT";
export const DOWN_CODE = "WECOM_BOT_DOWN";

export interface BotConnectionOptions {
  /** SDK reconnect base delay (ms); it doubles per attempt up to 30 s. */
  reconnectMs?: number;
  heartbeatMs?: number;
}

/**
 * The robot's long connection (official SDK): its state for /healthz and /metrics, and every call turned
 * into a DeliveryResult the outbox understands. The SDK reconnects with exponential back-off (1 s → 30 s);
 * we ask it to never give up on a lost connection, and to stop after 5 refused subscribes (a wrong
 * secret does not fix itself).
 */
export class BotConnection {
  readonly client: InstanceType<typeof AiBot.WSClient>;
  private current: BotState = "stopped";
  private since = Date.now();
  /** When the connection was last lost (or first tried): flapping between states does not reset it. */
  private downSince = Date.now();
  private upOnce = false;
  private refusedLogged = false;
  private readonly readyListeners: (() => void)[] = [];

  constructor(
    cfg: WecomBotConfig,
    private readonly log: Logger,
    opts: BotConnectionOptions = {},
  ) {
    const sdkLog = log.child({ part: "aibot-sdk" });
    this.client = new AiBot.WSClient({
      botId: cfg.botId,
      secret: cfg.secret,
      wsUrl: cfg.wsUrl,
      reconnectInterval: opts.reconnectMs ?? 1000,
      heartbeatInterval: opts.heartbeatMs ?? 30_000,
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: 5,
      // The SDK's own lines go to our log (never its console logger: it may print frames).
      logger: {
        debug: (m: string) => sdkLog.debug(m),
        info: (m: string) => sdkLog.debug(m),
        warn: (m: string) => sdkLog.debug(m),
        error: (m: string) => sdkLog.debug(m),
      },
    });
    // A refusal stands until a subscribe succeeds: the SDK's retries (same secret) must not hide it.
    this.client.on("connected", () => {
      if (this.current !== "refused") this.set("authenticating");
    });
    this.client.on("authenticated", () => {
      this.set("connected");
      this.upOnce = true;
      this.refusedLogged = false;
      this.log.info("企业微信智能机器人长连接已连接 / WeCom AI bot connected");
      for (const f of this.readyListeners) f();
    });
    this.client.on("disconnected", () => {
      if (this.current === "connected" || this.current === "authenticating") this.set("reconnecting");
    });
    this.client.on("event.disconnected_event", () => {
      this.set("replaced");
      this.log.error(
        "另一个进程用同一个 WECOM_BOT_ID 连上了企业微信智能机器人，本进程的长连接已被关闭且不再重连：同一机器人只运行一份 / another process took over this WeCom AI bot (same WECOM_BOT_ID); this one stays disconnected",
      );
    });
    this.client.on("reconnecting", () => {
      if (this.current !== "refused" && this.current !== "replaced") this.set("reconnecting");
    });
    this.client.on("error", (err: Error & { code?: string }) => {
      const refused = /Authentication failed/.test(err.message) || err.code === "WS_AUTH_FAILURE_EXHAUSTED";
      if (!refused) {
        this.log.warn({ err: { message: err.message, code: err.code } }, "wecom ai bot connection error");
        return;
      }
      this.set("refused");
      if (!this.refusedLogged) {
        this.refusedLogged = true;
        this.log.error(
          `企业微信智能机器人拒绝了认证：请核对 WECOM_BOT_ID 与 WECOM_BOT_SECRET（管理后台 → 智能机器人 → API 模式 → 长连接）/ WeCom AI bot refused the subscribe: check WECOM_BOT_SECRET and WECOM_BOT_ID (${err.message})`,
        );
      }
    });
  }

  get state(): BotState {
    return this.current;
  }

  /** Healthy: connected, or still within 2 minutes of trying; never when refused. */
  health(now = Date.now()): { state: BotState; since: string; healthy: boolean } {
    const healthy =
      this.current === "connected" ||
      ((this.current === "authenticating" || this.current === "reconnecting") &&
        now - this.downSince <= DOWN_ALARM_MS);
    return { state: this.current, since: new Date(this.since).toISOString(), healthy };
  }

  /** Called on every successful subscribe (the first and each reconnect). */
  onReady(f: () => void): void {
    this.readyListeners.push(f);
  }

  get everConnected(): boolean {
    return this.upOnce;
  }

  start(): void {
    this.set("authenticating");
    this.client.connect();
  }

  stop(): void {
    this.set("stopped");
    try {
      this.client.disconnect();
    } catch (err) {
      this.log.warn({ err }, "closing wecom ai bot connection");
    }
  }

  /** Runs one SDK call; a lost connection or a missing receipt is retryable, an error code is the server's. */
  async call(fn: () => Promise<WsFrame>): Promise<DeliveryResult & { frame?: WsFrame }> {
    if (this.current !== "connected") return down(this.current);
    try {
      const frame = await fn();
      return { ok: true, frame };
    } catch (err) {
      const e = err as { errcode?: number; errmsg?: string; message?: string };
      if (typeof e.errcode === "number") {
        return {
          ok: false,
          retry: e.errcode === 45009 || e.errcode === -1 || e.errcode >= 50000,
          code: String(e.errcode),
          message: e.errmsg ?? "",
          where: "platform",
          ...(e.errcode === 45009 ? { afterMs: 60_000 } : {}),
        };
      }
      const timeout = /ack timeout/i.test(e.message ?? "");
      return {
        ok: false,
        retry: true,
        code: timeout ? ACK_TIMEOUT_CODE : DOWN_CODE,
        message: e.message ?? "",
        where: "network",
      };
    }
  }

  private set(s: BotState): void {
    if (s === this.current) return;
    if (s !== "connected" && (this.current === "connected" || this.current === "stopped")) {
      this.downSince = Date.now();
    }
    this.current = s;
    this.since = Date.now();
  }
}

function down(state: BotState): DeliveryResult {
  return {
    ok: false,
    retry: state !== "stopped",
    code: DOWN_CODE,
    message: `long connection ${state}`,
    where: "network",
  };
}
