import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clippedControls, layout } from "./layout.ts";
import { type Sandbox, SHOTS, startSandbox } from "./sandbox-process.ts";

/**
 * The sandbox as a newcomer meets it: `npm start`'s entry point with no credentials, a real Chromium
 * driving /sandbox, every step through the page (sandbox-process.ts). Screenshots go to
 * test-artifacts/sandbox/. The tests run in order on one bot: each goes on from what the one before left.
 */
let sandbox: Sandbox | undefined;
let browser: Browser;
let page: Page;
let base = "";

beforeAll(async () => {
  sandbox = await startSandbox({
    dbFile: "sandbox.db",
    chromiumArgs: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  ({ base, browser } = sandbox);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 90_000);

afterAll(async () => {
  await sandbox?.close();
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
  it("lands on a hint of what to do first, and has an icon", async () => {
    await page.goto(`${base}/sandbox`);
    await expect.poll(() => page.locator("#person option").count()).toBe(9);
    const hint = page.locator("#messages .hint-card");
    await hint.waitFor();
    expect(await hint.innerText()).toContain("运营-小王");
    // An example fills the composer; nothing is sent until 发送.
    await hint.getByRole("button", { name: /提交一篇内容/ }).click();
    expect(await page.locator("#composer").inputValue()).toContain("/submit 抖音 周末新本首发");
    await page.screenshot({ path: join(SHOTS, "0-landing.png") });
    await page.fill("#composer", "");

    const icon = await page.request.get(`${base}/favicon.ico`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("icon");
    // The browser really decodes it as a 32×32 image.
    const width = await page.evaluate(`new Promise((resolve) => {
      const img = new Image();
      img.onload = () => resolve(img.naturalWidth);
      img.onerror = () => resolve(0);
      img.src = "/favicon.ico";
    })`);
    expect(width).toBe(32);
  });

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

    // 升级为三级 asks first, as Feishu does for a button with `confirm`: 取消 sends nothing.
    const clicks: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (r.url().includes("/sandbox/api/click")) clicks.push(r.url());
    };
    page.on("request", onRequest);
    const dialog = page.locator("#confirm");
    await lastCard().getByRole("button", { name: "升级为三级" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain("确认升级？");
    await page.screenshot({ path: join(SHOTS, "5b-confirm-escalate.png") });
    await dialog.getByRole("button", { name: "取消" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(clicks).toEqual([]);
    expect(await lastCard().innerText()).toContain("二级危机 C-1");
    // 确定 goes through: C-1 becomes 三级 and pages the group again, until 老周 answers once more.
    await lastCard().getByRole("button", { name: "升级为三级" }).click();
    await dialog.getByRole("button", { name: "确定" }).click();
    await expect.poll(() => clicks.length).toBe(1);
    page.off("request", onRequest);
    await lastCard()
      .getByText(/三级危机 C-1/)
      .waitFor();
    await lastCard().getByRole("button", { name: "收到" }).click();
    await expect.poll(() => lastCard().getByRole("button", { name: "收到" }).count()).toBe(0);

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
    // The bot lives through the day step by step (every timer at its own time), which takes a moment.
    await expect.poll(() => page.locator("#clock").innerText(), { timeout: 20_000 }).not.toBe(before);
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

describe("the sandbox page's layout and forms", () => {
  it("1280×900: the page fits the window, the chat scrolls inside it, follows new messages, marks unread chats", async () => {
    await page.goto(`${base}/sandbox`);
    await actAs("zhang", dm("ou_sb_zhang"));
    const replies = page.locator("#messages .msg[data-from=bot]");
    const before = await replies.count();
    await send("/help");
    await expect.poll(() => replies.count()).toBeGreaterThan(before);
    await send("/help");
    await expect.poll(() => replies.count()).toBeGreaterThan(before + 1);

    let l = await layout(page);
    expect(l.docHeight).toBeLessThanOrEqual(l.winHeight);
    expect(l.composerBottom).toBeLessThanOrEqual(l.winHeight);
    expect(l.scrolls).toBe(true);
    await expect.poll(async () => (await layout(page)).fromBottom).toBeLessThan(2);
    const last = await page.locator("#messages .msg").last().boundingBox();
    expect((last?.y ?? 0) + (last?.height ?? 0)).toBeLessThanOrEqual(l.winHeight);
    await page.screenshot({ path: join(SHOTS, "8-chat-scrolls.png") });

    // 小王 writes in 运营群 while 张总 reads his DM: 运营群 gets an unread mark.
    const say = (person: string, chatId: string, text: string) =>
      page.request.post(`${base}/sandbox/api/say`, { data: { person, chatId, text } });
    await say("wang", "oc_sb_ops", "今晚直播的脚本已经放到群文件了");
    const badge = page.locator('#chats li[data-chat="oc_sb_ops"] .badge');
    await badge.waitFor();
    expect(await badge.innerText()).toBe("1");
    await page.screenshot({ path: join(SHOTS, "9-unread.png") });

    // A reader who scrolled up keeps their place; 「有新消息」 takes them down.
    await page.evaluate(`new Promise((resolve) => {
      const list = document.querySelector("#messages");
      list.addEventListener("scroll", () => resolve(), { once: true });
      list.scrollTop = 0;
    })`);
    await say("zhang", dm("ou_sb_zhang"), "/help");
    await page.locator("#jump").waitFor();
    l = await layout(page);
    expect(l.scrollTop).toBeLessThan(50);
    await page.click("#jump");
    await expect.poll(async () => (await layout(page)).fromBottom).toBeLessThan(2);

    // Opening 运营群 reads it.
    await page.click('#chats li[data-chat="oc_sb_ops"]');
    await page.getByText("今晚直播的脚本已经放到群文件了").waitFor();
    expect(await badge.count()).toBe(0);
  }, 60_000);

  it("/submit's form card: labelled fields, tick boxes for platforms, an example date after the sandbox clock", async () => {
    await page.goto(`${base}/sandbox`);
    await actAs("wang", dm("ou_sb_wang"));
    await send("/submit");
    const form = lastCard();
    await form.getByText("提交内容审核").first().waitFor();
    await form
      .getByRole("group", { name: /发布平台/ })
      .getByLabel("小红书")
      .check();
    await form.getByLabel("标题").fill("圣诞主题本预告");
    await form.getByLabel("正文").fill("圣诞夜限定场次开放预约。");
    const example = (await form.getByLabel(/计划发布时间/).getAttribute("placeholder")) ?? "";
    const today = (await page.locator("#clock").innerText()).slice(0, 10);
    expect(example.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? "").toMatch(/^\d{4}/);
    expect((example.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? "") > today).toBe(true);
    await page.screenshot({ path: join(SHOTS, "10-submit-form.png") });
    // A time the bot cannot read is answered with the same kind of example: in the future.
    await form.getByLabel(/计划发布时间/).fill("下周五晚上");
    await form.getByRole("button", { name: "提交" }).click();
    await expect.poll(() => page.locator("#toast").innerText()).toContain("计划发布时间格式");
    const hinted = (await page.locator("#toast").innerText()).match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? "";
    expect(hinted > today).toBe(true);
    await form.getByLabel(/计划发布时间/).fill("");
    await form.getByRole("button", { name: "提交" }).click();
    await page.getByText(/已提交 #2《圣诞主题本预告》/).waitFor();
  });

  it("390×844: the chat gets the width, the chat list is a drawer, 驳回 is not clipped", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${base}/sandbox`);
      await phone.locator("#messages .msg").first().waitFor();
      const side = () => phone.locator("#side").boundingBox();
      let l = await layout(phone);
      expect(l.messagesWidth).toBeGreaterThanOrEqual(360);
      expect(l.docWidth).toBeLessThanOrEqual(l.winWidth);
      await expect
        .poll(async () => ((await side())?.x ?? 0) + ((await side())?.width ?? 0))
        .toBeLessThanOrEqual(0);
      await phone.screenshot({ path: join(SHOTS, "phone-0-landing.png") });

      // 「☰ 会话」 opens the list with 我是; picking a chat closes it.
      await phone.click("#toggle-side");
      await expect.poll(async () => (await side())?.x).toBe(0);
      await phone.selectOption("#person", "li");
      await phone.screenshot({ path: join(SHOTS, "phone-1-drawer.png") });
      await phone.click(`#chats li[data-chat="${dm("ou_sb_li")}"]`);
      await expect
        .poll(async () => ((await side())?.x ?? 0) + ((await side())?.width ?? 0))
        .toBeLessThanOrEqual(0);

      // 李姐's 初审 card for #2: 驳回 entirely on screen once scrolled to.
      const card = phone.locator("#messages .msg[data-kind=card]").last();
      await card.getByText("初审 · #2 圣诞主题本预告").waitFor();
      const reject = card.getByRole("button", { name: "驳回" });
      await reject.scrollIntoViewIfNeeded();
      const b = await reject.boundingBox();
      expect(b).not.toBeNull();
      expect(b?.x ?? -1).toBeGreaterThanOrEqual(0);
      expect((b?.x ?? 0) + (b?.width ?? 0)).toBeLessThanOrEqual(390);
      expect((b?.y ?? 0) + (b?.height ?? 0)).toBeLessThanOrEqual(844);
      l = await layout(phone);
      expect(l.docHeight).toBeLessThanOrEqual(l.winHeight);
      expect(l.docWidth).toBeLessThanOrEqual(l.winWidth);
      expect(l.composerBottom).toBeLessThanOrEqual(l.winHeight);
      await phone.screenshot({ path: join(SHOTS, "phone-2-review-card.png") });
      expect(await clippedControls(phone)).toEqual([]);

      // The other chats' cards (the crisis page, the weekly report and its chart) fit the width too.
      for (const [chat, shot] of [
        ["oc_sb_crisis", "phone-3-crisis"],
        ["oc_sb_ops", "phone-4-ops"],
      ]) {
        await phone.click("#toggle-side");
        await phone.click(`#chats li[data-chat="${chat}"]`);
        await phone.locator("#messages .msg[data-kind=card]").first().waitFor();
        l = await layout(phone);
        expect(l.docWidth).toBeLessThanOrEqual(l.winWidth);
        expect(await clippedControls(phone)).toEqual([]);
        await phone.screenshot({ path: join(SHOTS, `${shot}.png`) });
      }
    } finally {
      await phone.close();
    }
  }, 60_000);
});
