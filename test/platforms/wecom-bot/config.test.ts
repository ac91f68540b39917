/**
 * WECOM_BOT_*: the robot alone is a real deployment (no sandbox), a half-set pair or a non-ws address
 * stops start-up with one line naming the variable, and the secret never reaches a log.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactedConfig } from "../../../src/config.ts";

const BOT = { WECOM_BOT_ID: "aib_123", WECOM_BOT_SECRET: "bot-secret-DO-NOT-LOG" };

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("accepted");
}

describe("WECOM_BOT_* settings", () => {
  it("the robot alone enables its channel with the official address by default; no sandbox", () => {
    const c = loadConfig(BOT);
    expect(c.wecomBot).toEqual({
      botId: "aib_123",
      secret: BOT.WECOM_BOT_SECRET,
      wsUrl: "wss://openws.work.weixin.qq.com",
    });
    expect(c.sandbox).toBe(false);
    expect(c.wecom).toBeUndefined();
    expect(JSON.stringify(redactedConfig(c))).not.toContain("DO-NOT-LOG");
  });

  it("names the missing half of the pair", () => {
    const m = failure({ WECOM_BOT_ID: "aib_123" });
    expect(m).toContain("WECOM_BOT_SECRET");
    expect(m).not.toContain("\n");
    expect(failure({ WECOM_BOT_SECRET: "x" })).toContain("WECOM_BOT_ID");
  });

  it("takes a private deployment's ws(s) address and refuses an http one", () => {
    expect(loadConfig({ ...BOT, WECOM_BOT_WS_URL: "wss://ws.example.cn:8443" }).wecomBot?.wsUrl).toBe(
      "wss://ws.example.cn:8443",
    );
    const m = failure({ ...BOT, WECOM_BOT_WS_URL: "https://openws.work.weixin.qq.com" });
    expect(m).toContain("WECOM_BOT_WS_URL");
    expect(m).toContain("ws(s)");
  });
});
