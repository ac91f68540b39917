import { createHash } from "node:crypto";
import Bottleneck from "bottleneck";
import { and, asc, desc, eq, gt, isNull, lt } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../../clock.ts";
import type { DeliveryResult } from "../../outbox/types.ts";
import type { Deliverer, OutboxRow } from "../../outbox/worker.ts";
import type { Db } from "../../store/db.ts";
import { wecomCardCodes, wecomRobots } from "../../store/schema/index.ts";
import { type ApiResult, failure, type WecomApi } from "./api.ts";
import type { WecomCard } from "./card-template.ts";
import { SlidingGate, type WindowRule } from "./limits.ts";
import { type AppMsg, DUPLICATE_CHECK_SEC, type RobotMsg, type WecomPayload } from "./render.ts";

export interface WecomLimits {
  /** Per member: WeCom drops silently above 30/min and 1000/h. */
  member: WindowRule[];
  /** Per group robot: 20/min. */
  robot: WindowRule[];
}

export const WECOM_LIMITS: WecomLimits = {
  member: [
    { limit: 30, windowMs: 60_000 },
    { limit: 1000, windowMs: 3_600_000 },
  ],
  robot: [{ limit: 20, windowMs: 60_000 }],
};

/** response_code: single use, valid 72 h (WeCom's update_template_card; docs/platforms.md). */
export const CODE_TTL_MS = 72 * 3_600_000;
/** Robot images: base64 + md5, at most 2 MB. */
const ROBOT_IMAGE_MAX = 2 * 1024 * 1024;

export interface WecomDelivererOptions {
  limits?: WecomLimits;
  /** Sends already made per limiter key (finish times), so a restart does not reset the windows. */
  history?: { key: string; at: number }[];
}

/**
 * Delivers WeCom outbox rows: app messages to one member each (so `task_id`, `invaliduser` and the
 * per-member limits are about that member), group-robot posts, and card updates with response codes.
 */
export class WecomDeliverer implements Deliverer {
  private readonly app = new Bottleneck({ maxConcurrent: 10, minTime: 20 });
  private readonly perKey = new Bottleneck.Group({ maxConcurrent: 1 });
  private readonly member: SlidingGate;
  private readonly robot: SlidingGate;

  constructor(
    private readonly api: WecomApi,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: WecomDelivererOptions = {},
  ) {
    const limits = opts.limits ?? WECOM_LIMITS;
    this.member = new SlidingGate(limits.member);
    this.robot = new SlidingGate(limits.robot);
    for (const h of opts.history ?? [])
      (h.key.startsWith("robot:") ? this.robot : this.member).record(h.key, h.at);
    this.perKey.on("created", (limiter) => {
      limiter.chain(this.app);
    });
  }

  /** One call counted against `key`'s windows: waits its turn, runs, records when it finished. */
  private limited(key: string, fn: () => Promise<ApiResult>): Promise<ApiResult> {
    const gate = key.startsWith("robot:") ? this.robot : this.member;
    return this.perKey.key(key).schedule(async () => {
      await gate.wait(key);
      try {
        return await fn();
      } finally {
        gate.record(key, Date.now());
      }
    });
  }

  async deliver(row: OutboxRow, copies: string[]): Promise<DeliveryResult> {
    const p = row.payload as WecomPayload;
    if ("card" in p) return this.updateCopies(p.card, copies);
    if (p.to === "robot") return this.toRobot(p.robotId, p.msg);
    return this.toMember(p.userId, p.msg, row.idemKey);
  }

  private async toMember(userId: string, msg: AppMsg, idemKey: string): Promise<DeliveryResult> {
    const key = `member:${userId}`;
    const base = { touser: userId, enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_CHECK_SEC };
    switch (msg.msgtype) {
      case "text": {
        // Parts already sent before a retry are identical content: WeCom's duplicate check drops them.
        for (const content of msg.parts) {
          const r = await this.limited(key, () =>
            this.api.sendMessage({ ...base, msgtype: "text", text: { content } }),
          );
          if (!r.ok) return r;
        }
        return { ok: true };
      }
      case "markdown": {
        const r = await this.limited(key, () =>
          this.api.sendMessage({ ...base, msgtype: "markdown", markdown: { content: msg.content } }),
        );
        return r.ok ? { ok: true } : r;
      }
      case "template_card": {
        // task_id is unique per app: the outbox row's key, so a resend after a crash is the same card.
        const taskId = idemKey;
        const r = await this.limited(key, () =>
          this.api.sendMessage({
            ...base,
            msgtype: "template_card",
            template_card: { ...msg.template_card, task_id: taskId },
          }),
        );
        if (!r.ok) return r;
        const code = r.body.response_code;
        if (typeof code === "string" && code) this.saveCode(code, taskId, userId, "send");
        return { ok: true, messageId: taskId };
      }
      case "file":
      case "image": {
        const up = await this.app.schedule(() =>
          this.api.uploadMedia(msg.msgtype, msg.fileName, Buffer.from(msg.base64, "base64")),
        );
        if (!up.ok) return up;
        const mediaId = String(up.body.media_id ?? "");
        if (!mediaId) return failure(true, "EMPTY_MEDIA", "upload without media_id", "platform");
        const r = await this.limited(key, () =>
          this.api.sendMessage({ ...base, msgtype: msg.msgtype, [msg.msgtype]: { media_id: mediaId } }),
        );
        return r.ok ? { ok: true } : r;
      }
    }
  }

