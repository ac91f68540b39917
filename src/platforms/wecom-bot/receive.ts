import type { WsFrame } from "@wecom/aibot-node-sdk";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { v7 as timeOrderedUuid } from "uuid";
import type { Clock } from "../../clock.ts";
import { parseCommandText } from "../../core/commands/parse.ts";
import type { Dispatcher } from "../../core/dispatch.ts";
import type { Outbound } from "../../core/ports.ts";
import type { CardAnswer, ChatAddress, InboundCardAction, InboundMessage } from "../../core/types.ts";
import { metrics } from "../../http/metrics.ts";
import { type Db, tx } from "../../store/db.ts";
import { inboundSeen, outbox, wecomPendingInputs } from "../../store/schema/index.ts";
import { mentionsOf, parseButtonKey } from "../wecom/normalise.ts";
import { ASK_TTL_MS } from "../wecom/receiver.ts";
import { WecomRenderer } from "../wecom/render.ts";
import { AIBOT_COPY, AIBOT_PREFIX, type BotPayload, mentionLine, plainMarkdown } from "./render.ts";
import { wording } from "./wording.ts";

export interface BotReceiverDeps {
  dispatcher: Dispatcher;
  outbound: Outbound;
  db: Db;
  clock: Clock;
  log: Logger;
  /** Wakes the outbox worker (an update must leave within the click's 5 s). */
  wake: () => void;
  cards?: WecomRenderer;
}

interface Body {
  msgid?: string;
  chatid?: string;
  chattype?: "single" | "group";
  from?: { userid?: string };
  msgtype?: string;
  text?: { content?: string };
  voice?: { content?: string };
  mixed?: { msg_item?: { msgtype: string; text?: { content?: string } }[] };
  event?: {
    eventtype?: string;
    event_key?: string;
    task_id?: string;
    template_card_event?: { event_key?: string; task_id?: string };
  };
}

/** A group message that reaches the robot starts with `@<robot name>`: that mention is not the text. */
const LEADING_MENTION = /^\s*@\S+\s*/;

/**
 * Frames from the long connection → the same dispatcher as every other channel, each in one transaction
 * with its de-duplication key (`msgid`, kept ≥ 7 days like every inbound id), so a frame pushed again
 * after a reconnect changes nothing.
 */
export class BotReceiver {
  private readonly cards: WecomRenderer;

  constructor(private readonly d: BotReceiverDeps) {
    this.cards = d.cards ?? new WecomRenderer();
  }

  onMessage(frame: WsFrame<Body>): void {
    this.guard("message", () => this.message(frame.body ?? {}));
  }

  onCardEvent(frame: WsFrame<Body>): void {
    this.guard("template_card_event", () => this.cardEvent(frame.headers.req_id, frame.body ?? {}));
  }

  private guard(kind: string, fn: () => void): void {
    const started = performance.now();
    try {
      fn();
    } catch (err) {
      this.d.log.error({ err }, "wecom ai bot frame failed");
    } finally {
      metrics.callbackSeconds.observe({ platform: "wecom_bot", kind }, (performance.now() - started) / 1000);
    }
  }

  private chatOf(b: Body): ChatAddress | undefined {
    const user = b.from?.userid;
    if (typeof user !== "string" || !user) return undefined;
    const group = b.chattype === "group" && typeof b.chatid === "string" && b.chatid;
    return {
      platform: "wecom",
      chatId: `${AIBOT_PREFIX}${group ? b.chatid : user}`,
      chatType: group ? "group" : "p2p",
    };
  }

  private message(b: Body): void {
    const chat = this.chatOf(b);
    const userId = b.from?.userid ?? "";
    if (!chat || typeof b.msgid !== "string" || !b.msgid) return;
    let raw = "";
    // Frames are checked like callbacks: a field of the wrong type is no text, never a crash.
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    if (b.msgtype === "text") raw = str(b.text?.content);
    else if (b.msgtype === "voice")
      raw = str(b.voice?.content); // WeCom hands voice over as text
    else if (b.msgtype === "mixed") {
      const items = Array.isArray(b.mixed?.msg_item) ? b.mixed.msg_item : [];
      raw = items.map((i) => (i?.msgtype === "text" ? str(i.text?.content) : "")).join("");
    } else return;
    if (chat.chatType === "group") raw = raw.replace(LEADING_MENTION, "");
    if (!raw.trim()) return; // only "@机器人": nothing to act on (and no empty ticket)
    const m = mentionsOf(raw);
    const msg: InboundMessage = {
      kind: "message",
      platform: "wecom",
      chat,
      sender: { platform: "wecom", userId },
      text: m.text,
      mentions: m.mentions,
      messageId: b.msgid,
    };
    const keys = [`wecom-bot:msg:${b.msgid}`];
    tx(this.d.db, () => {
      if (this.answerPending(msg, raw, keys)) return;
      this.d.dispatcher.message(msg, keys);
    });
  }

