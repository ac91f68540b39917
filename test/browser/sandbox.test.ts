import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";

/**
 * The sandbox as a newcomer meets it: `npm start`'s entry point with no credentials, a real Chromium
 * driving /sandbox, every step through the page. Screenshots go to test-artifacts/sandbox/.
 */
const SHOTS = join(process.cwd(), "test-artifacts", "sandbox");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let child: ChildProcess | undefined;
let browser: Browser;
let page: Page;
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

/** Environment with every credential removed: the sandbox must be what starts. */
function noCredentials(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(FEISHU|WECOM|WECHATY)_/.test(k)) delete env[k];
  return { ...env, ...extra };
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "bot-sandbox-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: noCredentials({
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "sandbox.db"),
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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

async function actAs(key: string, chat: string): Promise<void> {
  await page.selectOption("#person", key);
  await page.click(`#chats li[data-chat="${chat}"]`);
}

async function send(text: string): Promise<void> {
  await page.fill("#composer", text);
  await page.click("#send");
}

const dm = (openId: string) => `oc_p2p_${openId}`;
const lastCard = () => page.locator("#messages .msg[data-kind=card]").last();

describe("the sandbox page in a real browser", () => {
  it("walks a review with a rejection and resubmission, and a crisis page acknowledged", async () => {
    await page.goto(`${base}/sandbox`);
    await expect.poll(() => page.locator("#person option").count()).toBe(9);

    // 运营专员 submits a post with 最好.
    await actAs("wang", dm("ou_sb_wang"));
    await send("/submit 抖音 周末新本首发\n本周末最好玩的新本上线，欢迎预约！");
    await page.getByText("已提交 #1《周末新本首发》").waitFor();
    await expect.poll(() => page.locator("#messages").innerText()).toContain("较好");
    await page.screenshot({ path: join(SHOTS, "1-submit.png") });

    // 运营团队负责人 sees the card and taps 通过.
    await actAs("li", dm("ou_sb_li"));
    await lastCard().getByText("初审 · #1 周末新本首发").waitFor();
    await page.screenshot({ path: join(SHOTS, "2-review-card.png") });
    await lastCard().getByRole("button", { name: "通过" }).click();
    await lastCard().getByText("李姐 已于").waitFor();
    await expect.poll(() => lastCard().getByRole("button", { name: "通过" }).count()).toBe(0);

    // 市场部门负责人 taps 驳回 with an opinion typed into the card.
    await actAs("zhang", dm("ou_sb_zhang"));
    await lastCard().getByText("复审 · #1 周末新本首发").waitFor();
    await lastCard().locator("textarea").fill("“最好”是广告法禁用词，请修改");
    await lastCard().getByRole("button", { name: "驳回" }).click();
    await lastCard().getByText("张总 已于").waitFor();
    await page.screenshot({ path: join(SHOTS, "3-rejected.png") });

    // 运营专员 sees the rejection and resubmits; revision 2 starts again at 初审.
    await actAs("wang", dm("ou_sb_wang"));
    await page.getByText("“最好”是广告法禁用词，请修改").first().waitFor();
    await send("/resubmit 1\n本周末较好玩的新本上线，欢迎预约！");
    await page.getByText("已提交 #1《周末新本首发》第 2 版").waitFor();
    await actAs("li", dm("ou_sb_li"));
    await lastCard().getByText("第 2 版").waitFor();

    // A crisis is reported; the 危机小组 member sees the red page in the crisis group and taps 收到.
    await actAs("wang", dm("ou_sb_wang"));
    await send("/crisis 2 微博上有顾客说城东店密室受伤，已有转发");
    await page.getByText(/C-1/).first().waitFor();
    await actAs("zhou", "oc_sb_crisis");
    await lastCard()
      .getByText(/二级危机 C-1/)
      .waitFor();
    await expect.poll(() => lastCard().innerText()).toContain("@所有人");
    await page.screenshot({ path: join(SHOTS, "4-crisis-page.png") });
    await lastCard().getByRole("button", { name: "收到" }).click();
    await expect.poll(() => lastCard().innerText()).toContain("老周");
    await expect.poll(() => lastCard().getByRole("button", { name: "收到" }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, "5-crisis-acked.png") });

    // /report week answers with the report and a chart image that really loads.
    await actAs("zhang", "oc_sb_ops");
    await send("/metric 抖音 曝光=2.8万 点赞=600 评论=120 转发=80");
    await page
      .getByText(/已记录|已登记/)
      .last()
      .waitFor();
    await send("/report week");
    const chart = page.locator("#messages .msg[data-kind=image] img").last();
    await chart.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(600);
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "6-report-week.png") });
  }, 120_000);

  it("快进时间 moves the sandbox clock so reminders arrive", async () => {
    await page.goto(`${base}/sandbox`);
    const before = await page.locator("#clock").innerText();
    await page.getByRole("button", { name: "+1天" }).click();
    await expect.poll(() => page.locator("#clock").innerText()).not.toBe(before);
    // #1 revision 2 has waited a day at 初审, so 李姐 is owed a 催办. Quiet hours (22:00–08:30) may hold it
    // depending on the time of day the test runs, so step on by hours until it shows (≤ 12 steps).
    await actAs("li", dm("ou_sb_li"));
    const reminder = page.getByText(/⏰ 催办：#1《周末新本首发》/).first();
    for (let i = 0; i < 12 && !(await reminder.isVisible()); i++) {
      await page.getByRole("button", { name: "+1小时" }).click();
      await page.waitForTimeout(1500);
    }
    await reminder.waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(SHOTS, "7-fast-forward.png") });
  }, 60_000);
});

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
