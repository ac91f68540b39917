/**
 * What a platform call came to. Errors are split by where they failed (as grammY does): the platform said
 * no (`platform`), or the call never got a usable answer (`network`). The worker only needs `retry`.
 */
export type DeliveryResult = { ok: true; messageId?: string; key?: string } | DeliveryFailure;

export interface DeliveryFailure {
  ok: false;
  /** true: try again later (rate limit, 5xx, timeout); false: dead-letter and tell the admins. */
  retry: boolean;
  /** Platform code (e.g. "230020") or a transport code ("ETIMEDOUT", "HTTP_502"). */
  code: string;
  message: string;
  /** When the platform said how long to wait (Feishu `x-ogw-ratelimit-reset`, seconds → ms). */
  afterMs?: number;
  where: "platform" | "network";
}
