import type { WechatyConfig } from "../../config.ts";
import type { PlatformModule, Shared } from "../module.ts";
import { WecomRenderer } from "../wecom/render.ts";
import { WechatChannel } from "./channel.ts";
import { WechatDeliverer, type WechatLimits } from "./deliver.ts";
import { WechatRenderer } from "./render.ts";

export interface WechatModule extends PlatformModule {
  /** The running channel (set by `init`), for tests that drive the mock puppet. */
  readonly channel: WechatChannel | undefined;
}

export interface WechatTuning {
  limits?: WechatLimits | undefined;
  /** Tests: a Wechaty puppet instance (wechaty-puppet-mock) used instead of WECHATY_PUPPET's package. */
  puppet?: unknown;
}

/**
 * WeChat store groups through Wechaty (optional; on when WECHATY_PUPPET is set): a text channel, so a
 * card is its text form (the `text` lines of cards/wecom/*.json, which name the command to use instead
 * of a button). The account logs in in the background (QR code in the log); the bot does not wait for it.
 */
export function wechatModule(cfg: WechatyConfig, s: Shared, t: WechatTuning = {}): WechatModule {
  const cards = new WecomRenderer();
  const renderer = new WechatRenderer((view) => cards.card(view).text);
  let channel: WechatChannel | undefined;
  const deliverer = new WechatDeliverer(() => channel, t.limits);
  return {
    name: "wechat",
    platform: "wechat",
    capabilities: {
      cardForms: false,
      richCards: false,
      cardUpdate: false,
      groupRead: true,
      buzz: false,
      fileUpload: false,
      imageUpload: false,
      groupRobotWebhook: false,
    },
    renderer,
    deliverer,
    get channel() {
      return channel;
    },
    init({ dispatcher }) {
      channel = new WechatChannel({
        config: cfg,
        dispatcher,
        renderer,
        db: s.db,
        log: s.log,
        logLevel: s.logLevel,
        onState: (state, detail) => s.channels.set("wechat", "puppet", state, detail),
        ...(t.puppet ? { puppet: t.puppet } : {}),
      });
      s.channels.set("wechat", "puppet", "connecting");
      return [];
    },
    start() {
      if (channel) void channel.start();
    },
    async stop() {
      await channel?.stop();
      await deliverer.stop();
    },
  };
}

/** The WeChat channel among the modules, when WECHATY_PUPPET is set (App.wechat). */
export function wechatChannelOf(modules: readonly PlatformModule[]): WechatChannel | undefined {
  for (const m of modules) if ("channel" in m) return (m as WechatModule).channel;
  return undefined;
}
