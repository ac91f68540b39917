import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// Typing help (issue 15 item 13): what a person gets back when they type a command slightly wrong.
let h: Harness;
const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;

beforeEach(async () => {
  h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
  await seedRoles(h);
});
afterEach(async () => {
  await h.close();
});

describe("typing help", () => {
  it("/sumbit suggests /submit and changes nothing; a word far from every command stays 未知命令", async () => {
    await h.say("wang", "/sumbit 抖音 周末活动\n周末来玩");
    expect(h.texts("wang").at(-1)).toBe("没有这个命令。您是不是想用 /submit？");
    expect(count("select count(*) n from content_items")).toBe(0);
    await h.say("wang", "/tikcets");
    expect(h.texts("wang").at(-1)).toBe("没有这个命令。您是不是想用 /tickets？");
    await h.say("wang", "/提申 抖音 标题");
    expect(h.texts("wang").at(-1)).toBe("没有这个命令。您是不是想用 /提审？");
    await h.say("wang", "/xyzzyq");
    expect(h.texts("wang").at(-1)).toBe("未知命令「/xyzzyq」。发送 /help 查看可用命令");
  });

  it("「提审 抖音 …」 without the slash is the command in a DM, but only words in a group", async () => {
    await h.say("wang", "提审 抖音 周末活动\n周末来玩");
    expect(count("select count(*) n from content_items")).toBe(1);
    expect(h.texts("wang").at(-1)).toContain("#1");
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    const before = h.texts("oc_ops").length;
    await h.say("wang", "提审 抖音 这条只是聊天", { chatId: "oc_ops" });
    expect(count("select count(*) n from content_items")).toBe(1);
    expect(h.texts("oc_ops")).toHaveLength(before);
  });

  it("/report yesterday answers one usage line, not two glued together", async () => {
    await h.say("zhang", "/report yesterday");
    const answer = h.texts("zhang").at(-1) ?? "";
    expect(answer.match(/用法：/g)).toHaveLength(1);
    expect(answer).toContain("/report week|month");
    expect(answer).not.toContain("\n");
  });

  it("/tickets clips a long complaint with …", async () => {
    await h.say("admin", "/role add cs @小美");
    await h.say("admin", "/store add 城东店");
    await h.say("wang", `/feedback 城东店 ${"等了一个小时还没开场，太失望了".repeat(5)}`);
    await h.say("mei", "/tickets");
    const line = (h.texts("mei").at(-1) ?? "").split("\n").find((l) => l.startsWith("T-1"));
    expect(line).toMatch(/｜等了一个小时还没开场.*…$/);
  });

  it("a typed /reject that loses the race to another holder's tap says who decided it and when", async () => {
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    const card = h.cards("li")[0];
    if (!card) throw new Error("no card for 李姐");
    await h.click("li", card.messageId, { a: "review.decide", step: 1, v: "approve" });
    await h.say("lin", "/reject 1 标题太夸张");
    const answer = h.texts("lin").at(-1) ?? "";
    expect(answer).toMatch(/^「.+」已由 李姐 于 2026-11-16 10:\d\d 通过，无需重复处理$/);
    expect(answer).not.toContain("你不是");
    // The step of 张总 is untouched.
    expect(count("select count(*) n from review_steps where status = 'pending'")).toBe(1);
  });
});
