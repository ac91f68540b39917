/**
 * A fake Feishu Open Platform over real HTTP on 127.0.0.1, enforcing the rules the bot depends on
 * (tokens, uuid idempotency, rate limits, card 2.0, 14-day edits, upload limits) and injecting faults.
 * Used by tests and by the bot's sandbox mode (docs/sandbox.md), so the bot runs its production HTTP code paths.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Clock, systemClock } from "../../../clock.ts";
import { authenticate, checkQuota, issueToken } from "./auth.ts";
import { Faults, RateLimits } from "./limits.ts";
import {
  appRateLimited,
  delayedCardUpdate,
  frequencyLimited,
  patchMessage,
  sendMessage,
  urgentApp,
} from "./messages.ts";
import { FakeFeishuState } from "./state.ts";
import {
  DEFAULT_LIMITS,
  type FakeCtx,
  type FakeFeishuOptions,
  type FakeReply,
  type FakeRequest,
  type FaultKind,
  fail,
  parseJson,
  type ResolvedConfig,
} from "./types.ts";
import { uploadFile, uploadImage } from "./uploads.ts";
import { attachWs, FakeWsHub } from "./ws.ts";

export interface FakeFeishu {
  /** Base URL, e.g. `http://127.0.0.1:41234` — pass as the SDK `domain`. */
  url: string;
  state: FakeFeishuState;
  faults: Faults;
  config: ResolvedConfig;
  clock: Clock;
  /** The long connection (FEISHU_MODE=ws). */
  ws: FakeWsHub;
  close(): Promise<void>;
}

/** Request bodies above this are refused (largest legal upload is a 30 MB file). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

type Route = (req: FakeRequest, ctx: FakeCtx) => FakeReply;

function route(method: string, path: string): Route | undefined {
  if (method === "POST" && path === "/open-apis/auth/v3/tenant_access_token/internal") return issueToken;
  if (method === "POST" && path === "/open-apis/im/v1/messages") return sendMessage;
  if (method === "POST" && path === "/open-apis/im/v1/images") return uploadImage;
  if (method === "POST" && path === "/open-apis/im/v1/files") return uploadFile;
  if (method === "POST" && path === "/open-apis/interactive/v1/card/update") return delayedCardUpdate;
  const urgent = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/.exec(path);
  if (method === "PATCH" && urgent?.[1]) {
    const id = decodeURIComponent(urgent[1]);
    return (req, ctx) => urgentApp(req, ctx, id);
  }
  const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path);
  if (method === "PATCH" && patch?.[1]) {
    const id = decodeURIComponent(patch[1]);
    return (req, ctx) => patchMessage(req, ctx, id);
  }
  return undefined;
}

function resolve(opts: FakeFeishuOptions): ResolvedConfig {
  return {
    appId: opts.appId,
    appSecret: opts.appSecret,
    tenantKey: opts.tenantKey ?? "fake_tenant",
    tokenTtlSec: opts.tokenTtlSec ?? 7200,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    chatsWithoutBot: opts.chatsWithoutBot ?? new Set(),
    usersOutOfRange: opts.usersOutOfRange ?? new Set(),
    monthlyQuota: opts.monthlyQuota ?? Number.POSITIVE_INFINITY,
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on("end", () => done(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", failed);
  });
}

/** Replies of the faults that still answer. */
function faultReply(kind: FaultKind): FakeReply | undefined {
  if (kind === "500") return fail(500, 500, "internal server error (injected)");
  if (kind === "429") return appRateLimited(1000);
  if (kind === "230020") return frequencyLimited();
  return undefined;
}

export async function startFakeFeishu(opts: FakeFeishuOptions): Promise<FakeFeishu> {
  const clock = opts.clock ?? systemClock;
  const config = resolve(opts);
  const state = new FakeFeishuState(clock);
  const limits = new RateLimits(config.limits);
  const faults = new Faults(opts.faults);
  const sockets = new Set<Socket>();
  let base = "";
  const ws = new FakeWsHub(config, () => base);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const body = await readBody(req);
    const ctx: FakeCtx = { state, limits, config, now: clock.now() };
    const log = (status: number, code: number | "none", fault?: string): void =>
      state.logCall({ at: ctx.now, method, path: url.pathname, status, code, ...(fault ? { fault } : {}) });

    if (method === "POST" && url.pathname === "/callback/ws/endpoint") {
      // Not an Open API call: no token, answered HTTP 200 whatever the code (as Feishu does).
      const json = JSON.stringify(ws.endpoint(body ? parseJson(body) : undefined));
      log(200, 0);
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(json);
      return;
    }
    const isApi = /^\/open-apis\/(im|interactive)\//.test(url.pathname);
    const fault = isApi ? faults.pick() : undefined;
    if (fault === "timeout") return log(0, "none", fault); // never answer; close() destroys the socket
    if (fault === "drop") {
      log(0, "none", fault);
      req.socket.destroy();
      return;
    }

    let reply: FakeReply;
    const handler = route(method, url.pathname);
    const injected = fault && fault !== "drop_after" ? faultReply(fault) : undefined;
    if (body === undefined) reply = fail(413, 99992402, "request body too large");
    else if (injected) reply = injected;
    else if (!handler) reply = fail(404, 404, `no such endpoint: ${method} ${url.pathname}`);
    else {
      const request: FakeRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      const isToken = handler === issueToken;
      reply = (!isToken && (authenticate(request, ctx) ?? checkQuota(ctx))) || handler(request, ctx);
    }

    if (reply.body.code !== 0) state.reject(reply.body.code);
    log(reply.status, reply.body.code, fault);
    if (fault === "drop_after") {
      req.socket.destroy(); // processed, but the answer is lost
      return;
    }
    const json = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(json),
      "x-tt-logid": state.nextId("fake-log-"),
      ...reply.headers,
    });
    res.end(json);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify({ code: 500, msg: `fake feishu crashed: ${String(err)}` }));
    });
  });
  attachWs(server, ws);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  await new Promise<void>((ready) => server.listen(opts.port ?? 0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    faults,
    config,
    clock,
    ws,
    close: () =>
      new Promise<void>((closed) => {
        ws.close();
        // Hanging ("timeout") requests and keep-alive sockets would keep close() waiting forever.
        for (const s of sockets) s.destroy();
        server.close(() => closed());
      }),
  };
}
