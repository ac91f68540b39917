import type { Logger } from "pino";
import type { Services } from "../services.ts";
import { type CardAnswer, type InboundCardAction, UserError } from "../types.ts";
import type { Actor } from "./registry.ts";

export interface CardActionContext {
  services: Services;
  /** Carries the platform, event, person and chat of the click. */
  log: Logger;
  actor: Actor;
  action: InboundCardAction;
  now: number;
}

export type CardActionHandler = (ctx: CardActionContext) => CardAnswer;

/**
 * Card button → handler, keyed by the `a` field every card puts in its button values. Filled only by the
 * Registry, which refuses a name registered twice.
 */
export class CardActions {
  private readonly handlers = new Map<string, CardActionHandler>();

  on(name: string, handler: CardActionHandler): void {
    this.handlers.set(name, handler);
  }

  find(name: string): CardActionHandler | undefined {
    return this.handlers.get(name);
  }
}

/** The positive whole number a card button carries under `key` (an item's id), or the refusal. */
export function cardId(value: Record<string, unknown>, key: string): number {
  const id = Number(value[key]);
  if (!Number.isInteger(id) || id <= 0) throw new UserError("卡片数据无效");
  return id;
}
