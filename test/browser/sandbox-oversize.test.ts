import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, SHOTS, startSandbox } from "./sandbox-process.ts";

/**
 * A message the sandbox refuses (over the 1 MiB body limit) must not lose what the visitor typed: the
 * composer keeps the text and a Chinese error says what happened. `npm start` with no credentials, real
 * Chromium at 1280×900 and 390×844; screenshots in test-artifacts/sandbox/.
 */
let sandbox: Sandbox | undefined;
let browser: Browser;
let base = "";

beforeAll(async () => {
  sandbox = await startSandbox({ dbFile: "sb.db", chromiumArgs: ["--no-sandbox", "--disable-gpu"] });
  ({ base, browser } = sandbox);
}, 90_000);

afterAll(async () => {
  await sandbox?.close();
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
