import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start real HTTP servers and child processes; the shared 2-core CI box is slow.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
