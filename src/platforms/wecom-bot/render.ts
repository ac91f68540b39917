import type { CardView, Mention, OutMessage } from "../../core/types.ts";
import type { Recipient, Renderer } from "../../outbox/outbound.ts";
import type { WecomCard } from "../wecom/card-template.ts";
import { splitBytes, type WecomRenderer } from "../wecom/render.ts";

/**
 * The 智能机器人 shares WeCom's identities (people are `wecom:<userid>` on the app and the robot alike), so
 * it lives under the platform key "wecom" and its chats are told apart by a prefix: `aibot:<chatid>` (a
 * group's chatid, or a member's userid for the robot's single chat). The outbox row's target is then
 * `chat:aibot:<chatid>`, which is also the rate-limit key.
 */
export const AIBOT_PREFIX = "aibot:";
/** Copies of a card sent by the robot carry this message id prefix (the rest is the task_id). */
export const AIBOT_COPY = "aibot:";

/**
 * The robot's markdown messages: the SDK allows 20480 bytes for a streamed reply; for an active markdown
 * push we keep to 4096 bytes a message (WeCom's robot markdown limit) and split longer texts.
 */
export const BOT_MARKDOWN_MAX_BYTES = 4096;
const MAX_PARTS = 5;

export type BotMsg =
  | { msgtype: "markdown"; parts: string[] }
  | { msgtype: "template_card"; template_card: Record<string, unknown> }
  | { msgtype: "file" | "image"; fileName: string; base64: string };

export type BotPayload =
  | { to: "aibot"; chatid: string; msg: BotMsg }
  /** The clicked copy, updated with the click's own req_id (within 5 s of the click). */
  | { to: "aibot-update"; reqId: string; taskId: string; templateCard: Record<string, unknown> }
  /** @-mentions posted right after a page in a robot chat (the card itself cannot mention). */
  | { to: "aibot-urgent"; sendId: number; userIds: string[] };

/**
 * Plain text inside robot markdown: what markdown would obey (a tag or `<@mention>`, a link, a heading at
 * a line start, emphasis, code) is shown as its full-width twin; "#1" in the middle of a line stays "#1".
 */
export function plainMarkdown(s: string): string {
  return s
    .replace(/[<>[\]*`]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    .replace(/^(\s*)#/gm, "$1＃");
}

export function isBotPayload(p: unknown): p is BotPayload {
  const to = (p as { to?: unknown } | null)?.to;
  return to === "aibot" || to === "aibot-update" || to === "aibot-urgent";
}

/** `<@userid>` is how WeCom robot markdown mentions a member. */
export function mentionLine(userIds: string[], text: string): string {
  return `${userIds.map((u) => `<@${u}>`).join(" ")} ${text}`.trim();
}

/** Payloads for the robot's chats: markdown, template cards with buttons, files and images. */
export class BotRenderer {
  constructor(private readonly cards: WecomRenderer) {}

  send(chatid: string, msg: OutMessage, mentions: Mention[]): BotPayload {
    return { to: "aibot", chatid, msg: this.msg(msg, mentions) };
  }

  private msg(msg: OutMessage, mentions: Mention[]): BotMsg {
    switch (msg.type) {
      case "text": {
        // User text goes into markdown: its markup characters are shown, not obeyed.
        const body = plainMarkdown(msg.text);
        const text = mentions.length
          ? mentionLine(
              mentions.map((m) => m.userId),
              body,
            )
          : body;
        return { msgtype: "markdown", parts: splitBytes(text, BOT_MARKDOWN_MAX_BYTES, MAX_PARTS) };
      }
      case "card": {
        const c = this.cards.card(msg.card);
        if (c.templateCard && c.open) return { msgtype: "template_card", template_card: c.templateCard };
        return {
          msgtype: "markdown",
          parts: splitBytes(c.markdown ?? plainMarkdown(c.text), BOT_MARKDOWN_MAX_BYTES, MAX_PARTS),
        };
      }
      case "file":
        return { msgtype: "file", fileName: msg.fileName, base64: msg.base64 };
      case "image":
        return { msgtype: "image", fileName: msg.fileName ?? "chart.png", base64: msg.base64 };
    }
  }
}

/**
 * The renderer registered for "wecom" when the robot is on: robot chats (and, without a self-built app,
 * DMs: the robot's single chat with the member) get robot payloads; everything else goes to the app's
 * renderer as before. Cards render the same for both (the app's template cards are the robot's too).
 */
export class WecomRouterRenderer implements Renderer {
  private readonly bot: BotRenderer;
  readonly repeat: NonNullable<Renderer["repeat"]>;

  constructor(
    private readonly cards: WecomRenderer,
    private readonly app: Renderer | undefined,
  ) {
    this.bot = new BotRenderer(cards);
    // WeCom's duplicate check concerns app messages only; the app renderer's rule leaves robot payloads be.
    this.repeat = app?.repeat ?? cards.repeat;
  }

  send(to: Recipient, msg: OutMessage, mentions: Mention[]): unknown {
    if (to.type === "chat" && to.id.startsWith(AIBOT_PREFIX))
      return this.bot.send(to.id.slice(AIBOT_PREFIX.length), msg, mentions);
    if (this.app) return this.app.send(to, msg, mentions);
    // Without the self-built app a DM is the robot's single chat with the member. A group robot webhook
    // bound earlier has no sender here: its row fails visibly (dead letter, admins told).
    if (to.type === "chat" && to.id.startsWith("robot:")) return { to: "robot", robotId: to.id };
    return this.bot.send(to.id, msg, mentions);
  }

  card(view: CardView): WecomCard {
    return this.cards.card(view);
  }

  urgent(sendId: number, userIds: string[]): unknown[] {
    // sendId: the worker holds this row until that send is delivered (the mentions follow the card).
    return [{ to: "aibot-urgent", sendId, userIds } satisfies BotPayload];
  }

  buttonlessChat(chatId: string): boolean {
    if (chatId.startsWith(AIBOT_PREFIX)) return false; // robot cards carry their buttons into the group
    return this.app?.buttonlessChat?.(chatId) ?? false;
  }
}
