import type { Logger } from "pino";
import type { Services } from "../services.ts";
import type { ChatAddress, Mention, OutMessage } from "../types.ts";

export interface Actor {
  personId: number;
  name: string;
  isAdmin: boolean;
}

export interface CommandContext {
  services: Services;
  /** Carries the platform, event, person and chat of the message. */
  log: Logger;
  now: number;
  actor: Actor;
  chat: ChatAddress;
  args: string[];
  rest: string;
  body: string;
  /** Mentions in the order they appear after the command word. */
  mentions: Mention[];
  /** Queue the answer into the chat the command came from (same transaction). */
  reply(msg: string | OutMessage): void;
}

export interface CommandDef {
  name: string;
  aliases: string[];
  /** One Chinese line: the syntax, shown on any misuse. */
  usage: string;
  summary: string;
  /** Roles for which /help lists the command; empty = everyone. */
  audience: string[];
  /**
   * True when the arguments name people by @-mention (/role, /link): they keep the `@{n}` tokens. For every
   * other command a mention is just words (a title, a reason) and arrives as `@名字`.
   */
  mentionArgs?: boolean;
  run(ctx: CommandContext): void;
}

/**
 * Name and alias → command. Aliases are data on each command, so /help and the parser agree. Filled only
 * by the Registry, which refuses a name or alias registered twice.
 */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDef>();
  readonly all: CommandDef[] = [];

  add(...defs: CommandDef[]): void {
    for (const def of defs) {
      this.all.push(def);
      for (const n of [def.name, ...def.aliases]) {
        this.byName.set(n, def);
      }
    }
  }

  find(name: string): CommandDef | undefined {
    return this.byName.get(name);
  }

  /** Replaces every command by `wrap(command)` (the registry's wrappers, applied once at start-up). */
  wrap(wrap: (def: CommandDef) => CommandDef): void {
    for (const [i, def] of this.all.entries()) {
      const wrapped = wrap(def);
      if (wrapped === def) continue;
      this.all[i] = wrapped;
      for (const n of [def.name, ...def.aliases]) this.byName.set(n, wrapped);
    }
  }
}
