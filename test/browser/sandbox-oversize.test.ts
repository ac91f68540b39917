import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A message the sandbox refuses (over the 1 MiB body limit) must not lose what the visitor typed: the
 * composer keeps the text and a Chinese error says what happened. `npm start` with no credentials, real
 * Chromium at 1280×900 and 390×844; screenshots in test-artifacts/sandbox/.
 */
const SHOTS = join(process.cwd(), "test-artifacts", "sandbox");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let child: ChildProcess | undefined;
let browser: Browser;
let base = "";
let dir = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "bot-sandbox-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(FEISHU|WECOM|WECHATY)_/.test(k)) delete env[k];
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "sb.db"),
      LOG_LEVEL: "warn",
    },
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
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  rmSync(dir, { recursive: true, force: true });
});

async function tryOversize(page: Page, shot: string): Promise<void> {
  await page.goto(`${base}/sandbox`);
  await expect.poll(() => page.locator("#chats li").count()).toBeGreaterThan(0);
  const before = await page.locator("#messages .msg").count();
  // 400,000 Chinese characters: 1.2 MB as UTF-8, over the 1 MiB body limit.
  const text = `/feedback ${"客人说密室太黑了".repeat(50_000)}`;
  await page.fill("#composer", text);
  await page.click("#send");
  const toast = page.locator("#toast");
  await expect.poll(() => toast.innerText()).toContain("消息太长");
  expect(await toast.getAttribute("class")).toContain("error");
  expect((await page.inputValue("#composer")).length).toBe(text.length);
  await page.screenshot({ path: join(SHOTS, shot) });
  expect(await page.locator("#messages .msg").count()).toBe(before);
  // Shortened, the same text goes through and only then leaves the composer.
  await page.fill("#composer", "/feedback 客人说密室太黑了");
  await page.click("#send");
  await expect.poll(() => page.inputValue("#composer")).toBe("");
  await page.getByText("已登记 T-").first().waitFor();
}

describe("the sandbox composer and a message over 1 MiB", () => {
  it("keeps the text and says why, at 1280×900", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await tryOversize(page, "oversize-1280.png");
    await page.close();
  });

  it("keeps the text and says why, at 390×844", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await tryOversize(page, "oversize-390.png");
    await page.close();
  });
});
