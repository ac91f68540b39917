import type Router from "@koa/router";
import type { Clock } from "../../clock.ts";
import type { WecomConfig } from "../../config.ts";
import type { Db } from "../../store/db.ts";
import type { PlatformModule, Shared } from "../module.ts";
import { WecomApi } from "./api.ts";
import { WecomDeliverer, type WecomLimits } from "./deliver.ts";
import { wecomRoutes } from "./receiver.ts";
import { WecomRenderer } from "./render.ts";

/**
 * WeCom's self-built app (企业自建应用): callbacks on GET/POST /webhooks/wecom; app messages to members,
 * template cards updated by response code, and posts of the send-only group robots bound by webhook key.
 * The app can neither read nor post in ordinary groups (docs/platforms.md): groups are the 智能机器人's.
 */
export function wecomModule(cfg: WecomConfig, s: Shared, limits?: WecomLimits): PlatformModule {
  const renderer = new WecomRenderer();
  const api = new WecomApi({
    base: cfg.apiBase,
    corpId: cfg.corpId,
    secret: cfg.secret,
    agentId: cfg.agentId,
  });
  const deliverer = new WecomDeliverer(api, s.db, s.clock, s.log, {
    history: sendHistory(s.db, s.clock),
    ...(limits ? { limits } : {}),
  });
  return {
    name: "wecom",
    platform: "wecom",
    capabilities: {
      cardForms: false,
      richCards: false,
      cardUpdate: true, // update_template_card with the click's response code
      groupRead: false,
      buzz: false,
      fileUpload: true,
      imageUpload: true,
      groupRobotWebhook: true,
    },
    renderer,
    deliverer,
    init({ dispatcher, outbound }) {
      const r = wecomRoutes({
        secrets: { token: cfg.token, encodingAesKey: cfg.encodingAesKey, corpId: cfg.corpId },
        agentId: cfg.agentId,
        dispatcher,
        outbound,
        db: s.db,
        clock: s.clock,
        log: s.log,
      });
      s.channels.set("wecom", "webhook", "ready");
      return [
        { mount: (router: Router) => router.get("/webhooks/wecom", r.get).post("/webhooks/wecom", r.post) },
      ];
    },
    prune: (now) => deliverer.prune(now),
    stop: () => deliverer.stop(),
  };
}

/**
 * Sends of the last hour count against WeCom's windows after a restart too (it drops silently). done_at
 * is on the bot's clock, the windows on the wall clock (the same in production; the sandbox and tests
 * move the bot's clock): shift by the difference.
 */
function sendHistory(db: Db, clock: Clock): { key: string; at: number }[] {
  const shift = Date.now() - clock.now();
  const rows = db.$client
    .prepare(
      "select target, done_at as at from outbox where platform = 'wecom' and op = 'send' and status = 'done' and done_at > ?",
    )
    .all(clock.now() - 3_600_000) as { target: string; at: number }[];
  return rows.map((h) => ({
    key: h.target.replace(/^(user|chat):(?!robot:)/, "member:").replace(/^chat:/, ""),
    at: h.at + shift,
  }));
}
