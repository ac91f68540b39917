/**
 * Everything the fake platform remembers, kept public so tests (and the sandbox UI) can assert on it.
 * Only accepted deliveries are recorded as messages; every error reply is counted in `rejections`.
 */
import { EventEmitter } from "node:events";
import type { Clock } from "../../../clock.ts";

export type ReceiveIdType = "open_id" | "chat_id" | "user_id" | "union_id" | "email";

export interface CardUpdate {
  at: number;
  card: unknown;
  via: "patch" | "card_update";
}

export interface FakeMessage {
  messageId: string;
  /** The chat the message landed in (for open_id sends: the p2p chat with that user). */
  chatId: string;
  receiveId: string;
  receiveIdType: ReceiveIdType;
  msgType: string;
  /** `content` as sent (a JSON string) and parsed. */
  rawContent: string;
  content: unknown;
  uuid?: string;
  createdAt: number;
  /** Current card for `interactive` messages (after updates). */
  card?: unknown;
  updates: CardUpdate[];
}

export interface StoredUpload {
  key: string;
  bytes: Buffer;
  at: number;
  fileName?: string;
  fileType?: string;
  imageType?: string;
}

export interface UrgentCall {
  messageId: string;
  userIds: string[];
  invalidUserIds: string[];
  at: number;
}

export interface CallLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  code: number | "none";
  fault?: string;
}

interface CardToken {
  messageId: string;
  expiresAt: number;
  usesLeft: number;
}

const CALL_LOG_MAX = 1000;

export class FakeFeishuState {
  readonly messages: FakeMessage[] = [];
  readonly byId = new Map<string, FakeMessage>();
  /** uuid → first delivery; Feishu de-duplicates a uuid for 1 hour. */
  readonly uuids = new Map<string, { messageId: string; at: number }>();
  readonly files = new Map<string, StoredUpload>();
  readonly images = new Map<string, StoredUpload>();
  readonly urgent: UrgentCall[] = [];
  /** Count of error replies by Feishu code (rate limits, validation, auth, injected faults). */
  readonly rejections = new Map<number, number>();
  /** Issued tenant_access_tokens → expiry (ms, fake clock). */
  readonly tokens = new Map<string, number>();
  readonly cardTokens = new Map<string, CardToken>();
  /** Last requests, newest last (bounded), for debugging and the sandbox. */
  readonly calls: CallLogEntry[] = [];
  /** Emits "message" (FakeMessage) and "update" (FakeMessage, CardUpdate). */
  readonly events = new EventEmitter();
  tokenRequests = 0;
  /** Authenticated API calls, for the monthly quota. */
  apiCalls = 0;
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(16).padStart(12, "0")}`;
  }

  /** Make every issued tenant_access_token invalid, as if they had all reached their expiry. */
  expireAllTokens(): void {
    const now = this.clock.now();
    for (const token of this.tokens.keys()) this.tokens.set(token, now - 1);
  }

  record(m: FakeMessage): void {
    this.messages.push(m);
    this.byId.set(m.messageId, m);
    this.events.emit("message", m);
  }

  applyCardUpdate(m: FakeMessage, update: CardUpdate): void {
    m.card = update.card;
    m.updates.push(update);
    this.events.emit("update", m, update);
  }

  reject(code: number): void {
    this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
  }

  /** How many error replies carried this code. */
  rejected(code: number): number {
    return this.rejections.get(code) ?? 0;
  }

  logCall(entry: CallLogEntry): void {
    this.calls.push(entry);
    if (this.calls.length > CALL_LOG_MAX) this.calls.splice(0, this.calls.length - CALL_LOG_MAX);
  }

  /** Messages sent to this receive_id, or landed in this chat. */
  messagesTo(receiveId: string): FakeMessage[] {
    return this.messages.filter((m) => m.receiveId === receiveId || m.chatId === receiveId);
  }

  /** The current card (after updates) of the newest interactive message to this receive_id or chat. */
  lastCardTo(receiveId: string): unknown {
    const cards = this.messagesTo(receiveId).filter((m) => m.msgType === "interactive");
    return cards.at(-1)?.card;
  }

  /** Accepted deliveries per uuid; any value > 1 means a duplicate reached users. */
  deliveriesByUuid(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) {
      if (m.uuid !== undefined) counts.set(m.uuid, (counts.get(m.uuid) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * The update token a `card.action.trigger` callback carries (`event.token`, "c-…"): valid 30 min,
   * 2 uses (延时更新消息卡片). Pass it to `cardActionEvent({ updateToken })`.
   */
  issueCardToken(messageId: string): string {
    const token = `c-${this.nextId("")}`;
    this.cardTokens.set(token, { messageId, expiresAt: this.clock.now() + 30 * 60_000, usesLeft: 2 });
    return token;
  }

  /** Spends one use of a card update token; the message id, or why not. */
  useCardToken(token: string): { messageId: string } | { error: string } {
    const t = this.cardTokens.get(token);
    if (!t) return { error: "unknown card update token" };
    if (this.clock.now() >= t.expiresAt) return { error: "card update token expired (30 min)" };
    if (t.usesLeft <= 0) return { error: "card update token used up (2 uses)" };
    t.usesLeft -= 1;
    return { messageId: t.messageId };
  }
}
