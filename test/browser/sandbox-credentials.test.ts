import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";

/** With real credentials the bot serves no sandbox: no page, no API, no script (docs/sandbox.md). */
describe("the sandbox never runs beside real credentials", () => {
  it("with Feishu credentials set, /sandbox does not exist", async () => {
    const d = mkdtempSync(join(tmpdir(), "bot-nosb-"));
    const app = createApp({
      config: loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_PATH: join(d, "b.db"),
        FEISHU_APP_ID: "cli_x",
        FEISHU_APP_SECRET: "s",
        FEISHU_ENCRYPT_KEY: "k",
        LOG_LEVEL: "silent",
      }),
      background: false,
    });
    try {
      const { url } = await app.start();
      expect(app.config.sandbox).toBe(false);
      for (const path of ["/sandbox", "/sandbox/api/people", "/sandbox/static/app.js"]) {
        expect((await fetch(`${url}${path}`)).status).toBe(404);
      }
    } finally {
      await app.stop();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
