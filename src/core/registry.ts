import type { CardActionHandler } from "./commands/card-actions.ts";
import { CardActions } from "./commands/card-actions.ts";
import type { CommandDef } from "./commands/registry.ts";
import { CommandRegistry } from "./commands/registry.ts";
import type { Period } from "./reports/period.ts";
import type { Services } from "./services.ts";
import type { InboundMessage } from "./types.ts";

/** A typed name for a service one feature provides to others (`registry.provide` / `registry.need`). */
export interface ServiceKey<T> {
  readonly id: string;
  /** Never set: carries T for the type checker. */
  readonly type?: T;
}

export const serviceKey = <T>(id: string): ServiceKey<T> => ({ id });

/** A digest section (open crises, rectifications…): a label and one line per item, or nothing to say. */
export type DigestSection = (
  services: Services,
  now: number,
) => { label: string; lines: string[] } | undefined;

/** A report section (监督检查, KPI…) for a period, shown after the fixed ones when it has lines. */
export type ReportSection = (
  services: Services,
  period: Period,
) => { title: string; lines: string[] } | undefined;

/** Claims a non-command message; returns true when it handled it. */
export type MessageTaker = (msg: InboundMessage, actorId: number, reply: (text: string) => void) => boolean;

/** One item past its deadline, for the daily digest and /sla. */
export interface Breach {
  /** One line describing the item. */
  text: string;
  /** People answerable for it (@-mentioned in the digest). */
  owners: number[];
}

export interface BreachGroup {
  rule: string;
  label: string;
  /** Every open breach of the rule, counted in SQL. */
  total: number;
  /** The first `limit` of them, oldest first (`items.length < total` when the list was capped). */
  items: Breach[];
}

/**
 * Open breaches of one feature's deadlines, grouped by rule. `limit` caps each group's items (SQLite's
 * LIMIT -1 when unlimited); `total` is still the whole count.
 */
export type BreachProvider = (services: Services, now: number, limit: number) => BreachGroup[];

/** Wraps a command owned by another feature (the exam gate and the targets of /submit). */
export type CommandWrapper = (def: CommandDef) => CommandDef;

/**
 * Where features plug in. Every name is owned by the feature that registered it first; registering it
 * again (a command, an alias, a card button, a service) is a start-up error naming both features, so
 * two features can never silently answer the same word.
 */
export class Registry {
  private readonly commandRegistry = new CommandRegistry();
  private readonly wrappers = new Map<string, CommandWrapper[]>();
  private readonly actions = new CardActions();
  private readonly owners = new Map<string, string>();
  private readonly provided = new Map<string, unknown>();
  private sealed = false;
  /** The feature whose `apply` is running (for error messages). */
  current = "core";
  readonly digestSections: DigestSection[] = [];
  readonly reportSections: ReportSection[] = [];
  readonly messageTakers: MessageTaker[] = [];
  readonly breachProviders: BreachProvider[] = [];

  command(...defs: CommandDef[]): void {
    this.assertOpen();
    for (const def of defs) {
      for (const n of [def.name, ...def.aliases]) this.own(`命令 ${n}`);
      this.commandRegistry.add(def);
    }
  }

  /** Every command in registration order (for /help and typo suggestions), wrapped once sealed. */
  commandList(): readonly CommandDef[] {
    return this.commandRegistry.all;
  }

  /** Wraps the command `name` (registered by any feature, before or after this call). */
  wrapCommand(name: string, wrap: CommandWrapper): void {
    this.assertOpen();
    this.wrappers.set(name, [...(this.wrappers.get(name) ?? []), wrap]);
  }

  cardAction(name: string, handler: CardActionHandler): void {
    this.assertOpen();
    this.own(`卡片按钮 ${name}`);
    this.actions.on(name, handler);
  }

  digestSection(section: DigestSection): void {
    this.digestSections.push(section);
  }

  reportSection(section: ReportSection): void {
    this.reportSections.push(section);
  }

  messageTaker(taker: MessageTaker): void {
    this.messageTakers.push(taker);
  }

  breaches(provider: BreachProvider): void {
    this.breachProviders.push(provider);
  }

  provide<T>(key: ServiceKey<T>, value: T): void {
    this.own(`服务 ${key.id}`);
    this.provided.set(key.id, value);
  }

  /** A service of a feature listed earlier; missing is a start-up error (the list's order is wrong). */
  need<T>(key: ServiceKey<T>): T {
    if (!this.provided.has(key.id))
      throw new Error(`feature ${this.current} needs service ${key.id}: list its provider before it`);
    return this.provided.get(key.id) as T;
  }

  /** After every feature applied: commands get their wrappers; nothing can be added any more. */
  seal(): { commands: CommandRegistry; cardActions: CardActions } {
    this.sealed = true;
    this.commandRegistry.wrap((def) => (this.wrappers.get(def.name) ?? []).reduce((d, w) => w(d), def));
    return { commands: this.commandRegistry, cardActions: this.actions };
  }

  private own(what: string): void {
    const owner = this.owners.get(what);
    if (owner !== undefined) throw new Error(`${what} registered twice: by ${owner} and by ${this.current}`);
    this.owners.set(what, this.current);
  }

  private assertOpen(): void {
    if (this.sealed) throw new Error(`feature ${this.current} registered after start-up`);
  }
}
