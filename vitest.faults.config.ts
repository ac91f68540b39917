import { defineConfig } from "vitest/config";

/**
 * `npm run test:faults`: the fault-injection run (docs/reliability.md) — flaky fakes, SIGKILLed bot processes, then
 * exactly-once counts. One file at a time: it kills and restarts real processes on a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
