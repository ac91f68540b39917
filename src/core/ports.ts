import type { CardView, OutMessage, Platform } from "./types.ts";

export interface SendOptions {
  /** Logical card this message is a copy of, so `updateCards` can find every copy. */
  cardRef?: string;
  /**
   * Buzz these people about this very message once it is delivered (Feishu 加急 urgent_app, in-app and
   * free). Platforms without a buzz ignore it.
   */
  urgent?: number[];
  /**
   * People who act on this card. Where a platform's group posts cannot carry buttons (WeCom group robots),
   * each of them also gets the card by DM, as another copy of the same card.
   */
  actors?: number[];
}

/**
 * Core never calls a platform. It writes intents through this port, inside its own transaction; the
 * outbox turns them into API calls later (crash safety, retries, rate limits live there).
 */
export interface Outbound {
  /** DM a person on every platform where they have an identity. Returns how many copies were queued. */
  toPerson(personId: number, msg: OutMessage, opts?: SendOptions): number;
  /** Post into one chat (the reply to a command). */
  toChat(chat: { platform: Platform; chatId: string }, msg: OutMessage, opts?: SendOptions): void;
  /** Post into every chat bound to a purpose (ops, crisis, …). Returns how many chats. */
  toGroups(purpose: string, msg: OutMessage, opts?: SendOptions): number;
  /** Update every delivered copy of a card, except the one the click already updated. */
  updateCards(cardRef: string, card: CardView, exceptMessageId?: string): void;
  /** Tell the BOT_ADMINS (dead letters, missing role holders). */
  toAdmins(msg: OutMessage): void;
  /** Whether the platform message `messageId` is a delivered copy of the card `cardRef`. */
  isCopyOf(cardRef: string, messageId: string): boolean;
}
