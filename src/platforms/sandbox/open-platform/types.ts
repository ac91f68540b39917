/**
 * Shared types and wire helpers of the fake Feishu Open Platform. Response bodies always have Feishu's
 * `{code, msg, data}` shape; error codes are the documented ones (docs/platforms.md → 飞书 → Sending and
 * the per-API error tables on open.feishu.cn).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Clock } from "../../../clock.ts";
import type { FakeLimits, FaultOptions, RateLimits } from "./limits.ts";
import type { FakeFeishuState } from "./state.ts";

export { DEFAULT_LIMITS, type FakeLimits, type FaultKind, type FaultOptions } from "./limits.ts";

export interface FakeFeishuOptions {
  appId: string;
  appSecret: string;
  /** Drives token expiry, the uuid window, the 14-day patch window and rate-limit windows. */
  clock?: Clock;
  /** `expire` of tenant_access_token in seconds (Feishu: ≤ 2 h). */
  tokenTtlSec?: number;
  tenantKey?: string;
  limits?: Partial<FakeLimits>;
  /** chat_ids the bot is not a member of → 230002. */
  chatsWithoutBot?: Set<string>;
  /** open_ids outside the app's availability range → 230013. */
  usersOutOfRange?: Set<string>;
  /** Free tier: 10,000 API calls a month; beyond this many calls → HTTP 429 code 99991403. */
  monthlyQuota?: number;
  faults?: FaultOptions;
  /** Port to listen on (default 0 = any free port). */
  port?: number;
}

export interface ResolvedConfig {
  appId: string;
  appSecret: string;
  tenantKey: string;
  tokenTtlSec: number;
  limits: FakeLimits;
  chatsWithoutBot: Set<string>;
  usersOutOfRange: Set<string>;
  monthlyQuota: number;
}

/** What every route handler gets. `now` is read once per request from the fake clock. */
export interface FakeCtx {
  state: FakeFeishuState;
  limits: RateLimits;
  config: ResolvedConfig;
  now: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeReply {
  status: number;
  body: { code: number; msg: string; [k: string]: unknown };
  headers?: Record<string, string>;
}

/** Documented codes the fake answers with. */
export const CODE = {
  ok: 0,
  appSecretInvalid: 10014,
  appIdInvalid: 10003,
  tokenMissing: 99991661,
  tokenInvalid: 99991663,
  appRateLimited: 99991400,
  monthlyQuota: 99991403,
  paramInvalid: 99992402,
  badRequest: 230001,
  botNotInChat: 230002,
  userOutOfRange: 230013,
  frequencyLimit: 230020,
  contentTooLong: 230025,
  tooOldToEdit: 230031,
  cardInvalid: 230099,
  /** Card update tokens / callback cards: the returned card must stay schema 2.0. */
  cardSchemaMismatch: 200830,
  /** Upload errors (im/v1/images, im/v1/files). */
  uploadParamInvalid: 234001,
  uploadTooLarge: 234006,
  uploadEmpty: 234010,
} as const;

export function ok(data: unknown, msg = "success"): FakeReply {
  return { status: 200, body: { code: 0, msg, data } };
}

export function fail(status: number, code: number, msg: string, headers?: Record<string, string>): FakeReply {
  return headers ? { status, body: { code, msg }, headers } : { status, body: { code, msg } };
}

export function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body.toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
