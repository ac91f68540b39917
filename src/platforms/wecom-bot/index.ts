import { Gauge } from "prom-client";
import type { WecomBotConfig } from "../../config.ts";
import { registry } from "../../http/metrics.ts";
import type { InboundContext, PlatformModule, Shared } from "../module.ts";
import type { WindowRule } from "../wecom/limits.ts";
import { WecomRenderer } from "../wecom/render.ts";
import { BotConnection, type BotConnectionOptions, type BotState, DOWN_CODE } from "./connection.ts";
import { BotDeliverer, WecomRouterDeliverer } from "./deliver.ts";
import { BotReceiver } from "./receive.ts";
import { WecomRouterRenderer } from "./render.ts";

const STATES: BotState[] = ["authenticating", "connected", "reconnecting", "refused", "replaced", "stopped"];

export interface WecomBotOptions extends BotConnectionOptions {
  limits?: WindowRule[];
}

/**
 * The WeCom 智能机器人 (API mode, over the SDK's long connection: no public URL). Its people are WeCom's
 * (`wecom:<userid>`, the same as the self-built app's), so it is a second module on the platform "wecom":
 * its chats are `aibot:<chatid>` and, when the self-built app is on too, it stacks over the app's
 * renderer and deliverer (the app keeps its DMs and group robots).
 */
export function wecomBotModule(cfg: WecomBotConfig, s: Shared, opts: WecomBotOptions = {}): PlatformModule {
  const { db, clock, log } = s;
  const conn = new BotConnection(cfg, log, opts);
  const bot = new BotDeliverer(conn, db, log, opts.limits);
  const cards = new WecomRenderer();
  let inbound: InboundContext | undefined;

  registry.removeSingleMetric("bot_wecom_bot_connection");
  new Gauge({
    name: "bot_wecom_bot_connection",
    help: "WeCom 智能机器人 long connection: 1 for its current state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      for (const st of STATES) this.set({ state: st }, conn.state === st ? 1 : 0);
    },
  });

  return {
    name: "wecom_bot",
    platform: "wecom",
    capabilities: {
      cardForms: false,
      richCards: false,
      cardUpdate: true, // the clicked copy, in the click's answer (robot cards change only then)
      groupRead: true, // group messages that @ the robot
      buzz: true, // a line @-ing the paged people after the card
      fileUpload: true,
      imageUpload: true,
      // Group robots stay WeCom's to bind (and a group here may replace them, /bind … 替换); posting to
      // them needs the self-built app: without it their rows fail visibly (dead letter, admins told).
      groupRobotWebhook: true,
    },
    renderer: new WecomRouterRenderer(cards, undefined),
    deliverer: new WecomRouterDeliverer(bot, undefined),
    stack: (below) => ({
      renderer: new WecomRouterRenderer(cards, below.renderer),
      deliverer: new WecomRouterDeliverer(bot, below.deliverer),
    }),
    init(ctx) {
      inbound = ctx;
      s.channels.watch("wecom_bot", "ws", () => conn.health());
      return [];
    },
    start() {
      if (!inbound) throw new Error("wecom_bot started before init");
      const { dispatcher, outbound, wake } = inbound;
      const receiver = new BotReceiver({ dispatcher, outbound, wake, db, clock, log, cards });
      conn.client.on("message", (f) => receiver.onMessage(f));
      conn.client.on("event.template_card_event", (f) => receiver.onCardEvent(f as never));
      // Sends that waited while the connection was down go now, not at their back-off time.
      conn.onReady(() => {
        db.$client
          .prepare(
            "update outbox set next_attempt_at = ? where platform = 'wecom' and status = 'pending' and last_error like ?",
          )
          .run(clock.now(), `${DOWN_CODE}%`);
        wake();
      });
      conn.start();
    },
    // After the outbox worker (stop's place): its in-flight sends keep the connection; frames taken
    // meanwhile only write rows.
    async stop() {
      conn.stop();
      await bot.stop();
    },
  };
}
