import { afterEach, beforeEach } from "vitest";
import type { Harness, Who } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

/**
 * The admin tests' bot: a fresh in-process bot per test, handed to `use` (the test file keeps it in its
 * own `h`), and the two readings every admin test makes.
 */
export function adminBot(use: (h: Harness) => void) {
  let h: Harness | undefined;
  beforeEach(async () => {
    h = await startInProcess();
    use(h);
  });
  afterEach(async () => {
    await h?.close();
  });
  const bot = () => {
    if (!h) throw new Error("no bot outside a test");
    return h;
  };
  return {
    /** Rows in a table (optionally filtered), for "nothing changed" assertions. */
    count(table: string, where = "1 = 1", ...params: unknown[]): number {
      const row = bot()
        .app.db.$client.prepare(`select count(*) as n from ${table} where ${where}`)
        .get(...params);
      return (row as { n: number }).n;
    },
    /** The bot's newest text in a DM or group. */
    last: (whoOrChat: Who | string) => bot().texts(whoOrChat).at(-1) ?? "",
  };
}
