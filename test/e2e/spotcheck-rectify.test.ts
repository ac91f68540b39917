/**
 * 每日抽查 and 整改通知 (《制度》第十三条(一)(三)) end to end: a day of published items and a closed ticket,
 * the 09:00 spot-check cards to the 市场部门负责人, 不合格 with a reason opening R-n for the author, the
 * reminder, /rectify done, the issuer's confirmation; an overdue notice in the digest, /sla and the report.
 */
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { cardText, type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const lastText = (chat: string) => h.texts(chat).at(-1) ?? "";
const count = (table: string) =>
  h.app.db.get<{ n: number }>(sql.raw(`select count(*) as n from ${table}`))?.n ?? 0;
const spotCards = () => h.cards("zhang").filter((c) => cardText(c.card).includes("每日抽查 S-"));
const buttonValue = (card: unknown, a: string, v?: string) => {
  const m = [...JSON.stringify(card).matchAll(/"value":(\{"a":"[^"]+"[^}]*\})/g)]
    .map((x) => JSON.parse(x[1] ?? "{}") as Record<string, unknown>)
    .find((x) => x.a === a && (v === undefined || x.v === v));
  if (!m) throw new Error(`no ${a} ${v ?? ""} button`);
  return m;
};

async function published(title: string): Promise<number> {
  await h.say("wang", `/submit 抖音 ${title}\n正文：${title}`);
  const no = Number(/#(\d+)/.exec(lastText("wang"))?.[1]);
  for (const who of ["li", "zhang", "liu"] as const) await h.say(who, `/approve ${no}`);
  await h.say("liu", `/publish ${no} 抖音 https://v.douyin.com/${no}`);
  return no;
}

async function dayOfWork(): Promise<void> {
  h = await startInProcess({ start: at("2026-11-16T10:00:00") });
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind ops", { chatId: "oc_ops" });
  await published("周末新本推荐");
  await published("门店环境实拍");
  await h.say("wang", "/feedback 城东店 DM全程看手机，差评");
  await h.say("mei", "/done T-1 已致电道歉并赠送优惠券");
}

describe("每日抽查 → 整改通知", () => {
  it("the 09:00 cards, 不合格 with a reason, R-n to the author, reminder, done, confirmed", async () => {
    await dayOfWork();
    expect(spotCards()).toHaveLength(0);
    h.clock.set(at("2026-11-17T09:00:00"));
    await h.settle();
    const cards = spotCards();
    expect(cards).toHaveLength(3); // spotcheck.count: both items and the ticket of 11-16
    const texts = cards.map((c) => cardText(c.card));
    expect(texts.filter((t) => t.includes("内容 #"))).toHaveLength(2);
    expect(texts.filter((t) => t.includes("工单 T-1"))).toHaveLength(1);
    for (const t of texts) expect(t).toContain("抽查 2026-11-16（《制度》第十三条(一)）");
    const content = cards.find((c) => cardText(c.card).includes("《周末新本推荐》"));
    expect(cardText(content?.card)).toContain("作者：小王");
    expect(cardText(content?.card)).toContain("抖音 11-16 10:00 https://v.douyin.com/1");
    expect(cardText(content?.card)).toContain("正文：周末新本推荐");

    // 不合格 without a reason is refused and changes nothing (like 驳回 without an opinion).
    const fail = buttonValue(content?.card, "spot.decide", "fail");
    const refused = await h.click("zhang", content?.messageId ?? "", fail, { formValue: { reason: " " } });
    expect((refused.json.toast as { content: string }).content).toContain("不合格需要写明原因");
    expect(count("rectifications")).toBe(0);

    const res = await h.click("zhang", content?.messageId ?? "", fail, {
      formValue: { reason: "标题未加话题标签，封面模糊" },
    });
    expect((res.json.toast as { content: string }).content).toBe(
      `${/S-\d+/.exec(cardText(content?.card))?.[0]} 判定不合格，已向 小王 下发整改通知 R-1`,
    );
    const decided = h.fake.state.byId.get(content?.messageId ?? "");
    expect(cardText(decided?.card)).toContain(
      "张总 11-17 09:00 判定不合格：标题未加话题标签，封面模糊；已下发整改通知 R-1",
    );
    expect(JSON.stringify(decided?.card)).not.toContain('"form_action_type":"submit"');
    const notice = lastText("wang");
    expect(notice).toContain("📌 整改通知 R-1（张总 下发，《制度》第十三条(三)）");
    expect(notice).toContain("标题未加话题标签，封面模糊");
    expect(notice).toContain("截止：2026-11-20 09:00");

    // The ticket card: 合格 by text.
    const ticketNo = /S-\d+/.exec(texts.find((t) => t.includes("工单 T-1")) ?? "")?.[0];
    await h.say("zhang", `/spotcheck 合格 ${ticketNo}`);
    expect(lastText("zhang")).toBe(`${ticketNo} 判定合格`);

    // The reminder after rectify.remind (2 days), once.
    h.clock.set(at("2026-11-19T09:00:00"));
    await h.settle();
    h.clock.set(at("2026-11-19T12:00:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("⏰ 催办：整改通知 R-1"))).toHaveLength(1);

    // Only the owner answers; then the issuer confirms on the card.
    await h.say("li", "/rectify done R-1 改好了");
    expect(lastText("li")).toBe("只有整改人 小王 可以提交 R-1 的整改结果");
    await h.say("wang", "/rectify done R-1 已补话题标签并更换清晰封面");
    expect(lastText("wang")).toBe("已提交 R-1 的整改结果，等待 张总 确认");
    const confirm = h.cards("zhang").at(-1);
    expect(cardText(confirm?.card)).toContain("整改通知 R-1 · 已完成，待确认");
    expect(cardText(confirm?.card)).toContain("已补话题标签并更换清晰封面");
    await h.click("zhang", confirm?.messageId ?? "", buttonValue(confirm?.card, "rectify.confirm"));
    expect(lastText("wang")).toBe("✅ R-1 整改已由 张总 确认完成");
    await h.say("zhang", "/rectify show R-1");
    const shown = lastText("zhang");
    for (const step of ["下发整改通知给 小王", "催办", "提交整改结果", "确认整改完成"])
      expect(shown).toContain(step);
    // No breach for a notice done in time.
    h.clock.set(at("2026-11-21T09:00:00"));
    await h.settle();
    expect(h.texts("wang").some((t) => t.startsWith("🔴 超期：整改通知 R-1"))).toBe(false);
  });

  it("an overdue notice is in the digest, /sla and the monthly report; reopen sets a new deadline", async () => {
    await dayOfWork();
    await h.say("li", "/rectify @小王 评论区差评回复不及时 1d");
    expect(lastText("li")).toBe("已下发整改通知 R-1 给 小王，截止 11-17 10:00");
    await h.say("li", "/rectify @小王 直播预告少发了小红书 2026-11-20");
    expect(lastText("li")).toBe("已下发整改通知 R-2 给 小王，截止 11-20 23:59");
    // reminded half-way (its deadline is shorter than rectify.remind), then breached.
    h.clock.set(at("2026-11-17T10:01:00"));
    await h.settle();
    expect(h.texts("wang").filter((t) => t.startsWith("⏰ 催办：整改通知 R-1"))).toHaveLength(1);
    expect(h.texts("wang").filter((t) => t.startsWith("🔴 超期：整改通知 R-1"))).toHaveLength(1);
    expect(h.texts("li").filter((t) => t.startsWith("🔴 超期：整改通知 R-1（小王）"))).toHaveLength(1);

    await h.say("zhang", "/sla");
    const sla = lastText("zhang");
    expect(sla).toContain("【未完成的整改通知（其中超期 1 项）】2 项");
    expect(sla).toContain("· R-1 小王：评论区差评回复不及时（截止 11-17 10:00，🔴 已超期）");
    expect(sla).toContain("· R-2 小王：直播预告少发了小红书（截止 11-20 23:59，整改中）");
    h.clock.set(at("2026-11-18T09:30:00"));
    await h.settle();
    const digest = h.texts("oc_ops").at(-1) ?? "";
    expect(digest).toContain("📋 运营 SLA 日报");
    expect(digest).toContain("R-1 小王：评论区差评回复不及时（截止 11-17 10:00，🔴 已超期）");

    // Late, then sent back by the issuer with a reason: open again with a new deadline.
    await h.say("wang", "/rectify done R-1 已全部回复");
    await h.say("zhang", "/rectify reopen R-1 不行");
    expect(lastText("zhang")).toBe("只有下发人 李姐 可以确认或退回 R-1");
    await h.say("li", "/rectify reopen R-1 还有两条没回复");
    expect(lastText("li")).toBe("已退回 R-1，新截止 11-21 09:30");
    expect(lastText("wang")).toContain("↩️ R-1 被 李姐 退回重改：还有两条没回复");
    await h.say("wang", "/rectify done R-1 两条也已回复");
    await h.say("li", "/rectify confirm R-1");
    expect(lastText("li")).toBe("已确认 R-1 整改完成");

    // The 09:00 run of 11-17 sampled 11-16 already (S-1…S-3): asking again finds nothing new.
    expect(spotCards()).toHaveLength(3);
    await h.say("zhang", "/spotcheck 2026-11-16");
    expect(lastText("zhang")).toBe("2026-11-16 没有可抽查的已发布内容或已处理工单（已抽查过的不再重复）");
    await h.say("zhang", "/spotcheck #1");
    expect(lastText("zhang")).toBe("🔍 已生成抽查 S-4，卡片已私信发送");
    expect(spotCards()).toHaveLength(4);
    await h.say("zhang", "/spotcheck 合格 S-1");
    await h.say("zhang", "/spotcheck 不合格 S-2 发布时间不在推荐时段");
    await h.say("zhang", "/report month 2026-11");
    const report = h.cards("zhang").at(-1);
    const text = cardText(report?.card);
    expect(text).toContain("监督检查");
    expect(text).toContain("每日抽查 4 项：合格 1、不合格 1、待判定 2（合格率 50%）");
    // R-1 (breached, confirmed), R-2 (open), R-3 (from S-2, open).
    expect(text).toContain("整改通知 3 项：已确认 1、按期完成 0、超期 1");
  });

  it("bad arguments get a usage line and change nothing; only the head spot-checks", async () => {
    await dayOfWork();
    const counts = () => [count("spot_checks"), count("rectifications"), count("rectification_events")];
    const snapshot = counts();
    const cases: ["zhang" | "li" | "wang", string, RegExp][] = [
      ["zhang", "/spotcheck 2026-13-01", /^用法：\/spotcheck/],
      ["zhang", "/spotcheck 昨天 全部", /^用法：\/spotcheck/],
      ["zhang", "/spotcheck 不合格 S-1", /^用法：\/spotcheck 不合格 <S-编号> <原因>/],
      ["zhang", "/spotcheck 合格", /^用法：\/spotcheck 合格 <S-编号>/],
      ["zhang", "/spotcheck 合格 S-99", /^没有抽查记录 S-99/],
      ["wang", "/spotcheck", /^只有市场部门负责人或管理员可以判定抽查结果/],
      ["li", "/rectify", /^用法：\/rectify @某人/],
      ["li", "/rectify 小王 回复慢", /^用法：\/rectify @某人/],
      ["li", "/rectify @小王", /^用法：\/rectify @某人/],
      ["li", "/rectify @小王 回复慢 2026-02-30", /^期限「2026-02-30」不是有效的日期/],
      ["wang", "/rectify @李姐 回复慢", /^只有运营团队负责人、市场部门负责人或管理员可以下发整改通知/],
      ["wang", "/rectify done", /^用法：\/rectify done <R-编号> <整改说明>/],
      ["wang", "/rectify done R-9 好了", /^没有整改通知 R-9/],
      ["li", "/rectify confirm abc", /^用法：\/rectify confirm <R-编号>/],
      ["li", "/rectify reopen R-1", /^用法：\/rectify reopen <R-编号> <原因>/],
      ["li", "/rectify list all", /^用法：\/rectify/],
    ];
    for (const [who, text, answer] of cases) {
      await h.say(who, text);
      expect(lastText(who), text).toMatch(answer);
    }
    expect(counts()).toEqual(snapshot);
  });
});
