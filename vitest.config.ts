import { defineConfig } from "vitest/config";

/**
 * Files that read the process-wide Prometheus registry (/metrics, /healthz counts and gauges): they get
 * a fresh module graph each, so no other file's bot has moved a counter they compare exactly.
 */
const OWN_REGISTRY = [
  "test/e2e/feishu-ws.test.ts",
  "test/e2e/wecom-security.test.ts",
  "test/e2e/wecom-bot-connection.test.ts",
  "test/platforms/wecom-bot/connection.test.ts",
  "test/security/callbacks-feishu.test.ts",
];

export default defineConfig({
  test: {
    // The browser test runs on its own afterwards (vitest.browser.config.ts): Chromium beside the
    // parallel end-to-end suites on a 2-core machine makes its timings meaningless.
    exclude: ["test/browser/**", "test/faults/**", "**/node_modules/**"],
    // End-to-end tests start real HTTP servers and child processes; the shared 2-core CI box is slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores: 1 on the 2-core CI box. Most test time is
    // the bot and the fake Feishu waiting on each other over loopback, so 2 workers keep both cores busy
    // (docs/testing.md has the measurements).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: [...OWN_REGISTRY, "test/browser/**", "test/faults/**", "**/node_modules/**"],
          // One module graph per worker instead of per file: re-importing the app (drizzle, the SDKs,
          // jieba, the compliance and sentiment models) cost 2–4 s per file, ~90 times. Every test
          // builds its own app on its own database file; module-level state is only loaded data.
          isolate: false,
        },
      },
      { extends: true, test: { name: "isolated", include: OWN_REGISTRY } },
    ],
  },
});
