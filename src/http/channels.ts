/**
 * The state of each configured channel, for /healthz and /metrics. A long connection (Feishu
 * FEISHU_MODE=ws) can fail without a sound: the SDK logs and retries, or gives up on refused credentials,
 * while the HTTP server keeps answering. So its state is reported per channel, and /healthz turns 503
 * when a long connection was refused or has been down for more than 2 minutes.
 */
import { Gauge } from "prom-client";
import { registry } from "./metrics.ts";

export type ChannelState =
  /** HTTP callbacks: nothing to connect, the channel is as up as the server. */
  | "ready"
  | "connecting"
  | "connected"
  | "reconnecting"
  /** The platform refused the credentials: retrying will not help until they are fixed. */
  | "refused"
  /** The SDK gave up (retries exhausted). */
  | "failed";

export interface ChannelInfo {
  /** "webhook", "ws" (long connection), "callback", "puppet". */
  mode: string;
  state: ChannelState;
  /** ISO time of the last change of state. */
  since: string;
  /** A short Chinese line on what to do, for refused and failed connections. */
  detail?: string;
}

/** A long connection may be down this long (a reconnect) before the bot counts as unhealthy. */
export const DOWN_GRACE_MS = 2 * 60_000;

const UP: ReadonlySet<ChannelState> = new Set(["ready", "connected"]);

/** A channel that keeps its own state (the WeCom robot's connection): read when asked. */
export type WatchedChannel = () => { state: string; since: string; healthy: boolean };

export class Channels {
  private readonly states = new Map<string, ChannelInfo & { at: number; downSince: number | undefined }>();
  private readonly watched = new Map<string, { mode: string; read: WatchedChannel }>();

  constructor(private readonly now: () => number = Date.now) {
    // One gauge per registry: the newest Channels (tests build many apps) is the one scraped.
    registry.removeSingleMetric("bot_channel_up");
    const self = this;
    new Gauge({
      name: "bot_channel_up",
      help: "1 when a configured channel can receive (long connection connected, or webhook), else 0",
      labelNames: ["channel", "mode", "state"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [channel, s] of self.states) {
          this.set({ channel, mode: s.mode, state: s.state }, UP.has(s.state) ? 1 : 0);
        }
      },
    });
  }

  set(channel: string, mode: string, state: ChannelState, detail?: string): void {
    const now = this.now();
    const cur = this.states.get(channel);
    if (cur && cur.state === state && cur.detail === detail) return;
    const up = UP.has(state);
    this.states.set(channel, {
      mode,
      state,
      since: new Date(now).toISOString(),
      ...(detail ? { detail } : {}),
      at: now,
      // Down since the first moment it stopped being up (a reconnect after connecting keeps that moment).
      downSince: up ? undefined : (cur?.downSince ?? now),
    });
  }

  get(channel: string): ChannelInfo | undefined {
    const s = this.states.get(channel);
    if (!s) return undefined;
    const { at: _at, downSince: _d, ...info } = s;
    return info;
  }

  /** Reports a channel whose state another module keeps, with its own idea of healthy. */
  watch(channel: string, mode: string, read: WatchedChannel): void {
    this.watched.set(channel, { mode, read });
  }

  snapshot(): Record<string, ChannelInfo> {
    const out: Record<string, ChannelInfo> = {};
    for (const name of this.states.keys()) out[name] = this.get(name) as ChannelInfo;
    for (const [name, w] of this.watched) {
      const { state, since } = w.read();
      out[name] = { mode: w.mode, state: state as ChannelState, since };
    }
    return out;
  }

  /**
   * Channels that make the bot unhealthy: a long connection (mode "ws") refused, given up, or down past
   * the grace period. Other channels (a WeChat account waiting for its QR scan) are only reported.
   */
  unhealthy(): string[] {
    const now = this.now();
    const out: string[] = [];
    for (const [name, s] of this.states) {
      if (s.mode !== "ws") continue;
      if (s.state === "refused" || s.state === "failed") out.push(name);
      else if (s.downSince !== undefined && now - s.downSince > DOWN_GRACE_MS) out.push(name);
    }
    for (const [name, w] of this.watched) if (!w.read().healthy) out.push(name);
    return out;
  }
}
