import type { Context } from "koa";
import type { Logger } from "pino";
import type { Clock } from "../../clock.ts";
import type { FeishuConfig } from "../../config.ts";
import type { Dispatcher } from "../../core/dispatch.ts";
import { metrics } from "../../http/metrics.ts";
import { readRawBody } from "../../http/raw-body.ts";
import type { GroupCommit } from "../../store/group-commit.ts";
import {
  type FeishuCardEvent,
  type FeishuMessageEvent,
  normaliseCardAction,
  normaliseMessage,
} from "./normalise.ts";
import type { FeishuRenderer } from "./render.ts";
import { checked, feishuCardEvent, feishuHeader, feishuMessageEvent, InvalidPayload } from "./schema.ts";
import { verifyFeishuRequest } from "./verify.ts";

/** Feishu asks for HTTP 200 with a JSON body within 3 s for every handled callback, never 204. */
export interface FeishuHandlers {
  /** Handles one verified, decrypted event body; resolves, once committed, to the JSON to answer with. */
  handle(body: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * The transport part of Feishu: routes a verified body by event type to the dispatcher and turns a card
 * answer into Feishu's `{toast, card: {type: "raw", data}}`. Shared by the webhook and the WS client.
 * Events that arrive together commit together (store/group-commit.ts); each is answered after its commit.
 */
export function feishuHandlers(
  dispatcher: Dispatcher,
  renderer: FeishuRenderer,
  log: Logger,
  commits: GroupCommit,
): FeishuHandlers {
  return {
    async handle(body) {
      if (body.type === "url_verification") return { challenge: body.challenge };
      // Wrong types are refused here, before anything reads them (InvalidPayload → HTTP 400).
      const header = checked(feishuHeader, body.header, "header");
      const eventKey = `feishu:event:${header.event_id ?? ""}`;
      const started = performance.now();
      try {
        if (header.event_type === "im.message.receive_v1") {
          const event = checked(feishuMessageEvent, body.event, "event");
          const msg = normaliseMessage(event as FeishuMessageEvent);
          if (!msg || !header.event_id) return {};
          // Feishu documents message_id as the key for messages (one message, several event ids).
          await commits.run(() => dispatcher.message(msg, [eventKey, `feishu:msg:${msg.messageId}`]));
          return {};
        }
        if (header.event_type === "card.action.trigger") {
          const event = checked(feishuCardEvent, body.event, "event");
          const action = normaliseCardAction(event as FeishuCardEvent);
          if (!action || !header.event_id) return {};
          const { answer } = await commits.run(() => dispatcher.cardAction(action, [eventKey]));
          const out: Record<string, unknown> = {};
          if (answer.toast) out.toast = answer.toast;
          if (answer.card) out.card = { type: "raw", data: renderer.card(answer.card) };
          return out;
        }
        log.debug({ eventType: header.event_type }, "feishu event ignored");
        return {};
      } finally {
        metrics.callbackSeconds.observe(
          { platform: "feishu", kind: header.event_type ?? "other" },
          (performance.now() - started) / 1000,
        );
      }
    },
  };
}

/** POST /webhooks/feishu */
export function feishuWebhook(cfg: FeishuConfig, handlers: FeishuHandlers, log: Logger, clock: Clock) {
  return async (ctx: Context) => {
    const raw = await readRawBody(ctx, "feishu");
    if (!raw) return;
    const verified = verifyFeishuRequest(cfg, ctx.headers, raw, clock.now());
    if (!verified.ok) {
      metrics.callbacksRejected.inc({ platform: "feishu", reason: verified.reason });
      log.warn({ reason: verified.reason, ip: ctx.ip }, "feishu callback rejected");
      ctx.status = verified.status;
      ctx.body = { code: verified.status, msg: verified.status === 401 ? "unauthorized" : "bad request" };
      return;
    }
    try {
      ctx.status = 200;
      ctx.body = await handlers.handle(verified.body);
    } catch (err) {
      if (err instanceof InvalidPayload) {
        metrics.callbacksRejected.inc({ platform: "feishu", reason: "bad_payload" });
        log.warn({ reason: err.message, ip: ctx.ip }, "feishu callback rejected");
        ctx.status = 400;
        ctx.body = { code: 400, msg: "bad request" };
        return;
      }
      // Nothing committed (one transaction per event); a 500 makes Feishu redeliver events. Card
      // callbacks are not redelivered, so they get a 200 with an error toast instead.
      log.error({ err }, "feishu callback failed");
      const header = (verified.body.header ?? {}) as { event_type?: string };
      if (header.event_type === "card.action.trigger") {
        ctx.status = 200;
        ctx.body = { toast: { type: "error", content: "系统繁忙，请稍后再试" } };
      } else {
        ctx.status = 500;
        ctx.body = { code: 500, msg: "internal error" };
      }
    }
  };
}
