/**
 * The in-process fake Feishu Open Platform: the sandbox runs the real Feishu module against it, and the
 * tests use it as Feishu. Nothing else in src/ may import it (test/platforms/sandbox/open-platform.test.ts
 * checks): a production deployment talks to the real Open Platform.
 */
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
