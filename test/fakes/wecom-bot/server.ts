/**
 * A fake WeCom 智能机器人 long-connection server (ws://127.0.0.1), written from the protocol of the
 * official SDK `@wecom/aibot-node-sdk` 1.0.7 and enforcing what WeCom enforces:
 * - the first frame is `aibot_subscribe` with the bot id and secret; a wrong pair is refused (errcode,
 *   then the socket closes); any other command before it is refused too;
 * - one live connection per bot: a newer one makes the server send `disconnected_event` to the older and
 *   close it; a connection that sends no `ping` for `heartbeatTimeoutMs` is closed;
 * - replies (`aibot_respond_msg`) name the req_id of a message callback; a template card once per req_id;
 * - `aibot_respond_update_msg` names the req_id of a `template_card_event`, within 5 s of it, once, with
 *   the clicked card's task_id;
 * - `aibot_send_msg` goes to a group the robot is in or to a known user, at most `sendLimit` per chat in
 *   its window (45009 above it); a template card's task_id is never reused;
 * - uploads: init → chunks (≤ 512 KB each, ≤ 100) → finish with the md5 of the whole file.
 * Group messages reach the robot only when @-mentioned; pushes wait for the next subscribe.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { BOT_ERR, type BotMessage, FakeBotState, type PushedCallback } from "./state.ts";
import { uploadChunk, uploadFinish, uploadInit } from "./uploads.ts";

export interface FakeBotOptions {
  botId: string;
  secret: string;
  /** The robot's display name: a group message reaches it only when it contains `@<name>`. */
  name?: string;
  /** Users the robot may DM (default: anyone). */
  users?: string[];
  /** Server closes a connection that sent no ping for this long (default 90 s: three SDK intervals). */
  heartbeatTimeoutMs?: number;
  /** Active sends per chat per window (default 20 a minute). */
  sendLimit?: { limit: number; windowMs: number };
  /** How long after a template_card_event its update is accepted (5 s). */
  updateWindowMs?: number;
}

interface Conn {
  ws: WebSocket;
  authed: boolean;
  lastPing: number;
}

export interface FakeBot {
  url: string;
  state: FakeBotState;
  /** Adds the robot to a group with these members. */
  addGroup(chatid: string, members: string[]): void;
  /** A user writes to the robot: in `chatid` (a group) or in their single chat. Returns the req_id. */
  say(userid: string, text: string, o?: { chatid?: string; msgid?: string }): string | undefined;
  /** A user presses a button (by its text or key) of the card `taskId`. Returns the event's req_id. */
  click(userid: string, taskId: string, button: string): string;
  /** Pushes any frame as it is (malformed ones included). */
  pushRaw(frame: Record<string, unknown>): void;
  /** Pushes an already pushed callback again (WeCom may deliver twice). */
  redeliver(reqId: string): void;
  /** Cuts every connection (a network drop); with `refuse`, new connections fail until `allow()`. */
  drop(o?: { refuse?: boolean }): void;
  allow(): void;
  /** True while an authenticated connection is up. */
  readonly online: boolean;
  close(): Promise<void>;
}

const MARKDOWN_MAX_BYTES = 20480;

