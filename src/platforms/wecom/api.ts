/**
 * The bot's WeCom server API client (docs/platforms.md → 企业微信自建应用): every method resolves to a result and never
 * throws; failures are classified for the outbox (retry or dead-letter). Everything goes to
 * `WECOM_API_BASE` — the app API and the group-robot webhooks alike.
 *
 * - `access_token` is cached per app until 5 min before `expires_in`; 40014 / 42001 / 41001 clear it and
 *   the call is made once more with a new one.
 * - 45009 (frequency), 45033 (concurrency), -1 (busy), HTTP 5xx and timeouts are retried by the outbox.
 * - 81013 (every recipient invalid) and a member listed in `invaliduser` are permanent: dead letter.
 */
import type { DeliveryFailure } from "../../outbox/types.ts";

const TOKEN_CODES = new Set([40014, 42001, 41001]);
const RETRY_CODES = new Map<number, number>([
  [45009, 60_000],
  [45033, 1_000],
  [-1, 1_000],
]);
/** Go-live gates an operator fixes in the console (trusted IPs): retried, so nothing is lost meanwhile. */
const CONFIG_CODES = new Set([60020]);
const TOKEN_MARGIN_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 10_000;

export interface WecomApiOptions {
  base: string;
  corpId: string;
  secret: string;
  agentId: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type WecomBody = { errcode?: number; errmsg?: string } & Record<string, unknown>;
export type ApiResult = { ok: true; body: WecomBody } | DeliveryFailure;

export function failure(
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

/** A WeCom answer with a non-zero errcode. */
export function classifyWecomCode(code: number, msg: string): DeliveryFailure {
  const text = `errcode ${code}: ${msg}`;
  if (TOKEN_CODES.has(code)) return failure(true, String(code), text, "platform");
  const wait = RETRY_CODES.get(code);
  if (wait !== undefined) return failure(true, String(code), text, "platform", wait);
  if (CONFIG_CODES.has(code)) return failure(true, String(code), text, "platform", 60_000);
  return failure(false, String(code), text, "platform");
}

export class WecomApi {
  private token: { value: string; until: number } | undefined;
  private pendingToken: Promise<string | DeliveryFailure> | undefined;
  private readonly fetch: typeof fetch;
  /** gettoken calls made (tests check the cache). */
  tokenRequests = 0;

  constructor(private readonly o: WecomApiOptions) {
    this.fetch = o.fetch ?? fetch;
  }

  get agentId(): number {
    return this.o.agentId;
  }

  private async http(path: string, init: RequestInit): Promise<ApiResult> {
    let res: Response;
    try {
      res = await this.fetch(`${this.o.base}${path}`, {
        ...init,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      const code = e.name === "TimeoutError" ? "ETIMEDOUT" : (e.cause?.code ?? "NETWORK");
      return failure(true, code, String(err), "network");
    }
    if (res.status >= 500 || res.status === 429) {
      return failure(true, `HTTP_${res.status}`, `HTTP ${res.status}`, "network");
    }
    let body: WecomBody;
    try {
      body = (await res.json()) as WecomBody;
    } catch {
      return failure(true, `HTTP_${res.status}`, `HTTP ${res.status} without JSON`, "network");
    }
    if (res.status !== 200 && body.errcode === undefined) {
      return failure(false, `HTTP_${res.status}`, `HTTP ${res.status}`, "network");
    }
    if (body.errcode !== undefined && body.errcode !== 0)
      return classifyWecomCode(body.errcode, body.errmsg ?? "");
    return { ok: true, body };
  }

  /** One token request at a time; concurrent callers share it. */
  private async accessToken(): Promise<string | DeliveryFailure> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    this.pendingToken ??= (async () => {
      this.tokenRequests++;
      const q = new URLSearchParams({ corpid: this.o.corpId, corpsecret: this.o.secret });
      const r = await this.http(`/cgi-bin/gettoken?${q}`, { method: "GET" });
      if (!r.ok) return r;
      const value = r.body.access_token;
      const ttl = Number(r.body.expires_in ?? 7200) * 1000;
      if (typeof value !== "string" || !value)
        return failure(true, "EMPTY_TOKEN", "gettoken without access_token", "platform");
      this.token = { value, until: Date.now() + Math.max(0, ttl - TOKEN_MARGIN_MS) };
      return value;
    })().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  /** An app API call with `access_token`; a token error clears the cache and tries once more. */
  private async call(path: string, init: (token: string) => RequestInit, query = ""): Promise<ApiResult> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      if (typeof token !== "string") return token;
      const r = await this.http(`${path}?access_token=${encodeURIComponent(token)}${query}`, init(token));
      if (r.ok || attempt > 0 || !TOKEN_CODES.has(Number(r.code))) return r;
      if (this.token?.value === token) this.token = undefined;
    }
  }

  private postJson(path: string, body: unknown): Promise<ApiResult> {
    return this.call(path, () => ({
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
    }));
  }

  /** `message/send`: one member per call, so `invaliduser` means that member. */
  async sendMessage(body: Record<string, unknown>): Promise<ApiResult> {
    const r = await this.postJson("/cgi-bin/message/send", { agentid: this.o.agentId, ...body });
    if (!r.ok) return r;
    const invalid = String(r.body.invaliduser ?? "") || String(r.body.unlicenseduser ?? "");
    if (invalid) return failure(false, "INVALID_USER", `收件人无效：${invalid}`, "platform");
    return r;
  }

  updateTemplateCard(body: Record<string, unknown>): Promise<ApiResult> {
    return this.postJson("/cgi-bin/message/update_template_card", { agentid: this.o.agentId, ...body });
  }

  /** Temporary media (3 days) for file and image messages. */
  uploadMedia(type: "file" | "image", fileName: string, bytes: Buffer): Promise<ApiResult> {
    return this.call(
      "/cgi-bin/media/upload",
      () => {
        const form = new FormData();
        form.append("media", new Blob([new Uint8Array(bytes)]), fileName);
        return { method: "POST", body: form };
      },
      `&type=${type}`,
    );
  }

  /** Group robot: `webhook/send?key=…` (no access token; 20 messages/min per robot). */
  robotSend(key: string, body: Record<string, unknown>): Promise<ApiResult> {
    return this.http(`/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
    });
  }

  robotUpload(key: string, fileName: string, bytes: Buffer): Promise<ApiResult> {
    const form = new FormData();
    form.append("media", new Blob([new Uint8Array(bytes)]), fileName);
    return this.http(`/cgi-bin/webhook/upload_media?key=${encodeURIComponent(key)}&type=file`, {
      method: "POST",
      body: form,
    });
  }
}
