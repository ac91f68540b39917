/**
 * A fake WeCom server API over real HTTP on 127.0.0.1, enforcing the rules the bot depends on
 * (docs/platforms.md → 企业微信自建应用): access_token expiry (42001), per-member 30/min and 1000/h with messages over it
 * accepted and silently dropped, 20/min per group robot (45009), template_card limits, unique task_id,
 * duplicate check, response_code single use within 72 h, invaliduser / 81013 for unknown members.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Clock, systemClock } from "../../../src/clock.ts";
import { FaultPicker, type FaultRate } from "../../../src/platforms/sandbox/open-platform/fault-picker.ts";
import { parseMultipart } from "../../../src/platforms/sandbox/open-platform/uploads.ts";
import { FakeWecomState } from "./state.ts";

export interface Window {
  limit: number;
  windowMs: number;
}

export interface FakeWecomOptions {
  corpId: string;
  secret: string;
  agentId: number;
  clock?: Clock;
  tokenTtlSec?: number;
  /** Per member (default 30/min and 1000/h): over → accepted, not delivered. */
  memberLimits?: Window[];
  /** Per robot (default 20/min): over → errcode 45009. */
  robotLimits?: Window[];
  /** Random faults from the start (see `FakeWecom.faults`). */
  faults?: WecomFaultOptions;
}

/**
 * An injected fault. `{errcode}`: HTTP 200 with that errcode; `{status}`: that HTTP status;
 * `timeout`: never answer; `drop`: reset the connection without processing; `drop_after`: process the
 * request (the message IS delivered), then reset the connection — the answer is lost.
 */
export type Fault = { errcode: number } | { status: number } | "timeout" | "drop" | "drop_after";

/** Random faults for API requests (gettoken never fails). */
export type WecomFaultOptions = FaultRate<Fault>;

/** Queued one-off faults first, then the seeded random rate (see src/platforms/sandbox/open-platform/fault-picker.ts). */
export class WecomFaults extends FaultPicker<Fault> {
  constructor(options?: WecomFaultOptions) {
    super(options, (f) =>
      typeof f === "string" ? f : "status" in f ? String(f.status) : `errcode ${f.errcode}`,
    );
  }
}

export interface FakeWecom {
  url: string;
  state: FakeWecomState;
  /** The next `times` API requests (not gettoken) get this fault. */
  failNext(fault: Fault, times?: number): void;
  /** Random faults (`faults.set({rate, kinds, seed})`), and the one-off queue `failNext` feeds. */
  faults: WecomFaults;
  close(): Promise<void>;
}

const CODE_TTL_MS = 72 * 3_600_000;
const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;

type Reply = { status: number; body: Record<string, unknown> };
const ok = (extra: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: { errcode: 0, errmsg: "ok", ...extra },
});
const err = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg } });

function within(hits: Map<string, number[]>, key: string, rules: Window[], now: number): boolean {
  const list = hits.get(key) ?? [];
  return rules.every((r) => list.filter((t) => t > now - r.windowMs).length < r.limit);
}
function hit(hits: Map<string, number[]>, key: string, now: number): void {
  const list = hits.get(key);
  if (list) list.push(now);
  else hits.set(key, [now]);
}

/** Problems WeCom reports for a button_interaction template_card (errcode 40058 in the fake). */
export function templateCardProblem(card: unknown, update = false): string | undefined {
  if (!card || typeof card !== "object") return "template_card missing";
  const c = card as Record<string, unknown>;
  if (c.card_type !== "button_interaction") return `card_type ${String(c.card_type)} not button_interaction`;
  const title = (c.main_title as { title?: unknown } | undefined)?.title;
  if (typeof title !== "string" || !title) return "main_title.title required";
  if (typeof c.task_id !== "string" || !TASK_ID.test(c.task_id) || Buffer.byteLength(c.task_id) > 128) {
    return "task_id invalid";
  }
  const buttons = c.button_list;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 6)
    return "button_list needs 1..6 buttons";
  const keys = new Set<string>();
  for (const b of buttons as Record<string, unknown>[]) {
    if (typeof b.text !== "string" || !b.text) return "button text required";
    if (typeof b.key !== "string" || !b.key || Buffer.byteLength(b.key) > 1024)
      return "button key 1..1024 bytes";
    if (keys.has(b.key)) return "button keys must be unique";
    keys.add(b.key);
  }
  const h = c.horizontal_content_list;
  if (h !== undefined) {
    if (!Array.isArray(h) || h.length > 6) return "horizontal_content_list ≤ 6";
    for (const x of h as Record<string, unknown>[]) {
      if (typeof x.keyname !== "string" || [...x.keyname].length > 5) return "keyname ≤ 5 characters";
    }
  }
  const sel = c.button_selection as Record<string, unknown> | undefined;
  if (
    sel &&
    (!Array.isArray(sel.option_list) || sel.option_list.length === 0 || sel.option_list.length > 10)
  ) {
    return "button_selection.option_list needs 1..10 options";
  }
  if (!update && c.replace_text !== undefined) return "replace_text only in update_template_card";
  return undefined;
}

