import type { TemplateCard } from "@wecom/aibot-node-sdk";
import Bottleneck from "bottleneck";
import type { Logger } from "pino";
import type { DeliveryResult } from "../../outbox/types.ts";
import type { Deliverer, OutboxRow } from "../../outbox/worker.ts";
import type { Db } from "../../store/db.ts";
import { SlidingGate, type WindowRule } from "../wecom/limits.ts";
import type { BotConnection } from "./connection.ts";
import {
  AIBOT_COPY,
  AIBOT_PREFIX,
  type BotMsg,
  type BotPayload,
  isBotPayload,
  mentionLine,
  plainMarkdown,
} from "./render.ts";
import { wording } from "./wording.ts";

/**
 * Active sends per chat. The SDK states no number; WeCom's robots are held to 20 a minute per chat, and
 * the robot keeps to that itself so the server never has to refuse (45009 is retried after a minute).
 */
export const BOT_LIMITS: WindowRule[] = [{ limit: 20, windowMs: 60_000 }];
/** The server's answer to a template card whose task_id was already used: the resend of a sent card. */
export const TASK_ID_USED = "40006";

/** Sends the robot's outbox rows over the long connection (official SDK). */
export class BotDeliverer {
  private readonly perChat = new Bottleneck.Group({ maxConcurrent: 1 });
  private readonly gate: SlidingGate;

  constructor(
    private readonly conn: BotConnection,
    private readonly db: Db,
    private readonly log: Logger,
    limits: WindowRule[] = BOT_LIMITS,
  ) {
    this.gate = new SlidingGate(limits);
  }

  async deliver(row: OutboxRow, p: BotPayload): Promise<DeliveryResult> {
    switch (p.to) {
      case "aibot": {
        const msg = this.once(row, p.msg);
        return this.limited(p.chatid, () => this.send(p.chatid, msg, row.idemKey));
      }
      case "aibot-update":
        return this.update(p);
      case "aibot-urgent": {
        if (!row.target.startsWith(`chat:${AIBOT_PREFIX}`)) return { ok: true }; // a DM: nothing to add
        const chatid = row.target.slice(`chat:${AIBOT_PREFIX}`.length);
        const msg: BotMsg = { msgtype: "markdown", parts: [mentionLine(p.userIds, wording("pageMentions"))] };
        return this.limited(chatid, () => this.send(chatid, msg, row.idemKey));
      }
    }
  }

  /**
   * One card per thing per chat. A sent card changes only in answer to a click on it, so a second copy
   * in the same chat (a crisis page's repeat, a reminder) would stay behind, stale, when the first is
   * clicked. The chat that already holds a copy gets the card's current text instead, pointing at that
   * card — and the card it holds is the one a click updates for everyone.
   */
  private once(row: OutboxRow, msg: BotMsg): BotMsg {
    if (msg.msgtype !== "template_card" || !row.cardRef) return msg;
    const held = this.db.$client
      .prepare(
        "select 1 from outbox where card_ref = ? and target = ? and op = 'send' and status = 'done' and message_id like 'aibot:%' and message_id not like 'aibot:md:%' and id < ? limit 1",
      )
      .get(row.cardRef, row.target, row.id);
    if (!held) return msg;
    const c = msg.template_card as {
      main_title?: { title?: string; desc?: string };
      sub_title_text?: string;
    };
    const lines = [c.main_title?.title, c.main_title?.desc, c.sub_title_text, wording("cardAbove")];
    return { msgtype: "markdown", parts: [plainMarkdown(lines.filter(Boolean).join("\n"))] };
  }

  private limited(chatid: string, fn: () => Promise<DeliveryResult>): Promise<DeliveryResult> {
    return this.perChat.key(chatid).schedule(async () => {
      await this.gate.wait(chatid);
      try {
        return await fn();
      } finally {
        this.gate.record(chatid, Date.now());
      }
    });
  }

  private async send(chatid: string, msg: BotMsg, idemKey: string): Promise<DeliveryResult> {
    const c = this.conn.client;
    switch (msg.msgtype) {
      case "markdown": {
        // No idempotency key exists for markdown: a retry after a lost receipt may repeat a part.
        for (const content of msg.parts) {
          const r = await this.conn.call(() =>
            c.sendMessage(chatid, { msgtype: "markdown", markdown: { content } }),
          );
          if (!r.ok) return r;
        }
        // A message id, so @-mentions that follow it (urgent rows wait for their send) can go.
        return { ok: true, messageId: `${AIBOT_COPY}md:${idemKey}` };
      }
      case "template_card": {
        // task_id is the outbox row's key: a resend after a crash names the same card, and the server
        // refuses a used task_id, so the card is never shown twice.
        const taskId = idemKey;
        const r = await this.conn.call(() =>
          c.sendMessage(chatid, {
            msgtype: "template_card",
            template_card: { ...msg.template_card, task_id: taskId } as TemplateCard,
          }),
        );
        if (!r.ok && r.code !== TASK_ID_USED) return r;
        return { ok: true, messageId: `${AIBOT_COPY}${taskId}` };
      }
      case "file":
      case "image": {
        const bytes = Buffer.from(msg.base64, "base64");
        let mediaId = "";
        const up = await this.conn.call(async () => {
          const res = await c.uploadMedia(bytes, { type: msg.msgtype, filename: msg.fileName });
          mediaId = res.media_id;
          return { headers: { req_id: "" } };
        });
        if (!up.ok) return up;
        const r = await this.conn.call(() => c.sendMediaMessage(chatid, msg.msgtype, mediaId));
        return r.ok ? { ok: true } : r;
      }
    }
  }

  /**
   * The clicked copy, with the click's req_id. WeCom takes one update per click and only within 5 s; once
   * that has passed (the connection was down, the process restarted) the copy cannot be changed, and
   * dead-lettering would only alarm the admins: it is logged and the copy is refreshed by its next click.
   */
  private async update(p: Extract<BotPayload, { to: "aibot-update" }>): Promise<DeliveryResult> {
    const card = { ...p.templateCard, task_id: p.taskId } as TemplateCard;
    const r = await this.conn.call(() =>
      this.conn.client.updateTemplateCard({ headers: { req_id: p.reqId } }, card),
    );
    if (r.ok || r.retry) return r.ok ? { ok: true } : r;
    this.log.warn(
      { taskId: p.taskId, code: r.code },
      "wecom ai bot card update refused; the copy stays as it was",
    );
    return { ok: true };
  }

  async stop(): Promise<void> {
    await this.perChat.disconnect(false);
  }
}

/**
 * The deliverer registered for "wecom" when the robot is on: robot payloads to the robot, the rest to the
 * self-built app (when configured). A card update lists every delivered copy: the app's copies are
 * updated by the app; the robot's cannot be edited except by answering a click (see update above), and
 * the clicked one is updated by that answer.
 */
export class WecomRouterDeliverer implements Deliverer {
  constructor(
    private readonly bot: BotDeliverer,
    private readonly app: Deliverer | undefined,
  ) {}

  async deliver(row: OutboxRow, copies: string[]): Promise<DeliveryResult> {
    const p = row.payload;
    if (isBotPayload(p)) return this.bot.deliver(row, p);
    if (row.op === "update") {
      const appCopies = copies.filter((c) => !c.startsWith(AIBOT_COPY));
      if (!this.app || appCopies.length === 0) return { ok: true };
      return this.app.deliver(row, appCopies);
    }
    if (!this.app) {
      return {
        ok: false,
        retry: false,
        code: "WECOM_APP_OFF",
        message: "no WeCom app configured",
        where: "platform",
      };
    }
    return this.app.deliver(row, copies);
  }
}
