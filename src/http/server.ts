import Router from "@koa/router";
import Koa from "koa";
import type { Logger } from "pino";
import type { Db } from "../store/db.ts";
import type { Channels } from "./channels.ts";
import { registry } from "./metrics.ts";

export interface HttpRoutes {
  /** Adds platform routes (webhooks, sandbox) to the router. */
  mount(router: Router): void;
}

/** The Koa app: health, metrics and whatever platform routes are enabled. */
export function buildHttp(db: Db, log: Logger, routes: HttpRoutes[], channels?: Channels): Koa {
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
      const down = channels?.unhealthy() ?? [];
      const states = channels?.snapshot() ?? {};
      // A long connection refused or down for minutes: the bot answers HTTP but receives nothing.
      if (down.length > 0) ctx.status = 503;
      ctx.body = {
        status: down.length > 0 ? "error" : "ok",
        ...(down.length > 0 ? { reason: "channels", down } : {}),
        time: new Date().toISOString(),
        channels: states,
      };
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
