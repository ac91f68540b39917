import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser test runs on its own afterwards (vitest.browser.config.ts): Chromium beside the
    // parallel end-to-end suites on a 2-core machine makes its timings meaningless.
    exclude: ["test/browser/**", "test/faults/**", "**/node_modules/**"],
    // End-to-end tests start real HTTP servers and child processes; the shared 2-core CI box is slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
