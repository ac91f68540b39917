import { serviceKey } from "../feature.ts";
import type { Services } from "../services.ts";

/** Told when a crisis is closed (结案), inside the closing transaction. */
export type ClosedHook = (services: Services, crisisId: number) => void;

/** What runs when a crisis closes: filled by other features (drills write their report), run by the close. */
export class ClosedHooks {
  private readonly hooks: ClosedHook[] = [];

  add(hook: ClosedHook): void {
    this.hooks.push(hook);
  }

  run(services: Services, crisisId: number): void {
    for (const hook of this.hooks) hook(services, crisisId);
  }
}

/** The crisis feature's offer to others: a hook on 结案 (the drill report). */
export interface CrisisApi {
  onClosed(hook: ClosedHook): void;
}

export const crisisService = serviceKey<CrisisApi>("crisis");
