import type Router from "@koa/router";
import type { FeishuConfig } from "../../config.ts";
import { ConfigError } from "../../config.ts";
import type { PlatformModule, Shared } from "../module.ts";
import { FeishuApi } from "./api.ts";
import { FeishuDeliverer, type FeishuLimits } from "./deliver.ts";
import { feishuHandlers, feishuWebhook } from "./receiver.ts";
import { FeishuRenderer } from "./render.ts";
import { type FeishuWs, startFeishuWs, WS_REFUSED } from "./ws.ts";

/**
 * Feishu (飞书): events and card clicks by webhook (POST /webhooks/feishu) or, with FEISHU_MODE=ws, over
 * the SDK's long connection (no public URL). The sandbox is this module against an in-process fake Open
 * Platform (src/platforms/sandbox/): only FEISHU_DOMAIN and the credentials differ.
 */
export function feishuModule(cfg: FeishuConfig, s: Shared, limits?: FeishuLimits): PlatformModule {
  const renderer = new FeishuRenderer();
  const api = new FeishuApi({ appId: cfg.appId, appSecret: cfg.appSecret, domain: cfg.domain });
  const deliverer = new FeishuDeliverer(api, s.log, limits);
  let ws: FeishuWs | undefined;
  let start: (() => void) | undefined;
  return {
    name: "feishu",
    platform: "feishu",
    capabilities: {
      cardForms: true,
      richCards: true,
      cardUpdate: true,
      groupRead: true,
      buzz: true, // 加急 urgent_app
      fileUpload: true,
      imageUpload: true,
      groupRobotWebhook: false,
    },
    renderer,
    deliverer,
    init({ dispatcher, commits }) {
      const handlers = feishuHandlers(dispatcher, renderer, s.log, commits);
      if (cfg.mode === "ws") {
        start = () => {
          ws = startFeishuWs(cfg, handlers, s.log, s.channels);
        };
        return [];
      }
      s.channels.set("feishu", "webhook", "ready");
      return [
        { mount: (r: Router) => r.post("/webhooks/feishu", feishuWebhook(cfg, handlers, s.log, s.clock)) },
      ];
    },
    start: () => start?.(),
    async ready(waitMs) {
      if (!ws) return;
      const outcome = await ws.firstOutcome(waitMs);
      if (outcome === "refused") throw new ConfigError(WS_REFUSED);
      if (outcome === "pending")
        s.log.warn("飞书长连接尚未建立，仍在重试 / feishu long connection not up yet, retrying");
    },
    close: () => ws?.stop(),
    stop: () => deliverer.stop(),
  };
}
