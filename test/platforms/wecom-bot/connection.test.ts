/**
 * The robot's connection state as /healthz reads it: trying is healthy for 2 minutes, then an alarm;
 * connected is healthy; a drop starts the 2 minutes from the drop, not from each retry.
 */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { BotConnection, DOWN_ALARM_MS } from "../../../src/platforms/wecom-bot/connection.ts";
import { type FakeBot, startFakeBot } from "../../fakes/wecom-bot/server.ts";
import { freePort } from "../../faults/bot-process.ts";

const log = pino({ level: "silent" });
let conn: BotConnection | undefined;
let fake: FakeBot | undefined;
afterEach(async () => {
  conn?.stop();
  await fake?.close();
});

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
};

describe("the robot's connection state", () => {
  it("nobody answering: healthy while trying, an alarm after 2 minutes", async () => {
    const port = await freePort();
    conn = new BotConnection({ botId: "b", secret: "s", wsUrl: `ws://127.0.0.1:${port}` }, log, {
      reconnectMs: 20,
    });
    conn.start();
    await until(() => conn?.state === "reconnecting");
    const now = Date.now();
    expect(conn.health(now).healthy).toBe(true);
    expect(conn.health(now + DOWN_ALARM_MS + 1000)).toMatchObject({ state: "reconnecting", healthy: false });
  });

  it("connected is healthy; after a drop the 2 minutes count from the drop", async () => {
    fake = await startFakeBot({ botId: "b", secret: "s" });
    conn = new BotConnection({ botId: "b", secret: "s", wsUrl: fake.url }, log, { reconnectMs: 20 });
    conn.start();
    await until(() => conn?.state === "connected");
    expect(conn.health(Date.now() + 10 * DOWN_ALARM_MS).healthy).toBe(true);
    const dropped = Date.now();
    fake.drop({ refuse: true });
    await until(() => conn?.state !== "connected");
    // Retries flip between authenticating and reconnecting; the clock still runs from the drop.
    await new Promise((r) => setTimeout(r, 150));
    expect(conn.health(dropped + DOWN_ALARM_MS - 1000).healthy).toBe(true);
    expect(conn.health(dropped + DOWN_ALARM_MS + 1000).healthy).toBe(false);
    fake.allow();
    await until(() => conn?.state === "connected");
    expect(conn.health().healthy).toBe(true);
  });

  it("a second process with the same bot id takes over: this one says so, stays off, and is unhealthy", async () => {
    fake = await startFakeBot({ botId: "b", secret: "s" });
    const lines: string[] = [];
    const captured = pino({ level: "info" }, { write: (l: string) => lines.push(l) });
    conn = new BotConnection({ botId: "b", secret: "s", wsUrl: fake.url }, captured, { reconnectMs: 20 });
    conn.start();
    await until(() => conn?.state === "connected");
    const other = new BotConnection({ botId: "b", secret: "s", wsUrl: fake.url }, log, { reconnectMs: 20 });
    other.start();
    try {
      await until(() => other.state === "connected" && conn?.state === "replaced");
      await new Promise((r) => setTimeout(r, 200));
      expect(conn.state).toBe("replaced"); // no fight: it does not reconnect
      expect(conn.health().healthy).toBe(false);
      expect(lines.some((l) => l.includes("同一个 WECOM_BOT_ID"))).toBe(true);
    } finally {
      other.stop();
    }
  });
});