export async function startFakeBot(o: FakeBotOptions): Promise<FakeBot> {
  const state = new FakeBotState();
  const name = o.name ?? "运营机器人";
  const groups = new Map<string, Set<string>>();
  const users = o.users ? new Set(o.users) : undefined;
  const conns = new Set<Conn>();
  const waiting: Record<string, unknown>[] = [];
  const sends = new Map<string, number[]>();
  const updateWindowMs = o.updateWindowMs ?? 5000;
  const limit = o.sendLimit ?? { limit: 20, windowMs: 60_000 };
  let refuse = false;
  let msgSeq = 0;

  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;

  const live = () => [...conns].find((c) => c.authed && c.ws.readyState === c.ws.OPEN);
  const push = (frame: Record<string, unknown>) => {
    const c = live();
    if (c) c.ws.send(JSON.stringify(frame));
    else waiting.push(frame);
  };
  const ack = (c: Conn, reqId: string, errcode: number, body?: unknown) =>
    c.ws.send(
      JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg: errcode ? "error" : "ok", body }),
    );

  const heartbeat = setInterval(() => {
    for (const c of conns) {
      if (c.authed && Date.now() - c.lastPing > (o.heartbeatTimeoutMs ?? 90_000)) c.ws.terminate();
    }
  }, 200);

  wss.on("connection", (ws) => {
    if (refuse) {
      ws.terminate();
      return;
    }
    const c: Conn = { ws, authed: false, lastPing: Date.now() };
    conns.add(c);
    ws.on("close", () => conns.delete(c));
    ws.on("message", (data) => {
      let f: { cmd?: string; headers?: { req_id?: string }; body?: Record<string, unknown> };
      try {
        f = JSON.parse(String(data));
      } catch {
        return;
      }
      const reqId = f.headers?.req_id ?? "";
      const cmd = f.cmd ?? "";
      const code = handle(c, cmd, reqId, f.body ?? {});
      state.frames.push({ cmd, errcode: code.errcode, at: Date.now() });
      ack(c, reqId, code.errcode, code.body);
      if (code.close) setTimeout(() => ws.close(), 20);
    });
  });

  type Answer = { errcode: number; body?: unknown; close?: boolean };
  const answer = (r: { errcode: number; body?: unknown }): Answer => r;
  const ok = (body?: unknown): Answer => ({ errcode: 0, body });
  const err = (errcode: number): Answer => ({ errcode });

  function handle(c: Conn, cmd: string, reqId: string, body: Record<string, unknown>): Answer {
    if (cmd === "aibot_subscribe") {
      const good = body.bot_id === o.botId && body.secret === o.secret;
      state.auths.push({ botId: String(body.bot_id ?? ""), ok: good, at: Date.now() });
      if (!good) return { errcode: BOT_ERR.AUTH, close: true };
      for (const other of conns) {
        if (other !== c && other.authed) {
          other.ws.send(JSON.stringify(eventFrame("disconnected_event", "", "")));
          other.ws.close();
        }
      }
      c.authed = true;
      c.lastPing = Date.now();
      setImmediate(() => {
        for (const f of waiting.splice(0)) {
          // A waiting click's 5 s start when it is delivered, not when it was made.
          const cb = state.callbacks.get((f.headers as { req_id: string }).req_id);
          if (cb) cb.pushedAt = Date.now();
          c.ws.send(JSON.stringify(f));
        }
      });
      return ok();
    }
    if (!c.authed) return { errcode: BOT_ERR.NOT_AUTHENTICATED, close: true };
    switch (cmd) {
      case "ping":
        c.lastPing = Date.now();
        return ok();
      case "aibot_respond_msg":
        return reply(reqId, body);
      case "aibot_respond_welcome_msg": {
        const cb = state.callbacks.get(reqId);
        if (cb?.eventType !== "enter_chat") return err(BOT_ERR.BAD_REQ_ID);
        if (cb.updated || Date.now() - cb.pushedAt > updateWindowMs) return err(BOT_ERR.UPDATE_EXPIRED);
        cb.updated = true;
        return record(cb.chatid, body, "reply");
      }
      case "aibot_respond_update_msg":
        return update(reqId, body);
      case "aibot_send_msg":
        return send(body);
      case "aibot_upload_media_init":
        return answer(uploadInit(state, body));
      case "aibot_upload_media_chunk":
        return answer(uploadChunk(state, body));
      case "aibot_upload_media_finish":
        return answer(uploadFinish(state, body));
      default:
        return err(BOT_ERR.BAD_BODY);
    }
  }

  function reply(reqId: string, body: Record<string, unknown>): Answer {
    const cb = state.callbacks.get(reqId);
    if (cb?.kind !== "message") return err(BOT_ERR.BAD_REQ_ID);
    if (body.msgtype === "stream" || body.msgtype === "stream_with_template_card") {
      const s = body.stream as { id?: string; content?: string } | undefined;
      if (!s?.id) return err(BOT_ERR.BAD_BODY);
      // One message per stream id: later frames replace its text.
      const m = state.messages.find((x) => x.msgtype === "stream" && x.taskId === `stream:${s.id}`);
      if (m) m.content = s.content ?? m.content;
      else state.messages.push(message(cb.chatid, "stream", s.content ?? "", "reply", `stream:${s.id}`));
      if (body.template_card) return record(cb.chatid, { msgtype: "template_card", ...body }, "reply");
      return ok();
    }
    if (body.msgtype === "template_card") {
      if (cb.cardReplied) return err(BOT_ERR.BAD_REQ_ID);
      cb.cardReplied = true;
    }
    return record(cb.chatid, body, "reply");
  }

  function update(reqId: string, body: Record<string, unknown>): Answer {
    const cb = state.callbacks.get(reqId);
    const card = body.template_card as Record<string, unknown> | undefined;
    const taskId = String(card?.task_id ?? "");
    const answer = (() => {
      if (cb?.eventType !== "template_card_event") return err(BOT_ERR.BAD_REQ_ID);
      if (cb.updated || Date.now() - cb.pushedAt > updateWindowMs) return err(BOT_ERR.UPDATE_EXPIRED);
      if (body.response_type !== "update_template_card" || !card) return err(BOT_ERR.BAD_BODY);
      if (taskId !== cb.taskId) return err(BOT_ERR.TASK_MISMATCH);
      const m = state.card(taskId);
      if (!m) return err(BOT_ERR.TASK_MISMATCH);
      cb.updated = true;
      const userids = Array.isArray(body.userids) ? (body.userids as string[]) : [];
      m.updates.push({ at: Date.now(), userids, card });
      if (userids.length === 0) m.card = card;
      return ok();
    })();
    state.updateCalls.push({ reqId, taskId, errcode: answer.errcode, at: Date.now() });
    return answer;
  }

  function send(body: Record<string, unknown>): Answer {
    const chatid = typeof body.chatid === "string" ? body.chatid : "";
    const known = groups.has(chatid) || (chatid !== "" && (!users || users.has(chatid)));
    if (!known) return err(BOT_ERR.UNKNOWN_CHAT);
    const now = Date.now();
    const recent = (sends.get(chatid) ?? []).filter((t) => t > now - limit.windowMs);
    if (recent.length >= limit.limit) return err(BOT_ERR.RATE);
    const answer = record(chatid, body, "send");
    if (answer.errcode === 0) sends.set(chatid, [...recent, now]);
    return answer;
  }

  /** Validates a message body and stores what the chat shows. */
  function record(chatid: string, body: Record<string, unknown>, via: "send" | "reply"): Answer {
    const t = body.msgtype;
    if (t === "markdown" || t === "text") {
      const content = String((body[t] as { content?: unknown } | undefined)?.content ?? "");
      if (!content || Buffer.byteLength(content) > MARKDOWN_MAX_BYTES) return err(BOT_ERR.BAD_BODY);
      state.messages.push(message(chatid, t, content, via));
      return ok();
    }
    if (t === "template_card") {
      const card = body.template_card as Record<string, unknown> | undefined;
      const taskId = String(card?.task_id ?? "");
      if (!card || typeof card.card_type !== "string") return err(BOT_ERR.BAD_BODY);
      const buttons = card.button_list as unknown[] | undefined;
      if (card.card_type === "button_interaction") {
        if (!taskId || !Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6)
          return err(BOT_ERR.BAD_BODY);
      }
      if (taskId && state.taskIds.has(taskId)) return err(BOT_ERR.TASK_DUPLICATE);
      if (taskId) state.taskIds.add(taskId);
      state.messages.push({ ...message(chatid, t, "", via, taskId || undefined), card });
      return ok();
    }
    if (t === "file" || t === "image" || t === "voice" || t === "video") {
      const id = String((body[t] as { media_id?: unknown } | undefined)?.media_id ?? "");
      if (!state.media.has(id)) return err(BOT_ERR.BAD_MEDIA);
      state.messages.push(message(chatid, t, id, via));
      return ok();
    }
    return err(BOT_ERR.BAD_BODY);
  }

  function message(chatid: string, msgtype: string, content: string, via: "send" | "reply", taskId?: string) {
    const m: BotMessage = { chatid, msgtype, content, updates: [], via, at: Date.now() };
    if (taskId) m.taskId = taskId;
    return m;
  }

  function base(chatid: string | undefined, userid: string) {
    return {
      msgid: `msg_${++msgSeq}_${randomUUID().slice(0, 8)}`,
      aibotid: o.botId,
      ...(chatid ? { chatid, chattype: "group" } : { chattype: "single" }),
      from: { userid },
      create_time: Math.floor(Date.now() / 1000),
    };
  }

  function eventFrame(
    eventtype: string,
    userid: string,
    chatid: string,
    extra: Record<string, unknown> = {},
  ) {
    const reqId = `evt_${randomUUID()}`;
    return {
      cmd: "aibot_event_callback",
      headers: { req_id: reqId },
      body: { ...base(chatid || undefined, userid), msgtype: "event", event: { eventtype, ...extra } },
    };
  }

  function remember(
    frame: { headers: { req_id: string } },
    cb: Omit<PushedCallback, "reqId" | "frame" | "pushedAt">,
  ) {
    state.callbacks.set(frame.headers.req_id, {
      ...cb,
      reqId: frame.headers.req_id,
      pushedAt: Date.now(),
      frame: frame as unknown as Record<string, unknown>,
    });
  }

  return {
    url,
    state,
    addGroup(chatid, members) {
      groups.set(chatid, new Set(members));
    },
    say(userid, text, x = {}) {
      if (x.chatid) {
        if (!groups.get(x.chatid)?.has(userid)) throw new Error(`${userid} is not in ${x.chatid}`);
        if (!text.includes(`@${name}`)) return undefined; // WeCom only forwards messages that @ the robot
      }
      const reqId = `msg_${randomUUID()}`;
      const b = base(x.chatid, userid);
      const frame = {
        cmd: "aibot_msg_callback",
        headers: { req_id: reqId },
        body: { ...b, ...(x.msgid ? { msgid: x.msgid } : {}), msgtype: "text", text: { content: text } },
      };
      remember(frame, { kind: "message", chatid: x.chatid ?? userid, userid });
      push(frame);
      return reqId;
    },
    click(userid, taskId, button) {
      const m = state.card(taskId);
      if (!m?.card) throw new Error(`no card ${taskId}`);
      const inChat = groups.get(m.chatid)?.has(userid) || m.chatid === userid;
      if (!inChat) throw new Error(`${userid} cannot see card ${taskId}`);
      const buttons = (m.card.button_list as { text: string; key: string }[] | undefined) ?? [];
      const key = buttons.find((b) => b.text === button)?.key ?? button;
      const chatid = groups.has(m.chatid) ? m.chatid : "";
      const frame = eventFrame("template_card_event", userid, chatid, {
        event_key: key,
        task_id: taskId,
        card_type: String(m.card.card_type ?? ""),
      });
      remember(frame, { kind: "event", eventType: "template_card_event", chatid: m.chatid, userid, taskId });
      push(frame);
      return frame.headers.req_id;
    },
    pushRaw(frame) {
      push(frame);
    },
    redeliver(reqId) {
      const cb = state.callbacks.get(reqId);
      if (!cb) throw new Error(`never pushed ${reqId}`);
      push(cb.frame);
    },
    drop(x = {}) {
      if (x.refuse) refuse = true;
      for (const c of conns) c.ws.terminate();
    },
    allow() {
      refuse = false;
    },
    get online() {
      return live() !== undefined;
    },
    async close() {
      clearInterval(heartbeat);
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
