import type { Core } from "../core.ts";
import type { CardAnswer, InboundCardAction } from "../types.ts";
import type { Actor } from "./registry.ts";

export interface CardActionContext {
  core: Core;
  actor: Actor;
  action: InboundCardAction;
  now: number;
}

export type CardActionHandler = (ctx: CardActionContext) => CardAnswer;

/** Card button → handler, keyed by the `a` field every card puts in its button values. */
export class CardActions {
  private readonly handlers = new Map<string, CardActionHandler>();

  on(name: string, handler: CardActionHandler): void {
    this.handlers.set(name, handler);
  }

  find(name: string): CardActionHandler | undefined {
    return this.handlers.get(name);
  }
}
