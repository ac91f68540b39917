/**
 * The bot's Feishu Open API client. Every method resolves to a `DeliveryResult` and never throws; the
 * outbox worker only needs `retry`. Facts: docs/platforms.md → 飞书 → Sending.
 *
 * SDK behaviour this file works around (@larksuiteoapi/node-sdk 1.74):
 * - it uses axios and throws on non-2xx, so Feishu's `{code, msg}` is in `error.response.data`;
 * - typed methods take no per-request timeout: we pass an `httpInstance` that adds one;
 * - it caches tenant_access_token until 3 min before expiry and never evicts it on 99991663: we pass
 *   our own cache, clear it on a token error and retry once;
 * - it never retries anything itself.
 */
import * as lark from "@larksuiteoapi/node-sdk";
import type { DeliveryFailure, DeliveryResult } from "../../outbox/types.ts";

export const FEISHU_DOMAIN = "https://open.feishu.cn";
const DEFAULT_TIMEOUT_MS = 10_000;
/** Token missing / invalid / expired: refresh and try again once. */
const TOKEN_CODES = new Set([99991661, 99991663, 99991668]);
/** 230020 (5 QPS per user / group) does not say how long to wait; one second is the window. */
const FREQUENCY_WAIT_MS = 1000;

export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  /** `https://open.feishu.cn`, `https://open.larksuite.com`, or the fake's URL. */
  domain: string;
  /** Per HTTP request, token requests included (default 10 s). */
  timeoutMs?: number;
  /** The SDK's own logging; silent by default because every failure comes back as a DeliveryResult. */
  logger?: lark.Logger;
}

export interface SendMessageInput {
  receiveIdType: "open_id" | "chat_id";
  receiveId: string;
  msgType: "text" | "interactive" | "file" | "image";
  /** JSON string, e.g. `{"text":"…"}` or the card JSON. */
  content: string;
  /** ≤ 50 chars; Feishu sends a uuid at most once per hour, so retries are idempotent. */
  uuid: string;
}

type CacheKey = Parameters<lark.Cache["get"]>[0];
type CacheOptions = Parameters<lark.Cache["get"]>[1];

/** In-memory token cache that, unlike the SDK's, can be cleared. */
export class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt: number | undefined }>();

  private static key(key: CacheKey, options: CacheOptions): string {
    return `${options?.namespace ?? ""}/${String(key)}`;
  }

  async get(key: CacheKey, options?: CacheOptions): Promise<unknown> {
    const hit = this.values.get(TokenCache.key(key, options));
    if (!hit || (hit.expiresAt !== undefined && hit.expiresAt <= Date.now())) return undefined;
    return hit.value;
  }

  async set(key: CacheKey, value: unknown, expire?: number, options?: CacheOptions): Promise<boolean> {
    this.values.set(TokenCache.key(key, options), { value, expiresAt: expire });
    return true;
  }

  clear(): void {
    this.values.clear();
  }
}

/** The SDK's axios instance (which unwraps `response.data`) with a timeout on every request. */
function withTimeout(base: lark.HttpInstance, timeout: number): lark.HttpInstance {
  return {
    request: (o) => base.request({ timeout, ...o }),
    get: (url, o) => base.get(url, { timeout, ...o }),
    delete: (url, o) => base.delete(url, { timeout, ...o }),
    head: (url, o) => base.head(url, { timeout, ...o }),
    options: (url, o) => base.options(url, { timeout, ...o }),
    post: (url, data, o) => base.post(url, data, { timeout, ...o }),
    put: (url, data, o) => base.put(url, data, { timeout, ...o }),
    patch: (url, data, o) => base.patch(url, data, { timeout, ...o }),
  };
}

const silentLogger: lark.Logger = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

function failure(
  retry: boolean,
  code: string,
  message: string,
  where: DeliveryFailure["where"],
  afterMs?: number,
): DeliveryFailure {
  const f: DeliveryFailure = { ok: false, retry, code, message, where };
  if (afterMs !== undefined) f.afterMs = afterMs;
  return f;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === "function" ? h.get(name) : h[name];
  return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
}

