/** Platform-neutral shapes that cross the line between transports (platforms/) and the policy (core/). */

/**
 * The chat platforms' identity spaces (people are `<platform>:<userId>`). A new platform is added here, in
 * policy/chat-platforms.json (what people read and type for it) and as a module in src/platforms/ (see
 * docs/platforms-recipe.md). Two modules may share one (WeCom's self-built app and its 智能机器人).
 */
export const PLATFORMS = ["feishu", "wecom", "wechat"] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface ChatAddress {
  platform: Platform;
  chatId: string;
  chatType: "p2p" | "group";
}

export interface Sender {
  platform: Platform;
  userId: string;
  /** Known only when the platform tells us (Feishu message events do not carry the sender's name). */
  name?: string;
}

export interface Mention {
  userId: string;
  name: string;
}

/**
 * A chat message. Mentions in `text` are replaced by `@{n}` (n = index into `mentions`) so the command
 * layer never sees platform placeholders like Feishu's `@_user_1`.
 */
export interface InboundMessage {
  kind: "message";
  platform: Platform;
  chat: ChatAddress;
  sender: Sender;
  text: string;
  mentions: Mention[];
  messageId: string;
  /** An image message (Feishu `message_type: "image"`): the platform's key of the image; text is empty. */
  imageKey?: string;
}

export interface InboundCardAction {
  kind: "card_action";
  platform: Platform;
  sender: Sender;
  value: Record<string, unknown>;
  formValue: Record<string, unknown>;
  buttonName: string | undefined;
  /** The card message that was clicked; every other copy is updated through the outbox. */
  messageId: string;
  chatId: string | undefined;
}

export type InboundEvent = InboundMessage | InboundCardAction;

/** A card as data: a template name in cards/<platform>/ and the values it shows. */
export interface CardView {
  template: string;
  data: Record<string, unknown>;
  /**
   * Where the whole of a long text on this card can be read ("发送 /status 12 查看全文"). When a card
   * would pass the platform's size limit its longest texts are cut, and this is shown after the "…".
   */
  more?: string;
}

export interface Toast {
  type: "success" | "info" | "warning" | "error";
  content: string;
}

/** What the receiver answers to a card click, inside the platform's deadline (Feishu 3 s, WeCom 5 s). */
export interface CardAnswer {
  toast?: Toast;
  card?: CardView;
}

export type OutMessage =
  | {
      type: "text";
      text: string;
      mentions?: number[];
      mentionAll?: boolean;
      /** Where the whole text can be read, shown after the "…" when the text is cut to the platform's limit. */
      more?: string;
    }
  | { type: "card"; card: CardView }
  | { type: "file"; fileName: string; base64: string }
  | { type: "image"; fileName?: string; base64: string };

/** Thrown by core for anything the user did wrong; the transaction rolls back and the text is the answer. */
export class UserError extends Error {
  readonly code = "USER_ERROR";
}
