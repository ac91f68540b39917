import Router from "@koa/router";
import Koa from "koa";
import type { Logger } from "pino";
import type { Db } from "../store/db.ts";
import { registry } from "./metrics.ts";

export interface HttpRoutes {
  /** Adds platform routes (webhooks, sandbox) to the router. */
  mount(router: Router): void;
}

/** A long-connection channel's state for /healthz: unhealthy makes it answer 503. */
export type ChannelHealth = () => { state: string; since?: string; healthy: boolean };

/** The Koa app: health, metrics and whatever platform routes are enabled. */
export function buildHttp(
  db: Db,
  log: Logger,
  routes: HttpRoutes[],
  channels: Record<string, ChannelHealth> = {},
): Koa {
  const app = new Koa();
  app.proxy = true;
  // Koa prints errors it catches (a client that hangs up mid-upload, a socket reset) to stderr by default;
  // they belong in the structured log, at warn: they are the client's doing, not the bot's.
  app.on("error", (err: Error & { status?: number; code?: string }) => {
    log.warn({ err: { message: err.message, code: err.code, status: err.status } }, "http request error");
  });
  const router = new Router();

  router.get("/healthz", (ctx) => {
    try {
      db.$client.prepare("select 1").get();
      const states = Object.fromEntries(Object.entries(channels).map(([k, read]) => [k, read()]));
      const down = Object.values(states).some((c) => !c.healthy);
      ctx.status = down ? 503 : 200;
      ctx.body = { status: down ? "degraded" : "ok", time: new Date().toISOString(), channels: states };
    } catch (err) {
      log.error({ err }, "healthz: database not answering");
      ctx.status = 503;
      ctx.body = { status: "error", reason: "database" };
    }
  });

  router.get("/metrics", async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });

  for (const r of routes) r.mount(router);

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      log.error({ err, path: ctx.path }, "unhandled http error");
      ctx.status = 500;
      ctx.body = { code: 500, msg: "internal error" };
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
