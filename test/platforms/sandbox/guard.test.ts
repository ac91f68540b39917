import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { SANDBOX_APPLICATION_ID, startSandbox } from "../../../src/platforms/sandbox/start.ts";
import { openDb } from "../../../src/store/db.ts";

/**
 * A production deployment whose `.env` went missing still has DATABASE_PATH from its service file: the bot
 * then starts without credentials, i.e. as a sandbox. It must refuse the real database rather than seed demo
 * admins into it and open /sandbox on real data.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function database(opts: { person: boolean; sandbox: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), "sandbox-guard-"));
  dirs.push(dir);
  const path = join(dir, "bot.db");
  const db = openDb(path);
  if (opts.person) db.$client.prepare("insert into people (name, created_at) values ('李姐', 0)").run();
  if (opts.sandbox) db.$client.pragma(`application_id = ${SANDBOX_APPLICATION_ID}`);
  db.$client.close();
  return path;
}

const start = (path: string) => {
  const env = { DATABASE_PATH: path, LOG_LEVEL: "silent" };
  return startSandbox(loadConfig(env), pino({ level: "silent" }), env);
};

describe("sandbox mode and DATABASE_PATH", () => {
  it("refuses a database with real people that was never a sandbox's, naming the file and the likely cause", async () => {
    const path = database({ person: true, sandbox: false });
    await expect(start(path)).rejects.toThrow(/拒绝以沙盒模式打开它.*\.env/);
  });

  it("accepts an empty database and one a sandbox created before", async () => {
    for (const path of [
      database({ person: false, sandbox: false }),
      database({ person: true, sandbox: true }),
    ]) {
      const sandbox = await start(path);
      expect(sandbox.config.databasePath).toBe(path);
      await sandbox.stop();
    }
  });
});
