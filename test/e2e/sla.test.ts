import { afterEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const lastText = (chat: string) => h.texts(chat).at(-1) ?? "";

/** Submits an 抖音 item as 小王 and walks it through the chain; returns its number. */
async function approvedDouyin(title: string): Promise<number> {
  await h.say("wang", `/submit 抖音 ${title}\n正文`);
  const no = Number(/#(\d+)/.exec(lastText("wang"))?.[1]);
  for (const who of ["li", "zhang", "liu"] as const) await h.say(who, `/approve ${no}`);
  return no;
}

async function setup(startIso: string): Promise<void> {
  h = await startInProcess({ start: at(startIso) });
  await seedRoles(h);
  await h.say("admin", "/bind ops", { chatId: "oc_ops" });
}

describe("weekly posting cadence", () => {
  it("1 抖音 published by Thursday and 1 in review is at risk; 3 published is met", async () => {
    await setup("2026-11-19T10:00:00"); // Thursday
    const first = await approvedDouyin("新本推荐甲");
    await h.say("liu", `/publish ${first} 抖音`);
    await h.say("wang", "/submit 抖音 新本推荐乙\n正文"); // still in review
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).toContain("抖音 1/3（审核中 1）⚠️ 有风险");
    expect(lastText("zhang")).toContain("小红书 0/2（审核中 0）⚠️ 有风险");

    for (const who of ["li", "zhang", "liu"] as const) await h.say(who, "/approve 2");
    await h.say("liu", "/publish 2 抖音");
    const third = await approvedDouyin("新本推荐丙");
    await h.say("liu", `/publish ${third} 抖音`);
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).toContain("抖音 3/3（审核中 0）✅ 已达标");
  });

  it("the ISO week starts Monday 00:00 Asia/Shanghai", async () => {
    await setup("2026-11-22T23:50:00"); // Sunday night
    const no = await approvedDouyin("周日发");
    await h.say("liu", `/publish ${no} 抖音`);
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).toContain("抖音 1/3");
    h.clock.set(at("2026-11-23T00:00:00")); // Monday: a new week
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).toContain("抖音 0/3");
  });
});

describe("deadlines follow /policy set", () => {
  it("/policy set review.step.breach 10m moves the deadline of open items not yet breached", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/submit 抖音 周末活动\n正文");
    h.clock.advance(5 * 60_000);
    await h.settle();
    expect(h.texts("li").filter((t) => t.startsWith("🔴 超时"))).toHaveLength(0);
    await h.say("admin", "/policy set review.step.breach 10m");
    expect(lastText("admin")).toContain("「审核步骤超时时间」：24小时 → 10分钟");
    h.clock.advance(5 * 60_000);
    await h.settle();
    expect(h.texts("li").filter((t) => t.startsWith("🔴 超时"))).toHaveLength(1);
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).toContain("【审核超时】1 项");
  });
});

describe("the daily digest", () => {
  it("arrives at 09:30 in the ops group once a day, summarising long lists with a count", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("admin", "/policy set digest.max.lines 2");
    for (const t of ["一", "二", "三"]) await h.say("wang", `/submit 抖音 内容${t}\n正文`);
    h.clock.set(at("2026-11-17T09:29:00"));
    await h.settle();
    expect(h.texts("oc_ops").filter((t) => t.startsWith("📋"))).toHaveLength(0);
    h.clock.set(at("2026-11-17T10:30:00")); // 24 h passed for all three, and the 09:30 digest is due
    await h.restart(); // a restart in between neither skips nor doubles it
    await h.settle();
    const digests = h.texts("oc_ops").filter((t) => t.includes("📋 运营 SLA 日报"));
    expect(digests).toHaveLength(1);
    h.clock.set(at("2026-11-18T09:30:00"));
    await h.settle();
    const second = h.texts("oc_ops").filter((t) => t.includes("📋 运营 SLA 日报"));
    expect(second).toHaveLength(2);
    const text = second.at(-1) ?? "";
    expect(text).toContain("【审核超时】3 项");
    expect(text).toContain("…另有 1 项未列出（共 3 项）");
    expect(text).toContain('<at user_id="ou_li">李姐</at>');
    expect(text).toContain("【本周发布节奏】");
  });

  it("/policy set digest.cron moves the next digest", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("admin", "/policy set digest.cron 0 18 * * *");
    h.clock.set(at("2026-11-16T18:00:00"));
    await h.settle();
    expect(h.texts("oc_ops").filter((t) => t.includes("📋 运营 SLA 日报"))).toHaveLength(1);
  });
});

describe("live previews and account passwords", () => {
  it("a live plan whose preview is not published 3 days before reminds its owner once", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/live 抖音 2026-11-21 20:00 新本首发直播");
    expect(lastText("wang")).toContain("请在 2026-11-18 20:00 前发布预告");
    h.clock.set(at("2026-11-18T20:00:00"));
    await h.settle();
    h.clock.set(at("2026-11-19T09:00:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("🔴 直播预告超时"))).toHaveLength(1);
  });

  it("a linked, published preview stops the reminder", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/live 抖音 2026-11-21 20:00 新本首发直播");
    const no = await approvedDouyin("直播预告");
    await h.say("wang", `/live preview L-1 #${no}`);
    expect(lastText("wang")).toContain("还没有在抖音发布");
    await h.say("liu", `/publish ${no} 抖音`);
    await h.say("wang", `/live preview L-1 #${no}`);
    expect(lastText("wang")).toBe(`已关联 L-1 的预告 #${no}`);
    h.clock.set(at("2026-11-19T09:00:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("🔴 直播预告超时"))).toHaveLength(0);
  });

  it("an account not rotated for 90 days reminds its owner, and never asks for the password", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("li", "/account add 小红书 城东店官方号");
    expect(lastText("li")).toContain("机器人不保存密码");
    h.clock.advance(90 * 86_400_000);
    await h.settle();
    expect(h.texts("li").filter((t) => t.startsWith("🔐"))).toHaveLength(1);
    await h.say("li", "/account rotated 小红书 城东店官方号");
    await h.say("li", "/account list");
    expect(lastText("li")).toContain("下次");
  });
});
