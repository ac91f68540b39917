/**
 * The sandbox as a newcomer meets it: `npm start`'s entry point with no credentials, on a free port and a
 * fresh database, and a real Chromium (Debian's, or CHROMIUM_PATH) to drive /sandbox. Screenshots go to
 * test-artifacts/sandbox/.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

export const SHOTS = join(process.cwd(), "test-artifacts", "sandbox");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Sandbox {
  /** http://127.0.0.1:<port> */
  base: string;
  browser: Browser;
  /** Closes the browser, stops the bot (SIGTERM, waits for its exit) and removes its database. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Environment with every credential removed: the sandbox must be what starts. */
function noCredentials(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(FEISHU|WECOM|WECHATY)_/.test(k)) delete env[k];
  return { ...env, ...extra };
}

/** Starts the bot, waits for /healthz, and launches Chromium with `chromiumArgs`. */
export async function startSandbox(o: { dbFile: string; chromiumArgs: string[] }): Promise<Sandbox> {
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "bot-sandbox-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: noCredentials({
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, o.dbFile),
      LOG_LEVEL: "warn",
    }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: o.chromiumArgs });
  } catch (err) {
    child.kill("SIGTERM");
    throw err;
  }
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
