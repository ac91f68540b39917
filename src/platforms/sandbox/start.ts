import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import type { App } from "../../app.ts";
import { OffsetClock } from "../../clock.ts";
import { type Config, ConfigError } from "../../config.ts";
import type { HttpRoutes } from "../../http/server.ts";
import type { FeishuLimits } from "../feishu/deliver.ts";
import { type SandboxContext, sandboxRoutes } from "./api.ts";
import { DEMO_ADMINS, seedDemo } from "./demo.ts";
import { type FakeFeishu, startFakeFeishu } from "./open-platform/index.ts";

export interface Sandbox {
  config: Config;
  clock: OffsetClock;
  /** The bot's pacing towards the fake platform, matching the fake's limits. */
  feishuLimits: FeishuLimits;
  routes: HttpRoutes[];
  afterStart(app: App, url: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The fake platform and the bot both allow more than Feishu's 5 messages a second per chat: 快进时间 over
 * a day of an unanswered 三级 crisis sends 288 pages, one step at a time, which would take a visitor
 * minutes at Feishu's pace. The code paths (pacing, 429/230020 handling) are the same, with bigger numbers.
 */
export const SANDBOX_LIMITS: FeishuLimits = {
  appPerSecond: 500,
  appPerMinute: 30_000,
  perChatPerSecond: 100,
};

/** Sandbox data lives apart from a real deployment's file unless DATABASE_PATH says otherwise. */
export const SANDBOX_DB = "./data/sandbox.db";

/** SQLite's application_id of a sandbox database ("SAND"); a production database keeps 0. */
export const SANDBOX_APPLICATION_ID = 0x53414e44;

/**
 * A lost `.env` (credentials gone, DATABASE_PATH still set by the service) must not turn the production
 * database into a sandbox: demo people, demo admins and a public /sandbox page on real data. A file that
 * has people in it but was never a sandbox's is refused.
 */
export function assertSandboxDatabase(path: string): void {
  if (path === ":memory:" || !existsSync(path)) return;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const id = db.pragma("application_id", { simple: true }) as number;
    const hasPeople = db.prepare("select 1 from sqlite_master where name = 'people'").get()
      ? Boolean(db.prepare("select 1 from people limit 1").get())
      : false;
    if (id !== SANDBOX_APPLICATION_ID && hasPeople) {
      throw new ConfigError(
        `没有设置任何平台凭据，但 DATABASE_PATH（${path}）是一个正式数据库：拒绝以沙盒模式打开它。请检查 .env 是否丢失 / no platform credentials are set but DATABASE_PATH (${path}) is a production database: refusing to open it in sandbox mode. Is .env missing?`,
      );
    }
  } finally {
    db.close();
  }
}

/**
 * No credentials: run the real bot against an in-process fake of the Feishu Open Platform over real HTTP
 * (docs/sandbox.md), with a throw-away app id, secret and encrypt key, so every code path is the production one.
 * The demo company is seeded on first start; /sandbox lets a visitor act as any demo person.
 */
export async function startSandbox(
  config: Config,
  log: Logger,
  env: Record<string, string | undefined>,
): Promise<Sandbox> {
  const databasePath = env.DATABASE_PATH ? config.databasePath : SANDBOX_DB;
  if (env.DATABASE_PATH) assertSandboxDatabase(databasePath);
  const clock = new OffsetClock();
  const appId = "cli_sandbox";
  const appSecret = randomBytes(16).toString("hex");
  const fake: FakeFeishu = await startFakeFeishu({
    appId,
    appSecret,
    clock,
    limits: {
      appPerSecond: SANDBOX_LIMITS.appPerSecond,
      appPerMinute: SANDBOX_LIMITS.appPerMinute,
      perReceiverPerSecond: SANDBOX_LIMITS.perChatPerSecond,
      perMessagePatchPerSecond: SANDBOX_LIMITS.perChatPerSecond,
    },
  });
  const sb: SandboxContext = {
    fake,
    clock,
    encryptKey: randomBytes(16).toString("hex"),
    verificationToken: randomBytes(8).toString("hex"),
  };
  const sandboxConfig: Config = Object.freeze({
    ...config,
    databasePath,
    admins: Object.freeze([...config.admins, ...DEMO_ADMINS]),
    feishu: Object.freeze({
      appId,
      appSecret,
      encryptKey: sb.encryptKey,
      verificationToken: sb.verificationToken,
      domain: fake.url,
      mode: "webhook" as const,
    }),
  });
  return {
    config: sandboxConfig,
    clock,
    feishuLimits: SANDBOX_LIMITS,
    routes: [sandboxRoutes(sb)],
    async afterStart(app, url) {
      sb.app = app;
      app.db.$client.pragma(`application_id = ${SANDBOX_APPLICATION_ID}`);
      sb.webhookUrl = `${url}/webhooks/feishu`;
      const seeded = seedDemo(app.core.services);
      const page = `${url.replace("127.0.0.1", "localhost")}/sandbox`;
      log.info(
        { sandbox: page, fakeFeishu: fake.url, seeded },
        `沙盒模式：未设置任何平台凭据。打开 ${page} 体验（模拟飞书，不连接任何真实账号）/ sandbox mode, open ${page}`,
      );
    },
    async stop() {
      await fake.close();
    },
  };
}
