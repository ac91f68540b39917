import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { type FakeFeishu, startFakeFeishu } from "../../../test/fakes/feishu/index.ts";
import type { App } from "../../app.ts";
import type { Config } from "../../config.ts";
import type { HttpRoutes } from "../../http/server.ts";

export interface Sandbox {
  config: Config;
  routes: HttpRoutes[];
  afterStart(app: App, url: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * No credentials: run the real bot against an in-process fake of the Feishu Open Platform over real HTTP
 * (SPEC §11), with a throw-away app id, secret and encrypt key, so every code path is the production one.
 */
export async function startSandbox(config: Config, log: Logger): Promise<Sandbox> {
  const appId = "cli_sandbox";
  const appSecret = randomBytes(16).toString("hex");
  const fake: FakeFeishu = await startFakeFeishu({ appId, appSecret });
  const encryptKey = randomBytes(16).toString("hex");
  const sandboxConfig: Config = Object.freeze({
    ...config,
    feishu: {
      appId,
      appSecret,
      encryptKey,
      verificationToken: randomBytes(8).toString("hex"),
      domain: fake.url,
      mode: "webhook" as const,
    },
  });
  return {
    config: sandboxConfig,
    routes: [],
    async afterStart(_app, url) {
      log.info(
        { fakeFeishu: fake.url, webhook: `${url}/webhooks/feishu` },
        "沙盒模式：未设置任何平台凭据，机器人连接到进程内的模拟飞书开放平台 / sandbox mode (no credentials)",
      );
    },
    async stop() {
      await fake.close();
    },
  };
}