  private async toRobot(robotId: number, msg: RobotMsg): Promise<DeliveryResult> {
    const robot = this.db.select().from(wecomRobots).where(eq(wecomRobots.id, robotId)).get();
    if (!robot) return failure(false, "ROBOT_UNKNOWN", `群机器人 robot:${robotId} 未登记`, "platform");
    const key = `robot:${robotId}`;
    let body: Record<string, unknown>;
    switch (msg.msgtype) {
      case "text":
        body = { msgtype: "text", text: { content: msg.content, mentioned_list: msg.mentioned_list } };
        break;
      case "markdown":
        body = { msgtype: "markdown", markdown: { content: msg.content } };
        break;
      case "image": {
        const bytes = Buffer.from(msg.base64, "base64");
        if (bytes.length > ROBOT_IMAGE_MAX)
          return failure(false, "IMAGE_TOO_LARGE", "群机器人图片不能超过 2MB", "platform");
        body = {
          msgtype: "image",
          image: { base64: msg.base64, md5: createHash("md5").update(bytes).digest("hex") },
        };
        break;
      }
      case "file": {
        const up = await this.app.schedule(() =>
          this.api.robotUpload(robot.webhookKey, msg.fileName, Buffer.from(msg.base64, "base64")),
        );
        if (!up.ok) return up;
        body = { msgtype: "file", file: { media_id: String(up.body.media_id ?? "") } };
        break;
      }
    }
    const r = await this.limited(key, () => this.api.robotSend(robot.webhookKey, body));
    return r.ok ? { ok: true } : r;
  }

  /**
   * Updates every delivered copy (task_id) with one unused response code each: the newest first, so a
   * clicked copy spends the click's code. A copy without a code left is skipped (WeCom offers no other
   * way to change it); a retryable failure gives its code back and retries the row, and copies already
   * updated have spent their codes, so the retry does not touch them again.
   */
  private async updateCopies(card: WecomCard, copies: string[]): Promise<DeliveryResult> {
    if (!card.templateCard) return { ok: true };
    let retry: DeliveryResult | undefined;
    for (const taskId of copies) {
      for (;;) {
        const code = this.takeCode(taskId);
        if (!code) {
          this.log.warn({ taskId }, "wecom card copy has no unused response_code left; not updated");
          break;
        }
        const r = await this.limited(`member:${code.userId}`, () =>
          this.api.updateTemplateCard({
            userids: [code.userId],
            response_code: code.code,
            template_card: { ...card.templateCard, task_id: taskId },
          }),
        );
        if (r.ok) break;
        if (r.retry) {
          this.giveBack(code.code);
          retry ??= r;
          break;
        }
        // The code was refused (spent or expired): try the copy's next code, if any.
        this.log.warn({ taskId, code: r.code }, "wecom response_code refused; trying the next one");
      }
    }
    return retry ?? { ok: true };
  }

  private saveCode(code: string, taskId: string, userId: string, source: "send" | "click"): void {
    saveResponseCode(this.db, this.clock.now(), { code, taskId, userId, source });
  }

  /** Claims the newest unused code of a copy (an UPDATE guarded on used_at, so it is spent once). */
  private takeCode(taskId: string): { code: string; userId: string } | undefined {
    const now = this.clock.now();
    for (;;) {
      // Newest first, and a click's code before a send's issued in the same millisecond.
      const c = this.db
        .select()
        .from(wecomCardCodes)
        .where(
          and(
            eq(wecomCardCodes.taskId, taskId),
            isNull(wecomCardCodes.usedAt),
            gt(wecomCardCodes.issuedAt, now - CODE_TTL_MS),
          ),
        )
        .orderBy(desc(wecomCardCodes.issuedAt), asc(wecomCardCodes.source))
        .get();
      if (!c) return undefined;
      const claimed = this.db
        .update(wecomCardCodes)
        .set({ usedAt: now })
        .where(and(eq(wecomCardCodes.code, c.code), isNull(wecomCardCodes.usedAt)))
        .run();
      if (claimed.changes === 1) return { code: c.code, userId: c.userId };
    }
  }

  private giveBack(code: string): void {
    this.db.update(wecomCardCodes).set({ usedAt: null }).where(eq(wecomCardCodes.code, code)).run();
  }

  /** Drops codes past their 72 h. */
  prune(now: number): void {
    this.db
      .delete(wecomCardCodes)
      .where(lt(wecomCardCodes.issuedAt, now - CODE_TTL_MS))
      .run();
  }

  async stop(): Promise<void> {
    await this.app.stop({ dropWaitingJobs: false });
  }
}

/** Records a response code for one copy (the receiver does this for clicks, the deliverer for sends). */
export function saveResponseCode(
  db: Db,
  now: number,
  c: { code: string; taskId: string; userId: string; source: "send" | "click" },
): void {
  db.insert(wecomCardCodes)
    .values({ ...c, issuedAt: now })
    .onConflictDoNothing()
    .run();
}
