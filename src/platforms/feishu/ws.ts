import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import type { FeishuConfig } from "../../config.ts";
import type { FeishuHandlers } from "./receiver.ts";

/**
 * FEISHU_MODE=ws: events and card callbacks over the SDK's long connection (no public URL). The SDK
 * hands us header and event flattened into one object; we rebuild the 2.0 shape so the same handlers
 * (dedupe, dispatch, card answers) serve both modes. Messages arrive already authenticated by the
 * connection, so there is no signature to check here.
 */
export function startFeishuWs(cfg: FeishuConfig, handlers: FeishuHandlers, log: Logger): () => void {
  const unflatten = (eventType: string) => (data: Record<string, unknown>) => {
    const { event_id, create_time, token, app_id, tenant_key, event_type: _t, schema: _s, ...event } = data;
    return handlers.handle({
      schema: "2.0",
      header: { event_id, event_type: eventType, create_time, token, app_id, tenant_key },
      event,
    });
  };
  const dispatcher = new lark.EventDispatcher({}).register({
    "im.message.receive_v1": unflatten("im.message.receive_v1"),
    // card.action.trigger has no generated type in the SDK; our handler returns the card answer.
    "card.action.trigger": unflatten("card.action.trigger"),
  } as Record<string, (data: Record<string, unknown>) => unknown>);
  const client = new lark.WSClient({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    domain: cfg.domain,
    loggerLevel: lark.LoggerLevel.warn,
  });
  void client.start({ eventDispatcher: dispatcher });
  log.info("feishu long connection started (FEISHU_MODE=ws)");
  return () => {
    try {
      (client as unknown as { close?: () => void }).close?.();
    } catch (err) {
      log.warn({ err }, "closing feishu long connection");
    }
  };
}
