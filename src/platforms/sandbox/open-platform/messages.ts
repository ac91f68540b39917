/**
 * im/v1 message endpoints: send, PATCH a card, urgent_app, and the delayed card update
 * (interactive/v1/card/update). Rules: docs/platforms.md → 飞书 → Sending.
 */
import { cardProblem, isSharedCard, MAX_CARD_BYTES, MAX_TEXT_BYTES } from "./cards-rules.ts";
import type { FakeMessage, ReceiveIdType } from "./state.ts";
import { CODE, type FakeCtx, type FakeReply, type FakeRequest, fail, ok, parseJson } from "./types.ts";

const RECEIVE_ID_TYPES = new Set<string>(["open_id", "chat_id", "user_id", "union_id", "email"]);
const MSG_TYPES = new Set<string>([
  "text",
  "post",
  "image",
  "file",
  "audio",
  "media",
  "sticker",
  "interactive",
  "share_chat",
  "share_user",
]);
const UUID_MAX = 50;
const UUID_WINDOW_MS = 60 * 60_000;
const PATCH_WINDOW_MS = 14 * 24 * 60 * 60_000;
const URGENT_MAX_USERS = 200;

/** Feishu's 99991400 carries the wait in seconds in `x-ogw-ratelimit-reset`. */
export function appRateLimited(waitMs: number): FakeReply {
  const reset = String(Math.max(1, Math.ceil(waitMs / 1000)));
  return fail(429, CODE.appRateLimited, "request trigger frequency limit", {
    "x-ogw-ratelimit-reset": reset,
    "x-ogw-ratelimit-limit": "50",
  });
}

export function frequencyLimited(): FakeReply {
  return fail(400, CODE.frequencyLimit, "This operation triggers the frequency limit.");
}

type Parsed = { parsed: unknown } | { reply: FakeReply };

