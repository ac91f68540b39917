/**
 * Every WeCom card template (cards/wecom) renders, from the real view builders over a real database, to a
 * template_card the fake WeCom accepts (≤ 6 buttons, unique keys ≤ 1024 bytes, keynames ≤ 5 characters,
 * a task_id), and to text / markdown forms within WeCom's byte limits. User text stays data.
 */

import { readdirSync } from "node:fs";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/compliance/check.ts";
import { bank, type Question } from "../../../src/core/exam/bank.ts";
import { questionCard } from "../../../src/core/exam/views.ts";
import { suggestionCard } from "../../../src/core/feedback/suggest.ts";
import { ticketCard } from "../../../src/core/feedback/views.ts";
import type { Rectification } from "../../../src/core/rectify/repo.ts";
import { confirmCard } from "../../../src/core/rectify/views.ts";
import { stepsOf } from "../../../src/core/review/repo.ts";
import { reviewCard } from "../../../src/core/review/views.ts";
import { type SpotCheck, spotCard } from "../../../src/core/spotcheck/views.ts";
import type { CardView } from "../../../src/core/types.ts";
import { escapeMarkdown, WECOM_CARDS_DIR } from "../../../src/platforms/wecom/card-template.ts";
import {
  ROBOT_MARKDOWN_MAX_BYTES,
  splitBytes,
  TEXT_MAX_BYTES,
  WecomRenderer,
} from "../../../src/platforms/wecom/render.ts";
import { rectifications, revisions, spotChecks } from "../../../src/store/schema/index.ts";
import { templateCardProblem } from "../../fakes/wecom/server.ts";
import { type Harness, seedRoles } from "../../support/harness.ts";
import { startInProcess } from "../../support/in-process.ts";

const TITLE = "周末{{author}}新本首发<at id=all></at>".padEnd(100, "测");
const BODY = "本周末最好玩的新本上线，广告：欢迎预约！[点我](http://x.cn) **粗体**\n".repeat(40);
const renderer = new WecomRenderer();
const views: { label: string; view: CardView }[] = [];
let h: Harness;

const findings = (n: number): Finding[] =>
  Array.from({ length: n }, (_, i) => ({
    category: "absolute",
    label: "绝对化用语",
    clause: "《广告法》第九条第（三）项",
    suggestion: `较${i}`,
    term: `最${i}`,
    message: `「最${i}」为绝对化用语，建议改为「较${i}」`,
  }));

