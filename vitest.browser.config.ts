import { defineConfig } from "vitest/config";

/** The sandbox page in Debian Chromium (playwright-core), one file at a time. */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90_000,
  },
});
