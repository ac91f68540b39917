import type { CardActions } from "./commands/card-actions.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import type { Feature } from "./feature.ts";
import { type MessageTaker, Registry } from "./registry.ts";
import type { Services } from "./services.ts";

/** What the dispatcher needs once every feature is applied: words, buttons and message takers. */
export interface Core {
  services: Services;
  commands: CommandRegistry;
  cardActions: CardActions;
  messageTakers: readonly MessageTaker[];
  /** Sealed: for tools that look at what is registered (the bench's digest, tests). */
  registry: Registry;
}

/**
 * The policy of the company: the features applied in order to one registry. Core imports nothing from
 * platforms/ or http/; everything it says goes out through the Outbound port in `services`.
 */
export function createCore(services: Services, features: readonly Feature[]): Core {
  const registry = new Registry();
  for (const feature of features) {
    registry.current = feature.name;
    feature.apply(registry, services);
  }
  const { commands, cardActions } = registry.seal();
  return { services, commands, cardActions, messageTakers: registry.messageTakers, registry };
}
