export * from "./callbacks.ts";
export { cardProblem, isSharedCard } from "./cards-rules.ts";
export { Faults, RateLimits, SlidingWindow } from "./limits.ts";
export { type FakeFeishu, startFakeFeishu } from "./server.ts";
export * from "./state.ts";
export {
  CODE,
  DEFAULT_LIMITS,
  type FakeFeishuOptions,
  type FakeLimits,
  type FaultKind,
  type FaultOptions,
} from "./types.ts";
export { parseMultipart } from "./uploads.ts";
