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
 * Where chat platforms differ in a way the policy must know, as flags each platform module declares
 * (src/platforms/<name>/index.ts; docs/platforms-recipe.md). Core asks `outbound.can(platform, flag)`, never
 * a platform's name.
 */
export type Capability =
  /** Cards with input fields (the /submit form with its text boxes). */
  | "cardForms"
  /** Free-layout cards (the report as a card with its tables); without it the report goes as text. */
  | "richCards"
  /** A delivered card can be changed in place (a decision updates every copy); else only new messages. */
  | "cardUpdate"
  /** The bot reads what members write in groups (feedback groups, 收到 in a crisis group). */
  | "groupRead"
  /** A message can be followed by a buzz/urgent notice to named people (Feishu 加急, robot @-mentions). */
  | "buzz"
  /** Files (the report's CSV) arrive as files; without it a line says where to get them. */
  | "fileUpload"
  /** Images (the report's chart) arrive as images. */
  | "imageUpload"
  /** Send-only group robots (a webhook key) may be bound to a purpose by DM: `/bind <用途> <key>`. */
  | "groupRobotWebhook";

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
  /** Whether `platform`, as enabled in this deployment, has `capability` (false when it is not enabled). */
  can(platform: Platform, capability: Capability): boolean;
}
