/**
 * FEISHU_MODE=ws against the fake Feishu's long connection (the SDK's own WSClient, real WebSocket and
 * protobuf frames): refused credentials stop start-up with a line naming the variables; a malformed app
 * id (which the SDK silently ignores) is refused by the config; /healthz and /metrics report the
 * connection's state and turn unhealthy when Feishu refuses it later; a card handler that throws still
 * answers the person with an error toast.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { Channels, DOWN_GRACE_MS } from "../../src/http/channels.ts";
import {
  cardActionEvent,
  type FakeFeishu,
  messageEvent,
  startFakeFeishu,
} from "../../src/platforms/sandbox/open-platform/index.ts";

const APP_ID = "cli_0123456789abcdef";
const SECRET = "right-secret";
let fake: FakeFeishu | undefined;
let app: App | undefined;
let dir = "";

afterEach(async () => {
  await app?.stop().catch(() => {});
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  app = undefined;
  fake = undefined;
});

function env(over: Record<string, string> = {}): Record<string, string> {
  dir = mkdtempSync(join(tmpdir(), "bot-ws-"));
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_PATH: join(dir, "bot.db"),
    BOT_ADMINS: "feishu:ou_admin",
    FEISHU_MODE: "ws",
    FEISHU_APP_ID: APP_ID,
    FEISHU_APP_SECRET: SECRET,
    FEISHU_VERIFICATION_TOKEN: "vt",
    FEISHU_DOMAIN: fake?.url ?? "",
    LOG_LEVEL: "silent",
    ...over,
  };
}

async function boot(over: Record<string, string> = {}): Promise<{ url: string }> {
  fake = await startFakeFeishu({ appId: APP_ID, appSecret: SECRET });
  app = createApp({
    config: loadConfig(env(over)),
    clock: new ManualClock(Date.now()),
    log: pino({ level: "silent" }),
    background: false,
  });
  return app.start();
}

const health = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("FEISHU_MODE=ws", () => {
  it("a wrong secret (code 514) stops start-up with a line naming the variables", async () => {
    const started = boot({ FEISHU_APP_SECRET: "wrong-secret" });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/FEISHU_APP_SECRET.*514/);
    expect(fake?.ws.endpointCalls).toBe(1); // 514 is final: not retried
  });

  it("an app id the SDK would silently ignore is refused by the config, naming FEISHU_APP_ID", () => {
    const base = { ...env(), FEISHU_DOMAIN: "https://open.feishu.cn" };
    expect(() => loadConfig({ ...base, FEISHU_APP_ID: "cli_test" })).toThrow(/^配置错误 FEISHU_APP_ID：/);
    // Webhook mode does not depend on the shape (the token request says whether it is right).
    expect(loadConfig({ ...base, FEISHU_MODE: "webhook", FEISHU_APP_ID: "cli_test" }).feishu?.appId).toBe(
      "cli_test",
    );
  });

  it("reports the connection in /healthz and /metrics, and turns 503 when Feishu refuses it later", async () => {
    const { url } = await boot();
    const up = await health(url);
    expect(up.status).toBe(200);
    expect(up.body.channels).toMatchObject({ feishu: { mode: "ws", state: "connected" } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('bot_channel_up{channel="feishu",mode="ws",state="connected"} 1');

    // Events arrive over the connection and are answered through the outbox.
    const ack = await fake?.ws.push(
      messageEvent({
        token: "vt",
        chatId: "oc_p2p_ou_admin",
        chatType: "p2p",
        senderOpenId: "ou_admin",
        text: "/help",
      }),
    );
    expect(ack?.code).toBe(200);
    await app?.worker.drain();
    expect(fake?.state.messagesTo("oc_p2p_ou_admin").length).toBeGreaterThan(0);

    // The secret is reset in the console: the reconnect is refused, and the bot says so.
    if (fake) fake.ws.refuseAll = true;
    fake?.ws.dropAll();
    await expect.poll(async () => (await health(url)).status, { timeout: 10_000, interval: 200 }).toBe(503);
    const down = await health(url);
    expect(down.body.channels).toMatchObject({ feishu: { mode: "ws", state: "refused" } });
    expect(JSON.stringify(down.body)).toContain("FEISHU_APP_SECRET");
    expect(await (await fetch(`${url}/metrics`)).text()).toContain(
      'bot_channel_up{channel="feishu",mode="ws",state="refused"} 0',
    );
  });

  it("a card handler that throws answers the person with an error toast", async () => {
    await boot();
    app?.core.cardActions.on("test.boom", () => {
      throw new Error("boom");
    });
    const ack = await fake?.ws.push(
      cardActionEvent({
        token: "vt",
        operatorOpenId: "ou_admin",
        value: { a: "test.boom" },
        openMessageId: "om_1",
        openChatId: "oc_p2p_ou_admin",
      }),
    );
    expect(ack?.code).toBe(200);
    expect(ack?.data?.toast).toEqual({ type: "error", content: "系统繁忙，操作没有完成，请稍后再试" });
  });
});

describe("channel states", () => {
  it("a long connection down for more than 2 minutes makes the bot unhealthy; a quick reconnect does not", () => {
    let now = 0;
    const channels = new Channels(() => now);
    channels.set("feishu", "ws", "connected");
    now = 1000;
    channels.set("feishu", "ws", "reconnecting");
    now += DOWN_GRACE_MS;
    expect(channels.unhealthy()).toEqual([]);
    channels.set("feishu", "ws", "connecting"); // still down: the clock keeps running from the drop
    now += 1;
    expect(channels.unhealthy()).toEqual(["feishu"]);
    channels.set("feishu", "ws", "connected");
    expect(channels.unhealthy()).toEqual([]);
  });
});
