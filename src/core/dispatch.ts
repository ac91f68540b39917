import type { Logger } from "pino";
import { tx } from "../store/db.ts";
import { arg, prepared } from "../store/prepared.ts";
import { auditLog, inboundSeen } from "../store/schema/index.ts";
import { parseCommandText, showMentions } from "./commands/parse.ts";
import type { Actor, CommandContext } from "./commands/registry.ts";
import { suggestCommand } from "./commands/suggest.ts";
import type { Core } from "./core.ts";
import { RefusedDecision } from "./review/decide.ts";
import type { Services } from "./services.ts";
import {
  type CardAnswer,
  type InboundCardAction,
  type InboundMessage,
  type OutMessage,
  UserError,
} from "./types.ts";

const claimKey = prepared((db) =>
  db
    .insert(inboundSeen)
    .values({ key: arg("key"), seenAt: arg("seenAt") })
    .onConflictDoNothing()
    .prepare(),
);

export type Outcome = "handled" | "duplicate" | "refused";

/**
 * Runs one inbound event in one transaction together with its de-duplication keys: the keys commit
 * exactly when the effects commit, so a crash can neither lose the event nor apply it twice, and a
 * redelivery (Feishu retries for 6 h) finds its key and changes nothing.
 */
export class Dispatcher {
  constructor(private readonly core: Core) {}

  private get services(): Services {
    return this.core.services;
  }

  message(msg: InboundMessage, dedupeKeys: string[]): Outcome {
    const reply = (m: string | OutMessage) =>
      this.services.outbound.toChat(msg.chat, typeof m === "string" ? { type: "text", text: m } : m);
    try {
      return tx(this.services.db, () => {
        if (!this.claim(dedupeKeys)) return "duplicate";
        const actor = this.actor(msg.platform, msg.sender.userId, msg.sender.name);
        const log = this.eventLog(msg.platform, dedupeKeys, actor, msg.chat.chatId);
        this.services.people.ensureMentioned(msg.platform, msg.mentions);
        // In a direct message a command word works without the slash (「提审 抖音 …」); not in groups.
        const bare = msg.chat.chatType === "p2p" ? (w: string) => !!this.core.commands.find(w) : undefined;
        const parsed = parseCommandText(msg.text, bare);
        if (!parsed) {
          const shown = { ...msg, text: showMentions(msg.text, msg.mentions) };
          const taken = this.core.messageTakers.some((take) => take(shown, actor.personId, reply));
          if (!taken && msg.chat.chatType === "p2p") reply("你好！发送 /help 查看可用命令");
          return "handled";
        }
        const def = this.core.commands.find(parsed.name);
        if (!def) {
          const guess = suggestCommand(this.core.commands, parsed.name);
          if (guess) {
            reply(`没有这个命令。您是不是想用 /${guess}？`);
            return "handled";
          }
          // Clipped: a pasted wall of text must not come back as a reply over the platform's size limit.
          const shown =
            [...parsed.name].length > 30 ? `${[...parsed.name].slice(0, 30).join("")}…` : parsed.name;
          reply(`未知命令「/${shown}」。发送 /help 查看可用命令`);
          return "handled";
        }
        const ctx: CommandContext = {
          services: this.services,
          log,
          now: this.services.clock.now(),
          actor,
          chat: msg.chat,
          args: def.mentionArgs ? parsed.args : parsed.args.map((a) => showMentions(a, msg.mentions)),
          rest: showMentions(parsed.rest, msg.mentions),
          body: showMentions(parsed.body, msg.mentions),
          mentions: msg.mentions,
          reply,
        };
        def.run(ctx);
        return "handled";
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      // The command's changes rolled back; record only that we answered, the answer, and (for a refused
      // /approve or /reject, like a refused click) the refusal.
      return tx(this.services.db, () => {
        if (!this.claim(dedupeKeys)) return "duplicate";
        const actor = this.actor(msg.platform, msg.sender.userId, msg.sender.name);
        if (err instanceof RefusedDecision) this.audit(err, actor.personId);
        reply(err.message);
        return "refused";
      });
    }
  }

  cardAction(action: InboundCardAction, dedupeKeys: string[]): { outcome: Outcome; answer: CardAnswer } {
    try {
      return tx(this.services.db, () => {
        if (!this.claim(dedupeKeys)) return { outcome: "duplicate" as const, answer: {} };
        const actor = this.actor(action.platform, action.sender.userId, action.sender.name);
        const name = typeof action.value.a === "string" ? action.value.a : "";
        const handler = this.core.cardActions.find(name);
        if (!handler) throw new UserError("这张卡片已失效");
        const log = this.eventLog(action.platform, dedupeKeys, actor, action.chatId);
        const answer = handler({
          services: this.services,
          log,
          actor,
          action,
          now: this.services.clock.now(),
        });
        return { outcome: "handled" as const, answer };
      });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      tx(this.services.db, () => {
        this.claim(dedupeKeys);
        // Looked up again: a first-time clicker's person row was rolled back with the rest.
        const actor = this.actor(action.platform, action.sender.userId, action.sender.name);
        if (err instanceof RefusedDecision) this.audit(err, actor.personId);
      });
      const card = err instanceof RefusedDecision ? err.card : undefined;
      return {
        outcome: "refused",
        answer: { toast: { type: "error", content: err.message }, ...(card && { card }) },
      };
    }
  }

  private audit(err: RefusedDecision, actorId: number): void {
    this.services.db
      .insert(auditLog)
      .values({ ...err.audit, actorId })
      .run();
  }

  /**
   * The logger of one event: every line about it carries where it came from, which delivery it was and
   * who did it, so one grep finds the whole story of a click or a command.
   */
  private eventLog(platform: string, keys: string[], actor: Actor, chatId: string | undefined): Logger {
    return this.services.log.child({ platform, event: keys[0], person: actor.personId, chat: chatId });
  }

  /** Records the keys; false when any was already seen (a redelivery). */
  private claim(keys: string[]): boolean {
    const now = this.services.clock.now();
    for (const key of keys) {
      const res = claimKey(this.services.db).run({ key, seenAt: now });
      if (res.changes === 0) return false;
    }
    return true;
  }

  private actor(platform: InboundMessage["platform"], userId: string, name: string | undefined): Actor {
    const personId = this.services.people.ensure(platform, userId, name);
    return {
      personId,
      name: this.services.people.name(personId),
      isAdmin: this.services.people.isAdmin(personId),
    };
  }
}