/** Classifies an answer from Feishu (HTTP status + business code) that was not a success. */
export function classifyFeishuResponse(
  status: number,
  code: number | undefined,
  msg: string,
  headers?: unknown,
): DeliveryFailure {
  const text = `HTTP ${status}${code !== undefined ? ` code ${code}` : ""}: ${msg}`;
  const codeStr = code !== undefined ? String(code) : `HTTP_${status}`;
  if (code !== undefined && TOKEN_CODES.has(code)) return failure(true, codeStr, text, "platform");
  if (code === 230020) return failure(true, codeStr, text, "platform", FREQUENCY_WAIT_MS);
  // 99991403 is the free tier's monthly quota (also HTTP 429): waiting seconds will not help.
  if (code === 99991403) return failure(false, codeStr, text, "platform");
  if (code === 99991400 || status === 429) {
    const reset = Number(headerValue(headers, "x-ogw-ratelimit-reset"));
    const afterMs = Number.isFinite(reset) && reset >= 0 ? Math.ceil(reset * 1000) : undefined;
    return failure(true, codeStr, text, "platform", afterMs);
  }
  if (status >= 500) return failure(true, `HTTP_${status}`, text, "network");
  if (status === 408) return failure(true, "HTTP_408", text, "network");
  // 230002 bot not in chat, 230013 outside availability, 230001/230099 bad content, 99992402 param
  // error, and any other business code: retrying sends the same request to the same answer.
  return failure(false, codeStr, text, "platform");
}

/** Classifies whatever the SDK threw. */
export function classifyFeishuError(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as {
    response?: { status?: unknown; data?: unknown; headers?: unknown };
    code?: unknown;
    message?: unknown;
    isAxiosError?: unknown;
  };
  const message = typeof e.message === "string" ? e.message : String(err);
  const status = e.response?.status;
  if (typeof status === "number") {
    const data = e.response?.data as { code?: unknown; msg?: unknown } | string | undefined;
    const body = typeof data === "object" && data !== null ? data : {};
    const code = typeof body.code === "number" ? body.code : undefined;
    const msg =
      typeof body.msg === "string" ? body.msg : typeof data === "string" ? data.slice(0, 200) : message;
    return classifyFeishuResponse(status, code, msg, e.response?.headers);
  }
  // A token request answered HTTP 200 with an error code: the SDK throws a plain Error with this text.
  const tokenFail = /failed to get \w+, code: (-?\d+), msg: (.*)$/s.exec(message);
  if (tokenFail) return classifyFeishuResponse(200, Number(tokenFail[1]), tokenFail[2] ?? "");
  const sysCode = typeof e.code === "string" ? e.code : undefined;
  if (sysCode !== undefined || e.isAxiosError === true) {
    // axios reports its own timeout as ECONNABORTED "timeout of N ms exceeded".
    const timedOut = sysCode === "ETIMEDOUT" || (sysCode === "ECONNABORTED" && /timeout/i.test(message));
    return failure(true, timedOut ? "ETIMEDOUT" : (sysCode ?? "NETWORK"), message, "network");
  }
  // Not from the network or the platform: a bug on our side; retrying would repeat it.
  return failure(false, "CLIENT_ERROR", message, "network");
}

type Body = { code?: number | undefined; msg?: string | undefined } | null | undefined;

/** A resolved SDK call: HTTP 2xx, but the body can still carry a non-zero code. */
function fromBody(body: Body, success: () => DeliveryResult): DeliveryResult {
  if (body === null || body === undefined) {
    return failure(true, "EMPTY_RESPONSE", "Feishu answered without a body", "platform");
  }
  if (body.code === undefined || body.code === 0) return success();
  return classifyFeishuResponse(200, body.code, body.msg ?? "");
}

export class FeishuApi {
  readonly client: lark.Client;
  private readonly cache = new TokenCache();