/** Checks `content` (a JSON string) for this msg_type: size, shape, card rules, upload keys. */
function checkContent(ctx: FakeCtx, msgType: string, content: unknown): Parsed {
  if (typeof content !== "string") {
    return { reply: fail(400, CODE.paramInvalid, "field validation failed: content must be a JSON string") };
  }
  const bytes = Buffer.byteLength(content, "utf8");
  const max = msgType === "text" ? MAX_TEXT_BYTES : MAX_CARD_BYTES;
  if (bytes > max) {
    return {
      reply: fail(
        400,
        CODE.contentTooLong,
        `The length of the message content reaches its limit (${bytes} > ${max} bytes).`,
      ),
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { reply: fail(400, CODE.badRequest, "invalid message content: content is not JSON") };
  }
  const obj = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  if (msgType === "text" && typeof obj.text !== "string") {
    return { reply: fail(400, CODE.badRequest, "invalid message content: text message needs a text field") };
  }
  if (msgType === "interactive") {
    const problem = cardProblem(parsed);
    if (problem)
      return { reply: fail(400, CODE.cardInvalid, `Failed to create card content, ext=ErrMsg: ${problem}`) };
  }
  if (msgType === "image" && !(typeof obj.image_key === "string" && ctx.state.images.has(obj.image_key))) {
    return { reply: fail(400, CODE.badRequest, "invalid message content: unknown image_key") };
  }
  if (msgType === "file" && !(typeof obj.file_key === "string" && ctx.state.files.has(obj.file_key))) {
    return { reply: fail(400, CODE.badRequest, "invalid message content: unknown file_key") };
  }
  return { parsed };
}

function messageData(ctx: FakeCtx, m: FakeMessage): Record<string, unknown> {
  return {
    message_id: m.messageId,
    msg_type: m.msgType,
    create_time: String(m.createdAt),
    update_time: String(m.updates.at(-1)?.at ?? m.createdAt),
    deleted: false,
    updated: m.updates.length > 0,
    chat_id: m.chatId,
    sender: { id: ctx.config.appId, id_type: "app_id", sender_type: "app", tenant_key: ctx.config.tenantKey },
    body: { content: m.rawContent },
  };
}

/** POST /open-apis/im/v1/messages?receive_id_type=… */
export function sendMessage(req: FakeRequest, ctx: FakeCtx): FakeReply {
  const { state, limits, config, now } = ctx;
  const wait = limits.takeApp("im.message.create", now);
  if (wait > 0) return appRateLimited(wait);

  const idType = req.query.get("receive_id_type") ?? "";
  if (!RECEIVE_ID_TYPES.has(idType)) {
    return fail(400, CODE.paramInvalid, "field validation failed: receive_id_type is required");
  }
  const body = parseJson(req.body);
  if (!body) return fail(400, CODE.paramInvalid, "field validation failed: body must be a JSON object");
  const { receive_id: receiveId, msg_type: msgType, uuid } = body;
  if (typeof receiveId !== "string" || receiveId === "") {
    return fail(400, CODE.paramInvalid, "field validation failed: receive_id is required");
  }
  if (typeof msgType !== "string" || !MSG_TYPES.has(msgType)) {
    return fail(400, CODE.paramInvalid, "field validation failed: unsupported msg_type");
  }
  if (uuid !== undefined && (typeof uuid !== "string" || uuid.length > UUID_MAX)) {
    return fail(
      400,
      CODE.paramInvalid,
      `field validation failed: uuid must be a string of ≤ ${UUID_MAX} chars`,
    );
  }
  const checked = checkContent(ctx, msgType, body.content);
  if ("reply" in checked) return checked.reply;

  if (idType === "chat_id" && config.chatsWithoutBot.has(receiveId)) {
    return fail(400, CODE.botNotInChat, "Bot/User can NOT be out of the chat.");
  }
  if (idType !== "chat_id" && config.usersOutOfRange.has(receiveId)) {
    return fail(400, CODE.userOutOfRange, "Bot has NO availability to this user.");
  }

  // Same uuid within 1 hour: the first message again, nothing new reaches anyone.
  if (typeof uuid === "string" && uuid !== "") {
    const seen = state.uuids.get(uuid);
    const first = seen && now - seen.at < UUID_WINDOW_MS ? state.byId.get(seen.messageId) : undefined;
    if (first) return ok(messageData(ctx, first));
  }

  const chatId = idType === "chat_id" ? receiveId : `oc_p2p_${receiveId}`;
  if (limits.takeReceiver(chatId, now) > 0) return frequencyLimited();

  const m: FakeMessage = {
    messageId: state.nextId("om_"),
    chatId,
    receiveId,
    receiveIdType: idType as ReceiveIdType,
    msgType,
    rawContent: body.content as string,
    content: checked.parsed,
    createdAt: now,
    updates: [],
  };
  if (typeof uuid === "string" && uuid !== "") {
    m.uuid = uuid;
    state.uuids.set(uuid, { messageId: m.messageId, at: now });
  }
  if (msgType === "interactive") m.card = checked.parsed;
  state.record(m);
  return ok(messageData(ctx, m));
}

/** Shared checks of PATCH and card/update: the bot's own interactive message, within 14 days, shared card. */
function editable(ctx: FakeCtx, messageId: string): { message: FakeMessage } | { reply: FakeReply } {
  const m = ctx.state.byId.get(messageId);
  if (!m) return { reply: fail(400, CODE.badRequest, "invalid message_id: not a message sent by this app") };
  if (m.msgType !== "interactive") {
    return { reply: fail(400, CODE.badRequest, "only interactive (card) messages can be updated") };
  }
  if (ctx.now - m.createdAt > PATCH_WINDOW_MS) {
    return {
      reply: fail(400, CODE.tooOldToEdit, "Message can only be modified within 14 days after sending."),
    };
  }
  return { message: m };
}

/** PATCH /open-apis/im/v1/messages/:message_id {content} */
export function patchMessage(req: FakeRequest, ctx: FakeCtx, messageId: string): FakeReply {
  const wait = ctx.limits.takeApp("im.message.patch", ctx.now);
  if (wait > 0) return appRateLimited(wait);
  const body = parseJson(req.body);
  if (!body) return fail(400, CODE.paramInvalid, "field validation failed: body must be a JSON object");
  const target = editable(ctx, messageId);
  if ("reply" in target) return target.reply;
  const checked = checkContent(ctx, "interactive", body.content);
  if ("reply" in checked) return checked.reply;
  if (!isSharedCard(target.message.card) || !isSharedCard(checked.parsed)) {
    return fail(400, CODE.badRequest, "both cards need config.update_multi: true (or schema 2.0)");
  }
  if (ctx.limits.takePatch(messageId, ctx.now) > 0) return frequencyLimited();
  ctx.state.applyCardUpdate(target.message, { at: ctx.now, card: checked.parsed, via: "patch" });
  return ok({});
}

/** PATCH /open-apis/im/v1/messages/:message_id/urgent_app?user_id_type=open_id {user_id_list} */
export function urgentApp(req: FakeRequest, ctx: FakeCtx, messageId: string): FakeReply {
  const wait = ctx.limits.takeApp("im.message.urgent_app", ctx.now);
  if (wait > 0) return appRateLimited(wait);
  if (!req.query.get("user_id_type")) {
    return fail(400, CODE.paramInvalid, "field validation failed: user_id_type is required");
  }
  const list = parseJson(req.body)?.user_id_list;
  if (!Array.isArray(list) || list.length === 0 || list.length > URGENT_MAX_USERS) {
    return fail(
      400,
      CODE.paramInvalid,
      `field validation failed: user_id_list needs 1..${URGENT_MAX_USERS} ids`,
    );
  }
  const userIds = list.filter((u): u is string => typeof u === "string");
  if (!ctx.state.byId.has(messageId)) {
    return fail(400, CODE.badRequest, "invalid message_id: not a message sent by this app");
  }
  const invalidUserIds = userIds.filter((u) => ctx.config.usersOutOfRange.has(u));
  ctx.state.urgent.push({ messageId, userIds, invalidUserIds, at: ctx.now });
  return ok({ invalid_user_id_list: invalidUserIds });
}

/** POST /open-apis/interactive/v1/card/update {token, card}: token from the callback, 30 min, 2 uses. */
export function delayedCardUpdate(req: FakeRequest, ctx: FakeCtx): FakeReply {
  const wait = ctx.limits.takeApp("interactive.card.update", ctx.now);
  if (wait > 0) return appRateLimited(wait);
  const body = parseJson(req.body);
  if (!body || typeof body.token !== "string") {
    return fail(400, CODE.paramInvalid, "field validation failed: token is required");
  }
  const card = body.card;
  if (Buffer.byteLength(JSON.stringify(card ?? null), "utf8") > MAX_CARD_BYTES) {
    return fail(400, CODE.contentTooLong, "card exceeds 30 KB");
  }
  const problem = cardProblem(card);
  if (problem) return fail(400, CODE.cardSchemaMismatch, `card must stay JSON 2.0: ${problem}`);
  const used = ctx.state.useCardToken(body.token);
  if ("error" in used) return fail(400, CODE.badRequest, used.error);
  const target = editable(ctx, used.messageId);
  if ("reply" in target) return target.reply;
  ctx.state.applyCardUpdate(target.message, { at: ctx.now, card, via: "card_update" });
  return ok({});
}
