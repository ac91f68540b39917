import { describe, expect, it } from "vitest";
import type { CommandDef } from "../../src/core/commands/registry.ts";
import { createCore } from "../../src/core/core.ts";
import { type Feature, serviceKey } from "../../src/core/feature.ts";
import { features } from "../../src/core/features.ts";
import type { Services } from "../../src/core/services.ts";

// Nothing here reaches the services: registering is pure, so a stand-in object is enough.
const services = {} as Services;

const command = (name: string, aliases: string[] = []): CommandDef => ({
  name,
  aliases,
  usage: "",
  summary: "",
  audience: [],
  run() {},
});

const feature = (name: string, apply: Feature["apply"]): Feature => ({ name, apply });

describe("features plug into one registry, and a clash stops start-up", () => {
  it("a command word taken by an earlier feature is refused, naming both features", () => {
    const a = feature("甲", (r) => r.command(command("submit", ["提审"])));
    const b = feature("乙", (r) => r.command(command("send", ["提审"])));
    expect(() => createCore(services, [a, b])).toThrow("命令 提审 registered twice: by 甲 and by 乙");
  });

  it("a card button name registered twice is refused", () => {
    const handler = () => ({});
    const a = feature("甲", (r) => r.cardAction("review.decide", handler));
    const b = feature("乙", (r) => r.cardAction("review.decide", handler));
    expect(() => createCore(services, [a, b])).toThrow("卡片按钮 review.decide registered twice");
  });

  it("a feature asking for a service nobody listed before it is refused", () => {
    const key = serviceKey<number>("review");
    const user = feature("crisis", (r) => r.need(key));
    const provider = feature("review", (r) => r.provide(key, 1));
    expect(() => createCore(services, [user, provider])).toThrow("feature crisis needs service review");
    expect(() => createCore(services, [provider, user])).not.toThrow();
  });

  it("wrappers of another feature's command apply in the order of the list, the later one outermost", () => {
    const calls: string[] = [];
    const base = feature("review", (r) =>
      r.command({ ...command("submit"), run: () => calls.push("submit") }),
    );
    const wrap = (label: string) =>
      feature(label, (r) =>
        r.wrapCommand("submit", (def) => ({
          ...def,
          run: (ctx) => {
            calls.push(label);
            def.run(ctx);
          },
        })),
      );
    const core = createCore(services, [wrap("metrics"), base, wrap("exam")]);
    core.commands.find("submit")?.run({} as never);
    expect(calls).toEqual(["exam", "metrics", "submit"]);
    expect(core.registry.commandList()[0]).toBe(core.commands.find("submit"));
  });

  it("registering after start-up is refused", () => {
    const core = createCore(services, []);
    expect(() => core.registry.command(command("late"))).toThrow("registered after start-up");
  });

  it("every feature of the bot has its own name (start-up errors name them)", () => {
    const names = features.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