beforeAll(async () => {
  h = await startInProcess();
  await seedRoles(h);
  await h.say(
    "wang",
    `/submit 抖音,小红书,公众号,视频号,微博,大众点评,美团 ${TITLE} #广告 @2026-11-20 20:00\n${BODY}`,
  );
  h.app.db
    .update(revisions)
    .set({ findings: findings(30) })
    .where(eq(revisions.itemId, 1))
    .run();
  const deps = h.app.core.services;
  const first = stepsOf(h.app.db, 1, 1)[0];
  if (!first) throw new Error("no step");
  views.push({ label: "review open", view: reviewCard(deps, 1, first) });
  await h.say("li", `/reject 1 ${"标题里的绝对化用语需要全部改掉。".repeat(60)}`);
  const decided = stepsOf(h.app.db, 1, 1)[0];
  if (!decided) throw new Error("no step");
  views.push({ label: "review rejected", view: reviewCard(deps, 1, decided) });
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/role add cs @小美");
  for (let i = 0; i < 3; i++)
    await h.say("wang", `/feedback 城东店 DM全程看手机，态度很差，要求退款。${"环境很脏。".repeat(300)}`);
  views.push({ label: "ticket open", view: ticketCard(deps, 1) });
  views.push({ label: "suggestion", view: suggestionCard(deps, 1) });
  views.push({ label: "suggestion done", view: suggestionCard(deps, 1, "已由 张总 标记为忽略") });
  await h.say("mei", "/done T-1 已致电道歉并退款");
  views.push({ label: "ticket closed", view: ticketCard(deps, 1) });
  // 每日抽查 and 整改通知 (issue 17): open, decided with a 1000-char reason, the issuer's confirmation card.
  const core = h.app.core.services;
  const spot = (id: number) =>
    spotCard(core, core.db.select().from(spotChecks).where(eq(spotChecks.id, id)).get() as SpotCheck);
  await h.say("zhang", "/spotcheck #1");
  await h.say("zhang", "/spotcheck T-1");
  views.push({ label: "spot open", view: spot(1) }, { label: "spot ticket open", view: spot(2) });
  await h.say("zhang", `/spotcheck 不合格 S-1 ${"封面模糊，话题标签缺失。".repeat(80)}`);
  views.push({ label: "spot failed", view: spot(1) });
  await h.say("wang", `/rectify done R-1 ${"已更换封面并补充话题标签。".repeat(80)}`);
  const rect = () => confirmCard(core, core.db.select().from(rectifications).get() as Rectification);
  views.push({ label: "rectify waiting", view: rect() });
  await h.say("zhang", "/rectify confirm R-1");
  views.push({ label: "rectify confirmed", view: rect() });
  views.push({
    label: "crisis paging",
    view: {
      template: "crisis",
      data: {
        headerTitle: "🚨 二级危机 C-7 · 待确认",
        headerColor: "red",
        summary: `C-7 二级危机：${TITLE.slice(0, 60)}…`,
        atAll: true,
        description: BODY.slice(0, 1000),
        facts: "级别：二级（较大）\n阶段：上报\n负责人：未确认（已呼叫 3 次）",
        notice: "第 3 次呼叫：请危机小组成员点「收到」确认，确认人成为负责人（或发送 /ack C-7）",
        canAck: true,
        ackValue: { a: "crisis.ack", c: 7 },
        canEscalate: true,
        escalateLabel: "升级为三级",
        escalateValue: { a: "crisis.escalate", c: 7, from: 2 },
        canAdvance: true,
        advanceLabel: "进入：核实取证",
        advanceValue: { a: "crisis.stage", c: 7, from: "assess", to: "verify" },
        hasButtons: true,
      },
    },
  });
  // 上岗考核 (issue 17): every question of the bank, open with its buttons, and one answered.
  for (const q of bank)
    views.push({ label: `exam ${q.id}`, view: questionCard({ attemptId: 1, n: 10, total: 10, q }) });
  views.push({
    label: "exam answered",
    view: questionCard({ attemptId: 1, n: 1, total: 10, q: bank[0] as Question, chosen: "A" }),
  });
  views.push({
    label: "notice",
    view: { template: "notice", data: { title: "已提交 #1", color: "green", text: BODY } },
  });
  views.push({
    label: "report",
    view: {
      template: "report",
      data: {
        headerTitle: "周报 2026-W47",
        subtitle: "对比上周",
        empty: false,
        sections: [
          { title: "平台", text: "抖音 发布 3/3" },
          { title: "门店", text: "城东店 到店 12" },
        ],
        footer: "数据截至 11-22",
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe("WeCom card templates", () => {
  it("has a WeCom form for every card core sends on WeCom", () => {
    const names = readdirSync(WECOM_CARDS_DIR).map((f) => f.replace(/\.json$/, ""));
    expect(names.sort()).toEqual([
      "crisis",
      "crisis_suggestion",
      "duty_decision",
      "exam_question",
      "notice",
      "report",
      "review",
      "ticket",
    ]);
  });

  it("renders every view to a card the fake accepts and texts within the byte limits", () => {
    for (const { label, view } of views) {
      const c = renderer.card(view);
      if (c.templateCard) {
        const card: Record<string, unknown> = { ...c.templateCard, task_id: "t_0123456789abcdef" };
        expect(templateCardProblem(card, !c.open), label).toBeUndefined();
        const buttons = card.button_list as { key: string }[];
        for (const b of buttons) expect(Buffer.byteLength(b.key), label).toBeLessThanOrEqual(1024);
        expect([...String((card.main_title as { title: string }).title)].length).toBeLessThanOrEqual(36);
      }
      expect(JSON.stringify(c).replaceAll("{{author}}", ""), label).not.toMatch(
        /\{\{|\$if|\$join|\$map|\$lines|"ask"/,
      );
      for (const part of splitBytes(c.text))
        expect(Buffer.byteLength(part)).toBeLessThanOrEqual(TEXT_MAX_BYTES);
      const robot = renderer.send({ type: "chat", id: "robot:1" }, { type: "card", card: view }, []);
      const msg = (robot as { msg: { content?: string; msgtype: string } }).msg;
      const max = msg.msgtype === "markdown" ? ROBOT_MARKDOWN_MAX_BYTES : TEXT_MAX_BYTES;
      expect(Buffer.byteLength(msg.content ?? ""), label).toBeLessThanOrEqual(max);
    }
  });

  it("shows 通过/驳回 while open, asks for the opinion on 驳回, and greys out with the result", () => {
    const open = renderer.card(views[0]?.view as CardView);
    expect(open.open).toBe(true);
    const buttons = open.templateCard?.button_list as { text: string; key: string }[];
    expect(buttons.map((b) => b.text)).toEqual(["通过", "驳回"]);
    expect(JSON.parse(buttons[1]?.key ?? "{}")).toMatchObject({
      a: "review.decide",
      v: "reject",
      "?": ["opinion", "驳回意见"],
    });
    const closed = renderer.card(views[1]?.view as CardView);
    expect(closed.open).toBe(false);
    expect(closed.templateCard?.replace_text).toBe("已驳回");
    expect(String(closed.templateCard?.sub_title_text)).toContain("李姐 已于");
  });

  it("inserts user text as data: placeholders and markup stay verbatim, markdown syntax is defused", () => {
    const text = renderer.card(views[0]?.view as CardView).text;
    expect(text).toContain("周末{{author}}新本首发<at id=all></at>");
    const robot = renderer.send(
      { type: "chat", id: "robot:1" },
      { type: "card", card: views[2]?.view as CardView },
      [],
    );
    expect(JSON.stringify(robot)).not.toContain("[点我]");
    expect(escapeMarkdown("[a](b) **c** <font>")).toBe("［a］(b) ＊＊c＊＊ ＜font＞");
  });

  it("a group robot gets a crisis page as text with @all; a DM of the same card has 收到", () => {
    const view = views.find((v) => v.label === "crisis paging")?.view as CardView;
    const robot = renderer.send({ type: "chat", id: "robot:3" }, { type: "card", card: view }, []);
    expect(robot).toMatchObject({
      to: "robot",
      robotId: 3,
      msg: { msgtype: "text", mentioned_list: ["@all"] },
    });
    const dm = renderer.send({ type: "user", id: "laozhou" }, { type: "card", card: view }, []);
    const card = (dm as unknown as { msg: { template_card: { button_list: { text: string }[] } } }).msg
      .template_card;
    expect(card.button_list.map((b) => b.text)).toEqual(["收到", "进入：核实取证", "升级为三级"]);
  });

  it("splits a long text on line breaks into at most five messages of ≤ 2048 bytes", () => {
    const parts = splitBytes("状态行\n".repeat(2000));
    expect(parts).toHaveLength(5);
    expect(parts.at(-1)).toContain("内容过长，已截断");
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(TEXT_MAX_BYTES);
  });
});
