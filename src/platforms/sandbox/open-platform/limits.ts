/**
 * Rate limits and fault injection. Sliding windows over the fake clock, so tests decide whether time
 * passes: with a frozen clock, the 6th send to one chat is always rejected.
 */

import type { FaultRate } from "./fault-picker.ts";
import { FaultPicker } from "./fault-picker.ts";

/**
 * Injected faults. `timeout`: never answer. `drop`: reset the connection without processing.
 * `drop_after`: process the request (the message IS delivered), then reset the connection — the case
 * that only the `uuid` makes safe to retry.
 */
export type FaultKind = "500" | "429" | "230020" | "timeout" | "drop" | "drop_after";

/** Random faults for requests to `/open-apis/im|interactive` endpoints. */
export type FaultOptions = FaultRate<FaultKind>;

export interface FakeLimits {
  /** Per app and API (接口频率限制 "50 次/秒"). Over → HTTP 429 code 99991400. */
  appPerSecond: number;
  /** Per app and API ("1000 次/分钟"). Over → HTTP 429 code 99991400. */
  appPerMinute: number;
  /** Sends to one user or one chat (shared by all bots in a group): 5 QPS → HTTP 400 code 230020. */
  perReceiverPerSecond: number;
  /** PATCH of one message: 5 QPS → HTTP 400 code 230020. */
  perMessagePatchPerSecond: number;
}

export const DEFAULT_LIMITS: FakeLimits = {
  appPerSecond: 50,
  appPerMinute: 1000,
  perReceiverPerSecond: 5,
  perMessagePatchPerSecond: 5,
};

/** Sliding-window counter: at most `limit` hits per `windowMs` per key. */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** ms until a hit would be allowed for this key (0 = now). Records nothing. */
  waitMs(key: string, now: number): number {
    const list = this.hits.get(key);
    if (!list) return 0;
    while (list.length > 0 && (list[0] ?? 0) <= now - this.windowMs) list.shift();
    if (list.length < this.limit) return 0;
    return (list[0] ?? now) + this.windowMs - now;
  }

  record(key: string, now: number): void {
    const list = this.hits.get(key);
    if (list) list.push(now);
    else this.hits.set(key, [now]);
  }
}

export class RateLimits {
  private readonly appSecond: SlidingWindow;
  private readonly appMinute: SlidingWindow;
  private readonly receiver: SlidingWindow;
  private readonly patch: SlidingWindow;

  constructor(limits: FakeLimits) {
    this.appSecond = new SlidingWindow(limits.appPerSecond, 1000);
    this.appMinute = new SlidingWindow(limits.appPerMinute, 60_000);
    this.receiver = new SlidingWindow(limits.perReceiverPerSecond, 1000);
    this.patch = new SlidingWindow(limits.perMessagePatchPerSecond, 1000);
  }

  /**
   * App-level limit of one API ("1000 次/分钟、50 次/秒" is listed per API). Returns the wait in ms
   * (0 = allowed, and the call is counted); both windows must allow it before either counts it.
   */
  takeApp(api: string, now: number): number {
    const wait = Math.max(this.appSecond.waitMs(api, now), this.appMinute.waitMs(api, now));
    if (wait > 0) return wait;
    this.appSecond.record(api, now);
    this.appMinute.record(api, now);
    return 0;
  }

  /** 5 QPS per user and per group chat. */
  takeReceiver(receiver: string, now: number): number {
    return take(this.receiver, receiver, now);
  }

  /** 5 QPS per message for PATCH. */
  takePatch(messageId: string, now: number): number {
    return take(this.patch, messageId, now);
  }
}

function take(w: SlidingWindow, key: string, now: number): number {
  const wait = w.waitMs(key, now);
  if (wait === 0) w.record(key, now);
  return wait;
}

/** Decides which request gets which fault (see fault-picker.ts). */
export class Faults extends FaultPicker<FaultKind> {
  constructor(options?: FaultOptions) {
    super(options);
  }
}
