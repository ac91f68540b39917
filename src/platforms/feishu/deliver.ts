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

/**
 * Delivers Feishu outbox rows through limiters that stay under the platform's limits, so 230020 and
 * 99991400 are the exception (another bot in the same group) rather than the rule.
 */
export class FeishuDeliverer implements Deliverer {
  private readonly app: Bottleneck;
  private readonly perTarget: Bottleneck.Group;

  constructor(
    private readonly api: FeishuApi,
    private readonly log: Logger,
    limits: FeishuLimits = FEISHU_LIMITS,
  ) {
    // Token bucket sized so that no sliding 60 s window can exceed the per-minute limit:
    // burst + refill × 60 s = appPerMinute (a fixed-window reservoir could send 2× at a window edge).
    const burst = Math.max(1, Math.floor(limits.appPerMinute / 4));
    const refillPerSecond = (limits.appPerMinute - burst) / 60;
    this.app = new Bottleneck({
      minTime: Math.ceil(1000 / limits.appPerSecond),
      reservoir: burst,
      reservoirIncreaseAmount: 1,
      reservoirIncreaseInterval: Math.ceil(1000 / refillPerSecond),
      reservoirIncreaseMaximum: burst,
    });
    // Bottleneck spaces request starts, Feishu counts arrivals: time spent queued in the app limiter
    // can squeeze 6 arrivals into one second at exactly 200 ms spacing. 10 % headroom absorbs it.
    this.perTarget = new Bottleneck.Group({
      minTime: Math.ceil(1000 / (limits.perChatPerSecond * 0.9)),
      maxConcurrent: 1,
    });
    this.perTarget.on("created", (limiter) => {
      limiter.chain(this.app);
    });
  }

  private limited<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.perTarget.key(key).schedule(fn);
  }

  async deliver(row: OutboxRow, copies: string[]): Promise<DeliveryResult> {
    const p = row.payload as FeishuPayload;
    if ("card" in p) return this.updateCopies(p.card, copies);
    if ("urgent" in p) return this.buzz(copies[0], p.urgent);
    let content: string;
    if (p.msgType === "file") {
      const up = await this.app.schedule(() =>
        this.api.uploadFile(p.file.name, Buffer.from(p.file.base64, "base64")),
      );
      if (!up.ok) return up;
      content = JSON.stringify({ file_key: up.key });
    } else if (p.msgType === "image") {
      // im/v1/images → image_key, then msg_type image. A retry uploads again (the key is not kept), but
      // the send carries the row's uuid, so the chat still gets the picture once.
      const up = await this.app.schedule(() => this.api.uploadImage(Buffer.from(p.image.base64, "base64")));
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
    await this.app.stop({ dropWaitingJobs: false });
  }
}
