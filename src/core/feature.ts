import type { Registry } from "./registry.ts";
import type { Services } from "./services.ts";

/**
 * One area of the policy (review, tickets, crisis, …) as a module: `apply` registers its commands, card
 * buttons, timers and hooks, and may offer services to features listed after it. A feature never holds
 * the registry's other entries, nor another feature's internals.
 */
export interface Feature {
  /** Shown in start-up errors ("crisis: 命令 ack 已被 review 注册"). */
  name: string;
  apply(registry: Registry, services: Services): void;
}

export { type ServiceKey, serviceKey } from "./registry.ts";