export async function startFakeWecom(o: FakeWecomOptions): Promise<FakeWecom> {
  const clock = o.clock ?? systemClock;
  const state = new FakeWecomState(clock);
  const memberLimits = o.memberLimits ?? [
    { limit: 30, windowMs: 60_000 },
    { limit: 1000, windowMs: 3_600_000 },
  ];
  const robotLimits = o.robotLimits ?? [{ limit: 20, windowMs: 60_000 }];
  const faults = new WecomFaults(o.faults);
  const sockets = new Set<Socket>();

  const auth = (q: URLSearchParams): Reply | undefined => {
    const t = q.get("access_token");
    if (!t) return err(41001, "access_token missing");
    const exp = state.tokens.get(t);
    if (exp === undefined) return err(40014, "invalid access_token");
    if (exp <= clock.now()) return err(42001, "access_token expired");
    return undefined;
  };

  const gettoken = (q: URLSearchParams): Reply => {
    state.tokenRequests++;
    if (q.get("corpid") !== o.corpId) return err(40013, "invalid corpid");
    if (q.get("corpsecret") !== o.secret) return err(40001, "invalid secret");
    const token = state.nextId("tok_");
    const ttl = o.tokenTtlSec ?? 7200;
    state.tokens.set(token, clock.now() + ttl * 1000);
    return ok({ access_token: token, expires_in: ttl });
  };

  const send = (b: Record<string, unknown>): Reply => {
    const now = clock.now();
    if (b.agentid !== o.agentId) return err(40056, "invalid agentid");
    const users = String(b.touser ?? "")
      .split("|")
      .filter(Boolean);
    if (users.length === 0) return err(40031, "invalid touser");
    const invalid = state.members.size ? users.filter((u) => !state.members.has(u)) : [];
    const valid = users.filter((u) => !invalid.includes(u));
    if (valid.length === 0) return err(81013, "user & party & tag all invalid");
    const type = String(b.msgtype);
    const inner = b[type] as Record<string, unknown> | undefined;
    if (!inner) return err(40008, `invalid message type: ${type} body missing`);
    let content: string;
    let card: Record<string, unknown> | undefined;
    if (type === "text" || type === "markdown") {
      if (typeof inner.content !== "string" || !inner.content) return err(41009, "missing content");
      if (Buffer.byteLength(inner.content) > 2048) return err(45002, "content size out of limit");
      content = inner.content;
    } else if (type === "template_card") {
      const problem = templateCardProblem(inner);
      if (problem) return err(40058, `invalid template_card: ${problem}`);
      card = inner;
      content = JSON.stringify(inner);
    } else if (type === "file" || type === "image") {
      const media = state.media.get(String(inner.media_id));
      if (!media) return err(40007, "invalid media_id");
      content = media.fileName;
    } else return err(40008, `invalid message type ${type}`);
    const taskId = card ? String(card.task_id) : undefined;
    const dupWindow = Number(b.duplicate_check_interval ?? 1800) * 1000;
    const extra: Record<string, unknown> = { invaliduser: invalid.join("|"), msgid: state.nextId("msg_") };
    for (const u of valid) {
      if (
        b.enable_duplicate_check === 1 &&
        state.messages.some(
          (m) => m.touser === u && m.msgtype === type && m.content === content && m.at > now - dupWindow,
        )
      ) {
        state.duplicates.push({ touser: u, content, at: now });
        continue;
      }
      if (taskId && state.taskIds.has(`${taskId}`))
        return err(40058, "invalid template_card: task_id already used");
      const allowed = within(state.memberHits, u, memberLimits, now);
      hit(state.memberHits, u, now);
      if (!allowed) {
        // WeCom: "超过部分会被丢弃不下发" — and the API still says ok.
        state.dropped.push({ touser: u, msgtype: type, content, at: now });
        continue;
      }
      const msg = {
        msgid: String(extra.msgid),
        touser: u,
        msgtype: type,
        content,
        ...(taskId ? { taskId } : {}),
        ...(card ? { card } : {}),
        updates: [],
        at: now,
      };
      state.messages.push(msg);
      if (taskId) extra.response_code = state.issueCode(taskId, u, "send");
    }
    if (taskId) state.taskIds.add(taskId);
    return ok(extra);
  };

  const update = (b: Record<string, unknown>): Reply => {
    const now = clock.now();
    const code = state.codes.get(String(b.response_code ?? ""));
    const userids = Array.isArray(b.userids) ? (b.userids as string[]) : [];
    const record = (r: Reply) => {
      state.updateCalls.push({
        code: String(b.response_code ?? ""),
        taskId: code?.taskId ?? "",
        userids,
        ok: r.body.errcode === 0,
        errcode: Number(r.body.errcode),
      });
      return r;
    };
    if (!code) return record(err(40058, "invalid response_code"));
    if (code.usedAt !== undefined) return record(err(40058, "response_code already used"));
    if (code.issuedAt < now - CODE_TTL_MS) return record(err(40058, "response_code expired (72h)"));
    const card = b.template_card as Record<string, unknown> | undefined;
    const problem = templateCardProblem(card, true);
    if (problem) return record(err(40058, `invalid template_card: ${problem}`));
    if (card?.task_id !== code.taskId) return record(err(40058, "task_id does not match response_code"));
    code.usedAt = now;
    const targets = b.atall === 1 ? state.messages.filter((m) => m.taskId === code.taskId) : [];
    for (const u of userids) {
      const copy = state.messages.find((m) => m.taskId === code.taskId && m.touser === u);
      if (copy) targets.push(copy);
    }
    for (const m of targets) {
      m.card = card;
      m.updates.push({ at: now, code: code.code, card: card as Record<string, unknown> });
    }
    return record(ok());
  };

  const upload = (req: IncomingMessage, body: Buffer, type: string): Reply => {
    const parts = parseMultipart(body, req.headers["content-type"]);
    const media = parts?.get("media");
    if (!media || media.data.length === 0) return err(40005, "invalid file type or empty");
    const id = state.nextId("media_");
    state.media.set(id, { id, type, fileName: media.filename ?? "", bytes: Buffer.from(media.data) });
    return ok({ type, media_id: id, created_at: String(Math.floor(clock.now() / 1000)) });
  };

  const robotSend = (key: string, b: Record<string, unknown>): Reply => {
    const now = clock.now();
    if (!state.robots.has(key)) return err(93000, "invalid webhook url");
    if (!within(state.robotHits, key, robotLimits, now)) {
      state.robotRejected.push({ key, errcode: 45009, at: now });
      return err(45009, "api freq out of limit");
    }
    hit(state.robotHits, key, now);
    const type = String(b.msgtype);
    const inner = (b[type] ?? {}) as Record<string, unknown>;
    let content = "";
    if (type === "text" || type === "markdown") {
      content = String(inner.content ?? "");
      const max = type === "text" ? 2048 : 4096;
      if (!content) return err(41009, "missing content");
      if (Buffer.byteLength(content) > max) return err(45002, "content size out of limit");
    } else if (type === "file") {
      const media = state.media.get(String(inner.media_id));
      if (!media) return err(40007, "invalid media_id");
      content = media.fileName;
    } else if (type === "image") content = String(inner.md5 ?? "");
    else return err(40008, `invalid message type ${type}`);
    const mentioned = Array.isArray(inner.mentioned_list) ? (inner.mentioned_list as string[]) : [];
    state.robot.push({ key, msgtype: type, content, mentioned, at: now });
    return ok();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://fake");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const json = (): Record<string, unknown> => {
      try {
        return JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const path = url.pathname;
    let reply: Reply;
    const fault = path === "/cgi-bin/gettoken" ? undefined : faults.pick();
    if (fault === "timeout") {
      state.calls.push({ at: clock.now(), path, errcode: -2, fault });
      return; // never answers; close() destroys the socket
    }
    if (fault === "drop") {
      state.calls.push({ at: clock.now(), path, errcode: -2, fault });
      req.socket.destroy();
      return;
    }
    if (typeof fault === "object" && "status" in fault)
      reply = { status: fault.status, body: { errcode: -1, errmsg: "injected" } };
    else if (typeof fault === "object") reply = err(fault.errcode, "injected");
    else if (path === "/cgi-bin/gettoken") reply = gettoken(url.searchParams);
    else if (path === "/cgi-bin/webhook/send") reply = robotSend(url.searchParams.get("key") ?? "", json());
    else if (path === "/cgi-bin/webhook/upload_media") {
      reply = state.robots.has(url.searchParams.get("key") ?? "")
        ? upload(req, raw, "file")
        : err(93000, "invalid webhook url");
    } else {
      const denied = auth(url.searchParams);
      if (denied) reply = denied;
      else if (path === "/cgi-bin/message/send") reply = send(json());
      else if (path === "/cgi-bin/message/update_template_card") reply = update(json());
      else if (path === "/cgi-bin/media/upload")
        reply = upload(req, raw, url.searchParams.get("type") ?? "file");
      else reply = { status: 404, body: { errcode: 404, errmsg: `no such api ${path}` } };
    }
    state.calls.push({
      at: clock.now(),
      path,
      errcode: Number(reply.body.errcode ?? 0),
      ...(fault ? { fault: typeof fault === "string" ? fault : JSON.stringify(fault) } : {}),
    });
    if (fault === "drop_after") {
      req.socket.destroy(); // processed, but the answer is lost
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
    res.end(text);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    failNext(fault, times = 1) {
      faults.failNext(fault, times);
    },
    faults,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
