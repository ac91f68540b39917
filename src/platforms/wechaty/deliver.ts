import Bottleneck from "bottleneck";
import type { DeliveryResult } from "../../outbox/types.ts";
import type { Deliverer, OutboxRow } from "../../outbox/worker.ts";
import { failure } from "../wecom/api.ts";
import { SlidingGate, type WindowRule } from "../wecom/limits.ts";
import type { WechatPayload } from "./render.ts";

/** What the deliverer needs of a running Wechaty (structural, so Wechaty itself stays optional). */
export interface WechatSender {
  loggedIn(): boolean;
  sayInRoom(roomId: string, text: string, mentionIds: string[]): Promise<"ok" | "not_found">;
  sayToContact(contactId: string, text: string): Promise<"ok" | "not_found">;
}

export interface WechatLimits {
  /** Per room (and per DM): personal accounts that post in bursts get restricted by WeChat. */
  perRoom: WindowRule[];
  /** Spacing of any two messages from the account (ms). */
  minSpacingMs: number;
}

export const WECHAT_LIMITS: WechatLimits = {
  perRoom: [
    { limit: 10, windowMs: 60_000 },
    { limit: 100, windowMs: 3_600_000 },
  ],
  minSpacingMs: 1000,
};

/** While WeChat is logged out, messages wait in the outbox (retried, up to the outbox's 24 h). */
const OFFLINE_WAIT_MS = 30_000;

export class WechatDeliverer implements Deliverer {
  private readonly account: Bottleneck;
  private readonly perRoom = new Bottleneck.Group({ maxConcurrent: 1 });
  private readonly gate: SlidingGate;

  constructor(
    private readonly sender: () => WechatSender | undefined,
    limits: WechatLimits = WECHAT_LIMITS,
  ) {
    this.account = new Bottleneck({ maxConcurrent: 1, minTime: limits.minSpacingMs });
    this.gate = new SlidingGate(limits.perRoom);
    this.perRoom.on("created", (limiter) => {
      limiter.chain(this.account);
    });
  }

  async deliver(row: OutboxRow): Promise<DeliveryResult> {
    const p = row.payload as WechatPayload;
    const s = this.sender();
    if (!s?.loggedIn())
      return failure(true, "WECHAT_OFFLINE", "微信未登录，稍后重试", "network", OFFLINE_WAIT_MS);
    const key = `${p.to}:${p.id}`;
    return this.perRoom.key(key).schedule(async () => {
      await this.gate.wait(key);
      try {
        const r =
          p.to === "room" ? await s.sayInRoom(p.id, p.text, p.mentions) : await s.sayToContact(p.id, p.text);
        if (r === "not_found") {
          return failure(
            false,
            "WECHAT_NOT_FOUND",
            `微信${p.to === "room" ? "群" : "联系人"}不存在或机器人已不在其中`,
            "platform",
          );
        }
        return { ok: true };
      } catch (err) {
        return failure(true, "WECHAT_SEND_FAILED", String(err), "network");
      } finally {
        this.gate.record(key, Date.now());
      }
    });
  }

  async stop(): Promise<void> {
    await this.account.stop({ dropWaitingJobs: false });
  }
}