  /** The answer to a question a button asked (驳回 → 驳回意见): the same click, now with its field. */
  private answerPending(msg: InboundMessage, raw: string, keys: string[]): boolean {
    const { db, clock } = this.d;
    const userId = msg.sender.userId;
    const pending = db.select().from(wecomPendingInputs).where(eq(wecomPendingInputs.userId, userId)).get();
    if (!pending || !msg.text.trim()) return false;
    // Only in the chat of the card that asked: a line in a feedback group stays feedback.
    const where = db.$client
      .prepare("select target from outbox where message_id = ? and op = 'send' limit 1")
      .get(`${AIBOT_COPY}${pending.taskId}`) as { target: string } | undefined;
    // A question asked in the app's chat may be answered in the robot's single chat, never in a group.
    // (A DM's row names the user, `user:<id>`: the robot's single chat with them.)
    const cardChat = where?.target.replace(/^user:/, `chat:${AIBOT_PREFIX}`);
    if (cardChat ? cardChat !== `chat:${msg.chat.chatId}` : msg.chat.chatType !== "p2p") return false;
    db.delete(wecomPendingInputs).where(eq(wecomPendingInputs.userId, userId)).run();
    // A command, or too late: the question is dropped, so a later line is not taken as the answer.
    if (pending.expiresAt <= clock.now() || parseCommandText(msg.text)) return false;
    const action = this.action(
      userId,
      msg.chat.chatId,
      pending.value as Record<string, unknown>,
      pending.taskId,
      {
        [pending.field]: raw.trim(),
      },
    );
    const { answer, outcome } = this.d.dispatcher.cardAction(action, keys);
    if (outcome !== "duplicate") this.tell(msg.chat, userId, answer);
    return true;
  }

  private cardEvent(reqId: string, b: Body): void {
    const ev = b.event;
    if (ev?.eventtype !== "template_card_event" || typeof b.msgid !== "string" || !b.msgid) return;
    const chat = this.chatOf(b);
    const userId = b.from?.userid ?? "";
    // The SDK's types put event_key and task_id on the event; WeCom's callback docs nest them: take both.
    const text = (v: unknown) => (typeof v === "string" ? v : undefined);
    const keyText = text(ev.event_key) ?? text(ev.template_card_event?.event_key);
    const taskId = text(ev.task_id) ?? text(ev.template_card_event?.task_id) ?? "";
    const key = keyText ? parseButtonKey(keyText) : undefined;
    if (!chat || !key || !taskId || key.value.a === "noop") return;
    const keys = [`wecom-bot:event:${b.msgid}`];
    const { db, clock } = this.d;
    tx(db, () => {
      if (key.ask) {
        for (const k of keys) {
          if (
            db.insert(inboundSeen).values({ key: k, seenAt: clock.now() }).onConflictDoNothing().run()
              .changes === 0
          )
            return;
        }
        const now = clock.now();
        const row = {
          value: key.value,
          field: key.ask.field,
          taskId,
          createdAt: now,
          expiresAt: now + ASK_TTL_MS,
        };
        db.insert(wecomPendingInputs)
          .values({ userId, ...row })
          .onConflictDoUpdate({ target: wecomPendingInputs.userId, set: row })
          .run();
        const minutes = String(ASK_TTL_MS / 60_000);
        const text =
          chat.chatType === "group"
            ? wording("askInGroup", { label: key.ask.label, minutes })
            : wording("askInChat", { label: key.ask.label, minutes });
        this.tell(chat, userId, { toast: { type: "info", content: text } });
        return;
      }
      db.delete(wecomPendingInputs).where(eq(wecomPendingInputs.userId, userId)).run();
      const action = this.action(userId, chat.chatId, key.value, taskId, {});
      const { answer, outcome } = this.d.dispatcher.cardAction(action, keys);
      if (outcome === "duplicate") return;
      // The clicked copy shows the outcome at once (WeCom: one update, within 5 s, with this req_id).
      const card = answer.card ? this.cards.card(answer.card).templateCard : undefined;
      if (card) this.queueRow(chat.chatId, { to: "aibot-update", reqId, taskId, templateCard: card });
      this.tell(chat, userId, answer);
    });
  }

  private action(
    userId: string,
    chatId: string,
    value: Record<string, unknown>,
    taskId: string,
    formValue: Record<string, unknown>,
  ): InboundCardAction {
    return {
      kind: "card_action",
      platform: "wecom",
      sender: { platform: "wecom", userId },
      value,
      formValue,
      buttonName: undefined,
      // The copy's own message id: core's update of every other copy leaves this one to the answer.
      messageId: `${AIBOT_COPY}${taskId}`,
      chatId,
    };
  }

  /** One outbox row in the caller's transaction: it leaves with the rest of the click's effects. */
  private queueRow(chatId: string, payload: BotPayload): void {
    const now = this.d.clock.now();
    this.d.db
      .insert(outbox)
      .values({
        platform: "wecom",
        op: "send",
        target: `chat:${chatId}`,
        payload,
        idemKey: timeOrderedUuid(),
        cardRef: null,
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
      })
      .run();
    this.d.wake();
  }

  /**
   * WeCom has no toast: what Feishu shows as a toast goes into the chat where the button was pressed —
   * in a group with an @ of the member it is meant for ("你是负责人" is about whoever pressed).
   */
  private tell(chat: ChatAddress, userId: string, answer: CardAnswer): void {
    const text = answer.toast?.content;
    if (!text) return;
    if (chat.chatType !== "group") {
      this.d.outbound.toChat({ platform: "wecom", chatId: chat.chatId }, { type: "text", text });
      return;
    }
    const chatid = chat.chatId.slice(AIBOT_PREFIX.length);
    const parts = [mentionLine([userId], plainMarkdown(text))];
    this.queueRow(chat.chatId, { to: "aibot", chatid, msg: { msgtype: "markdown", parts } });
  }
}