  constructor(opts: FeishuApiOptions) {
    this.client = new lark.Client({
      appId: opts.appId,
      appSecret: opts.appSecret,
      domain: opts.domain,
      appType: lark.AppType.SelfBuild,
      loggerLevel: lark.LoggerLevel.error,
      logger: opts.logger ?? silentLogger,
      cache: this.cache,
      // Typed as AxiosInstance, but its response interceptor unwraps `response.data`, which is exactly
      // the HttpInstance contract the Client relies on.
      httpInstance: withTimeout(
        lark.defaultHttpInstance as unknown as lark.HttpInstance,
        opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ),
    });
  }

  /** Runs a call; on a token error clears the cached token and runs it once more, right away. */
  private async call(op: () => Promise<DeliveryResult>): Promise<DeliveryResult> {
    const first = await this.attempt(op);
    if (first.ok || !TOKEN_CODES.has(Number(first.code))) return first;
    this.cache.clear();
    return this.attempt(op);
  }

  private async attempt(op: () => Promise<DeliveryResult>): Promise<DeliveryResult> {
    try {
      return await op();
    } catch (err) {
      return classifyFeishuError(err);
    }
  }

  sendMessage(input: SendMessageInput): Promise<DeliveryResult> {
    return this.call(async () => {
      const res = await this.client.im.v1.message.create({
        params: { receive_id_type: input.receiveIdType },
        data: {
          receive_id: input.receiveId,
          msg_type: input.msgType,
          content: input.content,
          uuid: input.uuid,
        },
      });
      return fromBody(res, () => {
        const messageId = res.data?.message_id;
        return messageId
          ? { ok: true, messageId }
          : failure(true, "EMPTY_RESPONSE", "send answered without message_id", "platform");
      });
    });
  }

  /** Replaces a sent card for everyone (PATCH; within 14 days; 5 QPS per message). */
  patchCard(messageId: string, card: object): Promise<DeliveryResult> {
    return this.call(async () => {
      const res = await this.client.im.v1.message.patch({
        path: { message_id: messageId },
        data: { content: JSON.stringify(card) },
      });
      return fromBody(res, () => ({ ok: true, messageId }));
    });
  }

  /** Delayed update after a card callback: token `c-…` from the callback, 30 min, 2 uses. */
  updateCardByToken(token: string, card: object): Promise<DeliveryResult> {
    return this.call(async () => {
      const res: Body = await this.client.request({
        method: "POST",
        url: "/open-apis/interactive/v1/card/update",
        data: { token, card },
      });
      return fromBody(res, () => ({ ok: true }));
    });
  }

  uploadFile(fileName: string, bytes: Buffer): Promise<DeliveryResult> {
    return this.call(async () => {
      // The SDK unwraps upload answers to `data` ({file_key}) — or null when the body had none.
      const data = await this.client.im.v1.file.create({
        data: { file_type: "stream", file_name: fileName, file: bytes },
      });
      return data?.file_key
        ? { ok: true, key: data.file_key }
        : failure(true, "EMPTY_RESPONSE", "file upload answered without file_key", "platform");
    });
  }

  uploadImage(bytes: Buffer): Promise<DeliveryResult> {
    return this.call(async () => {
      const data = await this.client.im.v1.image.create({ data: { image_type: "message", image: bytes } });
      return data?.image_key
        ? { ok: true, key: data.image_key }
        : failure(true, "EMPTY_RESPONSE", "image upload answered without image_key", "platform");
    });
  }

  /** In-app buzz (加急) for the bot's own message; free, unlike urgent_sms / urgent_phone. */
  urgentApp(messageId: string, openIds: string[]): Promise<DeliveryResult> {
    return this.call(async () => {
      const res = await this.client.im.v1.message.urgentApp({
        path: { message_id: messageId },
        params: { user_id_type: "open_id" },
        data: { user_id_list: openIds },
      });
      return fromBody(res, () => ({ ok: true, messageId }));
    });
  }
}
