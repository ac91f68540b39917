/**
 * Plays Feishu's and WeCom's part towards the bot: every message and click becomes a signed (and, for
 * Feishu, encrypted) callback, and a callback that is not answered 200 — the bot is down, was killed
 * mid-request, or answered 5xx — is delivered again with the same identity (Feishu `event_id` /
 * `message_id`, WeCom `MsgId` / `FromUserName + CreateTime`), re-signed, until it is answered 200. That is
 * what the platforms do (Feishu retries an event for up to 6 h, WeCom three times; docs/platforms.md), pushed to
 * "until answered" so that no workload action can be lost on the platform side.
 */
import { randomBytes } from "node:crypto";
import {
  buildFeishuCallback,
  type CallbackRequest,
  cardActionEvent,
  type FakeFeishu,
  messageEvent,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import { cardEvent, signedCallback, textMessage } from "../fakes/wecom/callbacks.ts";
import { SECRETS, WECOM } from "../fakes/wecom/harness.ts";
import type { FakeWecom } from "../fakes/wecom/server.ts";
import { ENCRYPT_KEY, p2p, VERIFICATION_TOKEN } from "../support/harness.ts";
import { type BotProcess, sleep } from "./bot-process.ts";

/** Give up on one callback after this long: the bot must come back well within it. */
const REDELIVER_FOR_MS = 180_000;

export interface Mention {
  key: string;
  openId: string;
  name: string;
}

export class PlatformDriver {
  /** Callbacks answered 200 (one per workload action), and how many extra attempts they needed. */
  answered = 0;
  redeliveries = 0;
  /** Card clicks whose first answer was lost: the retry found the event already handled. */
  readonly lostClickAnswers: string[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly bot: BotProcess,
    readonly feishu: FakeFeishu,
    readonly wecom: FakeWecom,
  ) {}

  /** Called after every answered callback (the kill schedule counts them). */
  onAnswered(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** POSTs until HTTP 200; a fresh request (new signature/timestamp) per attempt, same event inside. */
  private async deliver(
    path: string,
    build: () => { headers?: Record<string, string>; body: string; query?: string },
  ): Promise<string> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const req = build();
      let status = 0;
      let text = "";
      try {
        const res = await fetch(`${this.bot.url}${path}${req.query ? `?${req.query}` : ""}`, {
          method: "POST",
          ...(req.headers ? { headers: req.headers } : {}),
          body: req.body,
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        text = await res.text();
      } catch {
        status = 0; // refused (bot down), reset (killed mid-request) or timed out
      }
      if (status === 200) {
        this.answered += 1;
        for (const fn of this.listeners) fn();
        return text;
      }
      // 401/400/413 would be a bug in this driver (or the bot's verification), not a fault to ride out.
      if (status >= 400 && status < 500) throw new Error(`${path} answered ${status}: ${text}`);
      if (Date.now() - started > REDELIVER_FOR_MS) {
        throw new Error(`${path}: not answered 200 within ${REDELIVER_FOR_MS} ms (last status ${status})`);
      }
      this.redeliveries += 1;
      await sleep(Math.min(1000, 100 * 2 ** attempt));
    }
  }

  private feishuPost(payload: Record<string, unknown>): Promise<string> {
    return this.deliver("/webhooks/feishu", () => {
      const req: CallbackRequest = buildFeishuCallback({ payload, encryptKey: ENCRYPT_KEY });
      return { headers: req.headers, body: req.body };
    });
  }

  /** A text message from a Feishu user, in their DM with the bot unless `chatId` (a group) is given. */
  async feishuSay(openId: string, text: string, o: { chatId?: string; mentions?: Mention[] } = {}) {
    // Built once: every redelivery carries the same event_id and message_id.
    const payload = messageEvent({
      token: VERIFICATION_TOKEN,
      chatId: o.chatId ?? p2p(openId),
      chatType: o.chatId ? "group" : "p2p",
      senderOpenId: openId,
      text,
      mentions: o.mentions ?? [],
    });
    await this.feishuPost(payload);
  }

  /**
   * A click on a Feishu card. Feishu replaces the clicked card with the card in the answer, so the
   * driver does the same on the fake. Returns the toast.
   */
  async feishuClick(
    openId: string,
    messageId: string,
    value: Record<string, unknown>,
    formValue?: Record<string, unknown>,
  ): Promise<{ type?: string; content?: string } | undefined> {
    const msg = this.feishu.state.byId.get(messageId);
    if (!msg) throw new Error(`no Feishu message ${messageId}`);
    const payload = cardActionEvent({
      token: VERIFICATION_TOKEN,
      operatorOpenId: openId,
      value,
      ...(formValue ? { formValue } : {}),
      openMessageId: messageId,
      openChatId: msg.chatId,
    });
    const before = this.redeliveries;
    const json = JSON.parse((await this.feishuPost(payload)) || "{}") as {
      toast?: { type?: string; content?: string };
      card?: { type?: string; data?: unknown };
    };
    if (json.card?.type === "raw") {
      this.feishu.state.applyCardUpdate(msg, { at: Date.now(), card: json.card.data, via: "card_update" });
    } else if (!json.toast && this.redeliveries > before) {
      // The click was handled before a SIGKILL cut the answer off; the redelivery is a duplicate.
      this.lostClickAnswers.push(messageId);
    }
    return json.toast;
  }

  private wecomPost(xml: string): Promise<string> {
    return this.deliver("/webhooks/wecom", () => {
      const req = signedCallback(SECRETS, xml, { timestamp: Math.floor(Date.now() / 1000) });
      return { query: req.query, body: req.body };
    });
  }

  /** A text message from a WeCom member to the app (one MsgId for every redelivery). */
  async wecomSay(userId: string, text: string): Promise<void> {
    const msgId = String(BigInt.asUintN(63, randomBytes(8).readBigUInt64BE()));
    await this.wecomPost(
      textMessage({ corpId: WECOM.corpId, from: userId, text, agentId: WECOM.agentId, msgId }),
    );
  }

  /**
   * A member presses a button (by its text) on their copy of a card: WeCom issues a response code and
   * calls back; redeliveries keep the CreateTime, which is how the bot de-duplicates events.
   */
  async wecomClick(userId: string, taskId: string, button: string): Promise<void> {
    const copy = this.wecom.state.messages.find((m) => m.taskId === taskId && m.touser === userId);
    const buttons = (copy?.card?.button_list as { text: string; key: string }[] | undefined) ?? [];
    const key = buttons.find((b) => b.text === button)?.key;
    if (!key) throw new Error(`${userId}'s card ${taskId} has no button ${button}`);
    const responseCode = this.wecom.state.click(taskId, userId);
    await this.wecomPost(
      cardEvent({ corpId: WECOM.corpId, from: userId, taskId, key, responseCode, agentId: WECOM.agentId }),
    );
  }
}
