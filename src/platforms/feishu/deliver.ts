import Bottleneck from "bottleneck";
import type { Logger } from "pino";
import type { DeliveryResult } from "../../outbox/types.ts";
import type { Deliverer, OutboxRow } from "../../outbox/worker.ts";
import type { FeishuApi } from "./api.ts";
import type { FeishuPayload } from "./render.ts";

export interface FeishuLimits {
  appPerSecond: number;
  appPerMinute: number;
  perChatPerSecond: number;
}

/** Feishu's messaging limits (they cannot be raised): 50/s and 1000/min per app, 5/s per user and per chat. */
export const FEISHU_LIMITS: FeishuLimits = { appPerSecond: 50, appPerMinute: 1000, perChatPerSecond: 5 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Ends a call's hold on its windows; pass the time its answer (or failure) came. */
type Release = (now: number) => void;

/**
 * At most `limit` calls in any `windowMs` as Feishu counts them: by arrival, in a sliding window (the
 * fake's `SlidingWindow`). The bot cannot see arrivals, only that each happened between the call's start
 * and its answer, and the network and the event loop can delay and reorder them. So a call holds its
 * place from its start until `windowMs` after its answer: whatever the jitter, no window of arrivals can
 * hold more than `limit`. That costs one round trip per window (milliseconds of a second), not a guessed
 * headroom.
 *
 * Why not Bottleneck's reservoir: a token bucket or a fixed window cannot reach 1000/min without risking
 * 2× at a window edge, and its refill ticks at most once per heartbeat (250 ms), which held a backlog to
 * 4 messages/s app-wide instead of 1000/min (`npm run bench`, outbox drain).
 */
export class CallWindow {
  private inFlight = 0;
  /** Answer times of finished calls, oldest first (answers are recorded in time order). */
  private readonly ends: number[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** ms until one more call fits (0 = now); undefined while calls still in flight fill the window. */
  waitMs(now: number): number | undefined {
    const e = this.ends;
    while (this.head < e.length && (e[this.head] ?? 0) <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > e.length) {
      e.splice(0, this.head); // amortised: only the live tail is kept
      this.head = 0;
    }
    const live = this.inFlight + e.length - this.head;
    if (live < this.limit) return 0;
    // The finished calls that have to leave the window first, oldest first.
    const leave = live - this.limit + 1;
    if (leave > e.length - this.head) return undefined;
    return (e[this.head + leave - 1] ?? now) + this.windowMs - now;
  }

  start(): void {
    this.inFlight++;
  }

  end(now: number): void {
    this.inFlight--;
    this.ends.push(now);
  }
}

/**
 * The app-wide limits (per second and per minute). Calls take turns in order (FIFO, so no chat starves
 * another), each as soon as both windows have room, and spread evenly at 1 s / appPerSecond: 50 requests
 * started in the same millisecond queue up in sockets and the event loop, which only makes every round
 * trip, and so every hold, longer. The spread follows a schedule rather than sleeping after each start,
 * so late timers do not add up to a lower rate.
 */
class AppGate {
  private tail: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Earliest start of the next call on the even schedule. */
  private next = 0;
  /** The turn waiting for a call in flight to answer (only the head of the queue ever waits). */
  private onRelease: (() => void) | undefined;

  constructor(
    private readonly windows: CallWindow[],
    private readonly gapMs: number,
  ) {}

  /** Resolves when the caller may start its call now; call the release when the answer came. */
  take(): Promise<Release> {
    if (this.stopped) return Promise.reject(new Error("Feishu deliverer stopped"));
    const turn = this.tail.then(() => this.wait());
    this.tail = turn;
    return turn;
  }

  private async wait(): Promise<Release> {
    for (;;) {
      const now = Date.now();
      const waits = this.windows.map((w) => w.waitMs(now));
      if (waits.includes(undefined)) {
        await new Promise<void>((r) => {
          this.onRelease = r;
        });
        continue;
      }
      const wait = Math.max(this.next - now, ...(waits as number[]));
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      for (const w of this.windows) w.start();
      // A late wake-up may catch up two slots, never more: after idle time there is no burst.
      this.next = Math.max(this.next, now - 2 * this.gapMs) + this.gapMs;
      let done = false;
      return (at: number) => {
        if (done) return;
        done = true;
        for (const w of this.windows) w.end(at);
        const wake = this.onRelease;
        this.onRelease = undefined;
        wake?.();
      };
    }
  }

  /** No new turns; waits for the ones already queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.tail;
  }
}

/**
 * Delivers Feishu outbox rows at up to the platform's limits without crossing them, so 230020 and
 * 99991400 are the exception (another bot in the same group) rather than the rule.
 */
export class FeishuDeliverer implements Deliverer {
  private readonly app: AppGate;
  /** One queue per chat/user (and per message for PATCH): one call at a time, in row order. */
  private readonly perTarget: Bottleneck.Group;
  /** Each queue's own 5/s pace; dropped with the queue when Bottleneck.Group retires an idle key. */
  private readonly targetPaces = new WeakMap<Bottleneck, { window: CallWindow; next: number }>();
  private readonly perTargetPerSecond: number;

  constructor(
    private readonly api: FeishuApi,
    private readonly log: Logger,
    limits: FeishuLimits = FEISHU_LIMITS,
  ) {
    this.app = new AppGate(
      [new CallWindow(limits.appPerSecond, 1000), new CallWindow(limits.appPerMinute, 60_000)],
      1000 / limits.appPerSecond,
    );
    this.perTargetPerSecond = limits.perChatPerSecond;
    this.perTarget = new Bottleneck.Group({ maxConcurrent: 1 });
  }

  private targetPace(limiter: Bottleneck): { window: CallWindow; next: number } {
    let p = this.targetPaces.get(limiter);
    if (!p) {
      p = { window: new CallWindow(this.perTargetPerSecond, 1000), next: 0 };
      this.targetPaces.set(limiter, p);
    }
    return p;
  }

  /** Runs one app-limited call (uploads have no target) and releases its hold when it answers. */
  private async appLimited<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.app.take();
    try {
      return await fn();
    } finally {
      release(Date.now());
    }
  }

  /**
   * Waits for the target's pace, then for the app's turn. A target's calls are spaced 1 s / 5 apart (a
   * chat reads them as they come, and a buzz escalation is paced like the card's PATCHes) and counted in
   * its window. They run one at a time, so nothing else can use the target's window between the waits.
   */
  private limited<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const limiter = this.perTarget.key(key);
    const pace = this.targetPace(limiter);
    return limiter.schedule(async () => {
      // Nothing of this target is in flight here (one at a time), so the window's wait is always known.
      for (;;) {
        const now = Date.now();
        const wait = Math.max(pace.next - now, pace.window.waitMs(now) ?? 1);
        if (wait <= 0) break;
        await sleep(wait);
      }
      return this.appLimited(async () => {
        pace.next = Date.now() + 1000 / this.perTargetPerSecond;
        pace.window.start();
        try {
          return await fn();
        } finally {
          pace.window.end(Date.now());
        }
      });
    });
  }

  async deliver(row: OutboxRow, copies: string[]): Promise<DeliveryResult> {
    const p = row.payload as FeishuPayload;
    if ("card" in p) return this.updateCopies(p.card, copies);
    if ("urgent" in p) return this.buzz(copies[0], p.urgent);
    let content: string;
    if (p.msgType === "file") {
      const up = await this.appLimited(() =>
        this.api.uploadFile(p.file.name, Buffer.from(p.file.base64, "base64")),
      );
      if (!up.ok) return up;
      content = JSON.stringify({ file_key: up.key });
    } else if (p.msgType === "image") {
      // im/v1/images → image_key, then msg_type image. A retry uploads again (the key is not kept), but
      // the send carries the row's uuid, so the chat still gets the picture once.
      const up = await this.appLimited(() => this.api.uploadImage(Buffer.from(p.image.base64, "base64")));
      if (!up.ok) return up;
      content = JSON.stringify({ image_key: up.key });
    } else content = p.content;
    return this.limited(row.target, () =>
      this.api.sendMessage({
        receiveIdType: p.receiveIdType,
        receiveId: p.receiveId,
        msgType: p.msgType,
        content,
        uuid: row.idemKey,
      }),
    );
  }

  /** PATCH every copy (5 QPS per message); a copy past Feishu's 14-day window is skipped, not retried. */
  private async updateCopies(card: object, copies: string[]): Promise<DeliveryResult> {
    const results = await Promise.all(
      copies.map((id) => this.limited(`msg:${id}`, () => this.api.patchCard(id, card))),
    );
    const retry = results.find((r) => !r.ok && r.retry);
    if (retry) return retry;
    results.forEach((r, i) => {
      if (!r.ok) this.log.warn({ messageId: copies[i], code: r.code }, "card copy could not be updated");
    });
    return { ok: true };
  }

  /**
   * 加急 one delivered message (urgent_app: in-app, free; only the bot's own messages). Paced with that
   * message's PATCHes (per-message limiter) and under the app limiter, like every other call.
   */
  private buzz(messageId: string | undefined, openIds: string[]): Promise<DeliveryResult> {
    if (!messageId) {
      return Promise.resolve({
        ok: false,
        retry: false,
        code: "NO_MESSAGE",
        message: "buzz without a delivered message",
        where: "platform",
      });
    }
    return this.limited(`msg:${messageId}`, () => this.api.urgentApp(messageId, openIds));
  }

  async stop(): Promise<void> {
    await this.app.stop();
  }
}
