import { afterEach, describe, expect, it } from "vitest";
import { stepsOf } from "../../src/core/review/repo.ts";
import { reviewCard } from "../../src/core/review/views.ts";
import { loadPublishWindows, outsideWindows } from "../../src/core/windows/publish-windows.ts";
import { WecomRenderer } from "../../src/platforms/wecom/render.ts";
import { templateCardProblem } from "../fakes/wecom/server.ts";
import { cardText, type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const lastText = (chat: string) => h.texts(chat).at(-1) ?? "";

async function setup(startIso: string): Promise<void> {
  h = await startInProcess({ start: at(startIso) });
  await seedRoles(h);
}

describe("发布时段 (《制度》第九条(一)2; 模板 二.2)", () => {
  it("a planned time at 03:00 on 抖音 gets the window warning on the reply and the card, and is still submitted", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/submit 抖音 深夜新本 @2026-11-18 03:00\n正文");
    const reply = lastText("wang");
    expect(reply).toContain("已提交 #1");
    expect(reply).toContain(
      "⏰ 计划发布时间不在抖音推荐时段（12:00–14:00、18:00–22:00，《制度》第九条(一)2；《信息发布与社交媒体管理模板》二.2）",
    );
    expect(reply).toContain("仅提醒，不影响审核");
    const card = cardText(h.cards("li")[0]?.card);
    expect(card).toContain("2026-11-18 03:00（⚠️ 不在抖音推荐时段）");
  });

  it("a time inside a window, an unplanned item and a platform without windows get no warning", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/submit 抖音 午间新本 @2026-11-18 12:30\n正文");
    expect(lastText("wang")).not.toContain("推荐时段");
    await h.say("wang", "/submit 抖音 未定时间\n正文");
    expect(lastText("wang")).not.toContain("推荐时段");
    await h.say("wang", "/submit 微博 深夜微博 @2026-11-18 03:00\n正文");
    expect(lastText("wang")).not.toContain("推荐时段");
    for (const c of h.cards("li")) expect(cardText(c.card)).not.toContain("推荐时段");
  });

  it("several platforms: only those whose windows miss the time are named", async () => {
    await setup("2026-11-16T10:00:00");
    // 08:30 is in 公众号's 08:00–09:00 (模板 二.2) but outside 抖音's and 小红书's windows.
    await h.say("wang", "/submit 抖音,小红书,公众号 早间推送 @2026-11-18 08:30\n正文");
    const reply = lastText("wang");
    expect(reply).toContain("不在抖音推荐时段");
    expect(reply).toContain("不在小红书推荐时段");
    expect(reply).not.toContain("不在公众号推荐时段");
    // The card has room for one platform's name; with two it says 非推荐时段, and /status names them.
    const card = cardText(h.cards("li").at(-1)?.card);
    expect(card).toContain("2026-11-18 08:30（⚠️ 非推荐时段）");
    await h.say("wang", "/status 1");
    expect(lastText("wang")).toContain("⏰ 计划发布时间不在小红书推荐时段");
  });

  it("the note fits the WeCom review card's 计划发布 field (30 characters) uncut, the longest platform name too", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/submit 小红书 深夜探店 @2026-11-18 03:00\n正文");
    const d = h.app.core.services;
    const step = stepsOf(h.app.db, 1, 1)[0];
    if (!step) throw new Error("no step");
    const card = new WecomRenderer().card(reviewCard(d, 1, step)).templateCard as {
      horizontal_content_list: { keyname: string; value: string }[];
    };
    const planned = card.horizontal_content_list.find((x) => x.keyname === "计划发布");
    expect(planned?.value).toBe("2026-11-18 03:00（⚠️ 不在小红书推荐时段）");
    expect(templateCardProblem({ ...card, task_id: "t_0123456789abcdef" }, false)).toBeUndefined();
  });

  it("windows of both sources are merged, ends inclusive", () => {
    const w = loadPublishWindows();
    expect(w.spans.get("wechat_oa")).toEqual([
      { from: 8 * 60, to: 9 * 60 },
      { from: 19 * 60, to: 21 * 60 },
    ]);
    const tz = "Asia/Shanghai";
    expect(outsideWindows(["douyin"], at("2026-11-18T14:00:00"), tz)).toEqual([]);
    expect(outsideWindows(["douyin"], at("2026-11-18T14:01:00"), tz)).toEqual(["douyin"]);
    expect(outsideWindows(["wechat_oa"], at("2026-11-18T20:30:00"), tz)).toEqual([]);
  });
});

describe("直播预告 on every platform (《制度》第九条(一)4)", () => {
  async function published(platforms: string, title: string): Promise<number> {
    await h.say("wang", `/submit ${platforms} ${title}\n正文`);
    const no = Number(/#(\d+)/.exec(lastText("wang"))?.[1]);
    for (const who of ["li", "zhang", "liu"] as const) await h.say(who, `/approve ${no}`);
    for (const p of platforms.split(",")) await h.say("liu", `/publish ${no} ${p}`);
    return no;
  }

  it("a live plan on two platforms needs two previews; one is not enough", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    await h.say("wang", "/live 抖音,视频号 2026-11-21 20:00 新本首发直播");
    expect(lastText("wang")).toContain("已登记直播 L-1：抖音、视频号 2026-11-21 20:00");
    expect(lastText("wang")).toContain("前在抖音、视频号各发布预告");

    const dy = await published("抖音", "抖音预告");
    await h.say("wang", `/live preview L-1 #${dy}`);
    expect(lastText("wang")).toBe(`已关联 L-1 的预告 #${dy}，还差：视频号（每个平台都要预告）`);
    await h.say("wang", "/live list");
    expect(lastText("wang")).toContain(`抖音 预告 #${dy} ✅；视频号 预告未关联`);

    // The deadline passes with 视频号 still missing: the owner is chased and the digest names it.
    h.clock.set(at("2026-11-18T20:00:00"));
    await h.settle();
    const breach = h.texts("wang").filter((t) => t.startsWith("🔴 直播预告超时"));
    expect(breach).toHaveLength(1);
    expect(breach[0]).toContain("还差：视频号");
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).toContain("L-1 直播「新本首发直播」");
    expect(lastText("zhang")).toContain("视频号预告未发布");

    const ch = await published("视频号", "视频号预告");
    await h.say("wang", `/live preview L-1 #${ch}`);
    expect(lastText("wang")).toBe(`已关联 L-1 的预告 #${ch}`);
    await h.say("zhang", "/sla");
    expect(lastText("zhang")).not.toContain("L-1 直播");
  });

  it("one item published on both platforms previews both at once", async () => {
    await setup("2026-11-16T10:00:00");
    await h.say("wang", "/live 抖音,视频号 2026-11-21 20:00 双平台直播");
    const no = await published("抖音,视频号", "双平台预告");
    await h.say("wang", `/live preview L-1 #${no}`);
    expect(lastText("wang")).toBe(`已关联 L-1 的预告 #${no}`);
    h.clock.set(at("2026-11-19T09:00:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("🔴 直播预告超时"))).toHaveLength(0);
  });

  it("bad arguments answer the usage and plan nothing", async () => {
    await setup("2026-11-16T10:00:00");
    for (const bad of ["/live 抖音,火星 2026-11-21 20:00 直播", "/live 抖音, 2026-11-21 直播", "/live ,"]) {
      await h.say("wang", bad);
      expect(lastText("wang")).toContain("用法：/live <平台[,平台…]> <YYYY-MM-DD HH:mm> <主题>");
    }
    await h.say("wang", "/live list");
    expect(lastText("wang")).toBe("没有待进行的直播计划");
  });
});
