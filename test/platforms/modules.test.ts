/**
 * The platform modules as createApp sees them: each declares every capability, `buzz` matches a renderer
 * that can buzz, a second module on a platform stacks over the first (the 智能机器人 over WeCom's app) or
 * stops start-up, and core's `outbound.can` answers from the union of the flags.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.ts";
import { loadConfig } from "../../src/config.ts";
import { People } from "../../src/core/people/people.ts";
import { Channels } from "../../src/http/channels.ts";
import { OutboxWriter } from "../../src/outbox/outbound.ts";
import { enabledModules, outgoing } from "../../src/platforms/index.ts";
import { openDb } from "../../src/store/db.ts";

const ALL = {
  FEISHU_APP_ID: "cli_modules",
  FEISHU_APP_SECRET: "secret",
  FEISHU_VERIFICATION_TOKEN: "vt",
  WECOM_CORP_ID: "ww_corp",
  WECOM_AGENT_ID: "1000002",
  WECOM_SECRET: "secret",
  WECOM_TOKEN: "token",
  WECOM_ENCODING_AES_KEY: "a".repeat(43),
  WECOM_BOT_ID: "aib_modules",
  WECOM_BOT_SECRET: "secret",
  WECHATY_PUPPET: "wechaty-puppet-mock",
  LOG_LEVEL: "silent",
};

function build(env: Record<string, string>) {
  const clock = new ManualClock(Date.parse("2026-11-16T10:00:00+08:00"));
  const db = openDb(":memory:");
  const log = pino({ level: "silent" });
  const modules = enabledModules(loadConfig(env), { db, clock, log, channels: new Channels() }, {});
  return { db, clock, modules };
}

describe("platform modules", () => {
  it("are built only when configured, in the registry's order", () => {
    expect(build(ALL).modules.map((m) => m.name)).toEqual(["feishu", "wecom", "wechat", "wecom_bot"]);
    const { WECOM_BOT_ID: _i, WECOM_BOT_SECRET: _s, WECHATY_PUPPET: _p, ...some } = ALL;
    expect(build(some).modules.map((m) => m.name)).toEqual(["feishu", "wecom"]);
  });

  it("declare buzz exactly when their renderer can buzz", () => {
    for (const m of build(ALL).modules) {
      expect({ module: m.name, buzz: m.capabilities.buzz }).toEqual({
        module: m.name,
        buzz: typeof m.renderer.urgent === "function",
      });
    }
  });

  it("stack the 智能机器人 over the self-built app; core asks capabilities by platform, never by name", () => {
    const { db, clock, modules } = build(ALL);
    const { renderers, capabilities } = outgoing(modules);
    const wecomApp = modules.find((m) => m.name === "wecom");
    expect(renderers.wecom).not.toBe(wecomApp?.renderer); // the robot's router, with the app below it
    expect(renderers.wecom?.send({ type: "chat", id: "robot:1" }, { type: "text", text: "x" }, [])).toEqual(
      wecomApp?.renderer.send({ type: "chat", id: "robot:1" }, { type: "text", text: "x" }, []),
    );
    const writer = new OutboxWriter(db, clock, new People(db, clock, []), renderers, [], capabilities);
    expect(writer.can("feishu", "cardForms")).toBe(true);
    expect(writer.can("wecom", "cardForms")).toBe(false);
    expect(writer.can("wecom", "groupRead")).toBe(true); // the robot's, though the app cannot
    expect(writer.can("wecom", "groupRobotWebhook")).toBe(true);
    expect(writer.can("wechat", "richCards")).toBe(false);
    const feishuOnly = build({
      FEISHU_APP_ID: "cli_x",
      FEISHU_APP_SECRET: "s",
      FEISHU_VERIFICATION_TOKEN: "vt",
      LOG_LEVEL: "silent",
    });
    const alone = outgoing(feishuOnly.modules);
    const w2 = new OutboxWriter(
      feishuOnly.db,
      clock,
      new People(feishuOnly.db, clock, []),
      alone.renderers,
      [],
      alone.capabilities,
    );
    expect(w2.can("wecom", "groupRobotWebhook")).toBe(false); // not enabled here
  });

  it("refuse two modules on one platform when the second cannot stack", () => {
    const { modules } = build(ALL);
    const feishu = modules[0];
    if (!feishu) throw new Error("no feishu module");
    expect(() => outgoing([feishu, { ...feishu, name: "feishu_again" }])).toThrow(/cannot stack/);
  });
});
