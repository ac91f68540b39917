/**
 * tenant_access_token: `POST /open-apis/auth/v3/tenant_access_token/internal` and the Bearer check on
 * every other endpoint. Feishu: the token lasts ≤ 2 h; asking again while more than 30 min remain
 * returns the same token with its remaining `expire`, otherwise a new one (the old stays valid).
 */
import { CODE, type FakeCtx, type FakeReply, type FakeRequest, fail, parseJson } from "./types.ts";

const REUSE_MIN_REMAINING_MS = 30 * 60_000;

export function issueToken(req: FakeRequest, ctx: FakeCtx): FakeReply {
  const { state, config, now } = ctx;
  state.tokenRequests += 1;
  const body = parseJson(req.body);
  if (!body || typeof body.app_id !== "string" || typeof body.app_secret !== "string") {
    return fail(400, CODE.paramInvalid, "field validation failed: app_id and app_secret are required");
  }
  if (body.app_id !== config.appId) return fail(400, CODE.appIdInvalid, "invalid app_id");
  if (body.app_secret !== config.appSecret) return fail(400, CODE.appSecretInvalid, "app secret invalid");

  for (const [token, expiresAt] of state.tokens) {
    if (expiresAt - now > REUSE_MIN_REMAINING_MS) {
      return tokenReply(token, Math.floor((expiresAt - now) / 1000));
    }
  }
  const token = `t-${state.nextId("fake")}`;
  state.tokens.set(token, now + config.tokenTtlSec * 1000);
  return tokenReply(token, config.tokenTtlSec);
}

// The token endpoint is an old-style API: fields at the top level, no `data` wrapper.
function tokenReply(token: string, expire: number): FakeReply {
  return { status: 200, body: { code: 0, msg: "ok", tenant_access_token: token, expire } };
}

/** undefined when the request carries a live tenant_access_token; else Feishu's error reply. */
export function authenticate(req: FakeRequest, ctx: FakeCtx): FakeReply | undefined {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  const token = match?.[1];
  if (!token) {
    return fail(
      400,
      CODE.tokenMissing,
      "Missing access token for authorization. Please make a request with token attached.",
    );
  }
  const expiresAt = ctx.state.tokens.get(token);
  if (expiresAt === undefined || expiresAt <= ctx.now) {
    return fail(
      400,
      CODE.tokenInvalid,
      "Invalid access token for authorization. Please make a request with token attached.",
    );
  }
  return undefined;
}

/** Free tier: 10,000 API calls a month, then HTTP 429 code 99991403 (not retryable). */
export function checkQuota(ctx: FakeCtx): FakeReply | undefined {
  ctx.state.apiCalls += 1;
  if (ctx.state.apiCalls > ctx.config.monthlyQuota) {
    return fail(
      429,
      CODE.monthlyQuota,
      "The number of API calls for this month has reached the upper limit.",
    );
  }
  return undefined;
}
