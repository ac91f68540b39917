import type { Logger } from "pino";
import { Gauge } from "prom-client";
import type { Clock } from "../../clock.ts";
import type { WecomBotConfig } from "../../config.ts";
import type { Dispatcher } from "../../core/dispatch.ts";
import type { Outbound } from "../../core/ports.ts";
import type { Platform } from "../../core/types.ts";
import { registry } from "../../http/metrics.ts";
import type { Renderer } from "../../outbox/outbound.ts";
import type { Deliverer } from "../../outbox/worker.ts";
import type { Db } from "../../store/db.ts";
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
 * The WeCom 智能机器人 channel as one module: it wraps the "wecom" renderer and deliverer (robot chats are
 * `aibot:<chatid>`, the app keeps its DMs), receives over the SDK's long connection and reports its state.
 */
export function wecomBotModule(
  cfg: WecomBotConfig,
  db: Db,
  clock: Clock,
  log: Logger,
  opts: WecomBotOptions = {},
) {
  const conn = new BotConnection(cfg, log, opts);
  const bot = new BotDeliverer(conn, db, log, opts.limits);
  const cards = new WecomRenderer();

  registry.removeSingleMetric("bot_wecom_bot_connection");
  new Gauge({
    name: "bot_wecom_bot_connection",
    help: "WeCom 智能机器人 long connection: 1 for its current state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      for (const s of STATES) this.set({ state: s }, conn.state === s ? 1 : 0);
    },
  });

  return {
    connection: conn,
    /** Wraps whatever renderer/deliverer the self-built app registered (or none). */
    register(
      renderers: Partial<Record<Platform, Renderer>>,
      deliverers: Partial<Record<Platform, Deliverer>>,
    ) {
      renderers.wecom = new WecomRouterRenderer(cards, renderers.wecom);
      deliverers.wecom = new WecomRouterDeliverer(bot, deliverers.wecom);
    },
    health: () => conn.health(),
    start(d: { dispatcher: Dispatcher; outbound: Outbound; wake: () => void }) {
      const receiver = new BotReceiver({ ...d, db, clock, log, cards });
      conn.client.on("message", (f) => receiver.onMessage(f));
      conn.client.on("event.template_card_event", (f) => receiver.onCardEvent(f as never));
      // Sends that waited while the connection was down go now, not at their back-off time.
      conn.onReady(() => {
        db.$client
          .prepare(
            "update outbox set next_attempt_at = ? where platform = 'wecom' and status = 'pending' and last_error like ?",
          )
          .run(clock.now(), `${DOWN_CODE}%`);
        d.wake();
      });
      conn.start();
    },
    async stop() {
      conn.stop();
      await bot.stop();
    },
  };
}

export type WecomBotModule = ReturnType<typeof wecomBotModule>;
