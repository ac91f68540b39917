import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import type { Capability } from "../core/ports.ts";
import type { Platform } from "../core/types.ts";
import type { Channels } from "../http/channels.ts";
import type { Renderer } from "../outbox/outbound.ts";
import type { Deliverer } from "../outbox/worker.ts";
import type { Db } from "../store/db.ts";
import type { FeishuLimits } from "./feishu/deliver.ts";
import { feishuModule } from "./feishu/index.ts";
import type { PlatformModule, Shared } from "./module.ts";
import type { WechatLimits } from "./wechaty/deliver.ts";
import { wechatModule } from "./wechaty/index.ts";
import type { WecomLimits } from "./wecom/deliver.ts";
import { wecomModule } from "./wecom/index.ts";
import { type WecomBotOptions, wecomBotModule } from "./wecom-bot/index.ts";

/** Tests' and the sandbox's knobs for the modules (rate limits, timings, a mock puppet). */
export interface PlatformTuning {
  feishuLimits?: FeishuLimits;
  wecomLimits?: WecomLimits;
  wechatLimits?: WechatLimits;
  /** Tests: the 智能机器人's reconnect/heartbeat timings and send limits. */
  wecomBot?: WecomBotOptions;
  /** Tests: a Wechaty puppet instance (wechaty-puppet-mock) used instead of WECHATY_PUPPET's package. */
  wechatyPuppet?: unknown;
}

type Entry = (
  config: Config,
  shared: (name: string) => Shared,
  t: PlatformTuning,
) => PlatformModule | undefined;

/**
 * Every platform module, each built only when its configuration is set. A new platform is one line here
 * (docs/platforms-recipe.md). Order matters twice: a module that `stack`s over another of the same
 * platform comes after it, and modules start in this order and stop in the reverse one.
 */
export const PLATFORM_MODULES: readonly Entry[] = [
  (c, s, t) => c.feishu && feishuModule(c.feishu, s("feishu"), t.feishuLimits),
  (c, s, t) => c.wecom && wecomModule(c.wecom, s("wecom"), t.wecomLimits),
  (c, s, t) =>
    c.wechaty && wechatModule(c.wechaty, s("wechat"), { limits: t.wechatLimits, puppet: t.wechatyPuppet }),
  (c, s, t) => c.wecomBot && wecomBotModule(c.wecomBot, s("wecom_bot"), t.wecomBot),
];

export function enabledModules(
  config: Config,
  parts: { db: Db; clock: Clock; log: Logger; channels: Channels },
  tuning: PlatformTuning,
): PlatformModule[] {
  const shared = (name: string): Shared => ({
    ...parts,
    log: parts.log.child({ platform: name }),
    logLevel: config.logLevel,
  });
  return PLATFORM_MODULES.flatMap((entry) => entry(config, shared, tuning) ?? []);
}

/** The outbox's view of the modules: one renderer and deliverer per platform, its capabilities' union. */
export function outgoing(modules: readonly PlatformModule[]) {
  const renderers: Partial<Record<Platform, Renderer>> = {};
  const deliverers: Partial<Record<Platform, Deliverer>> = {};
  const capabilities: Partial<Record<Platform, Set<Capability>>> = {};
  for (const m of modules) {
    const below = renderers[m.platform];
    const belowDeliverer = deliverers[m.platform];
    if (below && belowDeliverer) {
      if (!m.stack) throw new Error(`two platform modules for "${m.platform}" and "${m.name}" cannot stack`);
      const out = m.stack({ renderer: below, deliverer: belowDeliverer });
      renderers[m.platform] = out.renderer;
      deliverers[m.platform] = out.deliverer;
    } else {
      renderers[m.platform] = m.renderer;
      deliverers[m.platform] = m.deliverer;
    }
    const caps = capabilities[m.platform] ?? new Set();
    capabilities[m.platform] = caps;
    for (const [flag, on] of Object.entries(m.capabilities)) if (on) caps.add(flag as Capability);
  }
  return { renderers, deliverers, capabilities };
}
