import * as lark from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import type { FeishuConfig } from "../../config.ts";
import type { Channels } from "../../http/channels.ts";
import type { FeishuHandlers } from "./receiver.ts";
import { InvalidPayload } from "./schema.ts";

/** What the first connection attempt came to (start-up waits for it, up to a limit). */
export type FirstOutcome = "connected" | "refused" | "failed" | "pending";

export interface FeishuWs {
  /** Resolves with the first connection's outcome, or "pending" when it took longer than `ms`. */
  firstOutcome(ms: number): Promise<FirstOutcome>;
  stop(): void;
}

/** The Chinese + English line for refused credentials, naming the variables to fix. */
export const WS_REFUSED =
  "飞书长连接被拒绝：FEISHU_APP_ID 或 FEISHU_APP_SECRET 不正确（错误码 514），请在飞书开发者后台核对「凭证与基础信息」 / " +
  "Feishu long connection refused: check FEISHU_APP_ID and FEISHU_APP_SECRET (code 514)";

const CARD_FAILED = { toast: { type: "error", content: "系统繁忙，操作没有完成，请稍后再试" } };

/**
 * FEISHU_MODE=ws: events and card callbacks over the SDK's long connection (no public URL). The SDK
 * hands us header and event flattened into one object; we rebuild the 2.0 shape so the same handlers
 * (dedupe, dispatch, card answers) serve both modes. Messages arrive already authenticated by the
 * connection, so there is no signature to check here.
 *
 * The SDK reports nothing by itself: refused credentials (514) end its attempts with only a log line,
 * and a thrown handler makes it answer a click with code 500 and no toast. So the connection's state goes
 * to `channels` (/healthz, /metrics) through the SDK's callbacks, and a card handler that throws answers
 * with an error toast.
 */
export function startFeishuWs(
  cfg: FeishuConfig,
  handlers: FeishuHandlers,
  log: Logger,
  channels: Channels,
): FeishuWs {
  const set = (state: Parameters<Channels["set"]>[2], detail?: string) =>
    channels.set("feishu", "ws", state, detail);
  let settle: (o: FirstOutcome) => void = () => {};
  const first = new Promise<FirstOutcome>((resolve) => {
    settle = resolve;
  });

  const unflatten = (eventType: string) => async (data: Record<string, unknown>) => {
    const { event_id, create_time, token, app_id, tenant_key, event_type: _t, schema: _s, ...event } = data;
    try {
      return await handlers.handle({
        schema: "2.0",
        header: { event_id, event_type: eventType, create_time, token, app_id, tenant_key },
        event,
      });
    } catch (err) {
      if (err instanceof InvalidPayload) {
        log.warn({ reason: err.message }, "feishu event of the wrong shape ignored");
        return {};
      }
      log.error({ err, eventType }, "feishu event failed");
      // A click is not redelivered: the person is told. A message is: let the SDK answer 500.
      if (eventType === "card.action.trigger") return CARD_FAILED;
      throw err;
    }
  };
  const dispatcher = new lark.EventDispatcher({}).register({
    "im.message.receive_v1": unflatten("im.message.receive_v1"),
    // card.action.trigger has no generated type in the SDK; our handler returns the card answer.
    "card.action.trigger": unflatten("card.action.trigger"),
  } as Record<string, (data: Record<string, unknown>) => unknown>);
  set("connecting");
  const client = new lark.WSClient({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    domain: cfg.domain,
    loggerLevel: lark.LoggerLevel.warn,
    // Detect a half-open connection (no answer to a ping): the SDK then reconnects.
    wsConfig: { pingTimeout: 15 },
    onReady: () => {
      set("connected");
      log.info("飞书长连接已建立 / feishu long connection ready (FEISHU_MODE=ws)");
      settle("connected");
    },
    onReconnecting: () => {
      set("reconnecting");
      log.warn("飞书长连接断开，正在重连 / feishu long connection lost, reconnecting");
    },
    onReconnected: () => {
      set("connected");
      log.info("飞书长连接已恢复 / feishu long connection restored");
    },
    onError: (err: Error) => {
      const refused = /code=514\b/.test(err.message);
      if (refused) {
        set("refused", "FEISHU_APP_ID 或 FEISHU_APP_SECRET 不正确");
        log.error(WS_REFUSED);
      } else {
        set("failed", "长连接多次重试失败，请检查网络后重启机器人");
        log.error({ err: err.message }, "飞书长连接失败 / feishu long connection failed");
      }
      settle(refused ? "refused" : "failed");
    },
  } as ConstructorParameters<typeof lark.WSClient>[0]);
  void client.start({ eventDispatcher: dispatcher });
  return {
    firstOutcome: (ms) =>
      Promise.race([first, new Promise<FirstOutcome>((r) => setTimeout(() => r("pending"), ms).unref())]),
    stop() {
      try {
        client.close({ force: true });
      } catch (err) {
        log.warn({ err }, "closing feishu long connection");
      }
    },
  };
}
