/**
 * What Feishu POSTs to the bot's webhook: event / card-callback payloads (schema 2.0) and the HTTP
 * request around them, encrypted and signed when an Encrypt Key is set (docs/platforms.md → 飞书 → Callbacks).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { encryptFeishu, feishuSignature } from "../../feishu/crypto.ts";

export interface CallbackRequest {
  headers: Record<string, string>;
  body: string;
}

type Payload = Record<string, unknown>;

export interface BuildCallbackOptions {
  /** When set: body `{"encrypt": …}` plus X-Lark-Request-Timestamp / -Nonce / X-Lark-Signature. */
  encryptKey?: string;
  /** When set, overrides the Verification Token in the payload (`header.token`, or `token` at the top). */
  verificationToken?: string;
  payload: Payload;
  /** Seconds since the epoch for X-Lark-Request-Timestamp (default: now). */
  timestamp?: number;
  nonce?: string;
}

export function buildFeishuCallback(opts: BuildCallbackOptions): CallbackRequest {
  let payload = opts.payload;
  if (opts.verificationToken !== undefined) {
    const header = payload.header;
    payload =
      header !== null && typeof header === "object"
        ? { ...payload, header: { ...(header as Payload), token: opts.verificationToken } }
        : { ...payload, token: opts.verificationToken };
  }
  const json = JSON.stringify(payload);
  if (opts.encryptKey === undefined) {
    return { headers: { "content-type": "application/json; charset=utf-8" }, body: json };
  }
  const body = JSON.stringify({ encrypt: encryptFeishu(json, opts.encryptKey) });
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  // The URL challenge carries no signature, even when encrypted.
  if (payload.type !== "url_verification") {
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = opts.nonce ?? randomBytes(8).toString("hex");
    headers["x-lark-request-timestamp"] = timestamp;
    headers["x-lark-request-nonce"] = nonce;
    headers["x-lark-signature"] = feishuSignature(timestamp, nonce, opts.encryptKey, body);
  }
  return { headers, body };
}

/** `{"challenge","token","type":"url_verification"}`; the bot echoes `{"challenge"}`. */
export function challenge(token: string, value: string = randomUUID()): Payload {
  return { challenge: value, token, type: "url_verification" };
}

interface Common {
  eventId?: string;
  /** The Verification Token, sent as `header.token`. */
  token: string;
  appId?: string;
  tenantKey?: string;
  /** ms since the epoch (default: now). */
  createTime?: number;
}

function header(eventType: string, o: Common): Payload {
  return {
    event_id: o.eventId ?? randomUUID().replaceAll("-", ""),
    event_type: eventType,
    create_time: String(o.createTime ?? Date.now()),
    token: o.token,
    app_id: o.appId ?? "cli_fake",
    tenant_key: o.tenantKey ?? "fake_tenant",
  };
}

export interface Mention {
  /** Placeholder as it appears in the text, e.g. "@_user_1". */
  key: string;
  openId: string;
  name: string;
}

export interface MessageEventOptions extends Common {
  messageId?: string;
  chatId: string;
  chatType: "p2p" | "group";
  senderOpenId: string;
  /** Text with `@_user_N` placeholders for the mentions. */
  text: string;
  mentions?: Mention[];
}

/** `im.message.receive_v1`, a text message. */
export function messageEvent(o: MessageEventOptions): Payload {
  const h = header("im.message.receive_v1", o);
  const tenantKey = h.tenant_key;
  return {
    schema: "2.0",
    header: h,
    event: {
      sender: { sender_id: { open_id: o.senderOpenId }, sender_type: "user", tenant_key: tenantKey },
      message: {
        message_id: o.messageId ?? `om_${randomBytes(16).toString("hex")}`,
        create_time: h.create_time,
        update_time: h.create_time,
        chat_id: o.chatId,
        chat_type: o.chatType,
        message_type: "text",
        content: JSON.stringify({ text: o.text }),
        mentions: (o.mentions ?? []).map((m) => ({
          key: m.key,
          id: { open_id: m.openId },
          name: m.name,
          tenant_key: tenantKey,
        })),
      },
    },
  };
}

export interface CardActionEventOptions extends Common {
  operatorOpenId: string;
  /** The `value` of the button's callback behavior. */
  value: Record<string, unknown>;
  /** Form submit: field name → value. */
  formValue?: Record<string, unknown>;
  /** `name` of the component that was clicked (the submit button for forms). */
  name?: string;
  tag?: string;
  openMessageId: string;
  openChatId: string;
  /** Card update token `c-…` (e.g. from `fake.state.issueCardToken(messageId)`); random when absent. */
  updateToken?: string;
}

/** `card.action.trigger` (new card callback, schema 2.0). */
export function cardActionEvent(o: CardActionEventOptions): Payload {
  const h = header("card.action.trigger", o);
  const action: Payload = { value: o.value, tag: o.tag ?? "button" };
  if (o.name !== undefined) action.name = o.name;
  if (o.formValue !== undefined) action.form_value = o.formValue;
  return {
    schema: "2.0",
    header: h,
    event: {
      operator: { tenant_key: h.tenant_key, open_id: o.operatorOpenId },
      token: o.updateToken ?? `c-${randomBytes(16).toString("hex")}`,
      action,
      host: "im_message",
      context: { open_message_id: o.openMessageId, open_chat_id: o.openChatId },
    },
  };
}
