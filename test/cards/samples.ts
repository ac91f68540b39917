/**
 * Realistic (and maximal) data for every Feishu card template: the review, ticket, 疑似危机, report, 抽查 and
 * 整改 cards from the real view builders over a real database (the harness), the others written out here.
 */
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { Finding } from "../../src/core/compliance/check.ts";
import { bank, type Question } from "../../src/core/exam/bank.ts";
import { questionCard } from "../../src/core/exam/views.ts";
import { suggestionCard } from "../../src/core/feedback/suggest.ts";
import { ticketCard } from "../../src/core/feedback/views.ts";
import type { Rectification } from "../../src/core/rectify/repo.ts";
import { confirmCard } from "../../src/core/rectify/views.ts";
import { buildReport } from "../../src/core/reports/build.ts";
import { currentWeek, weekPeriod } from "../../src/core/reports/period.ts";
import { reportCard } from "../../src/core/reports/view.ts";
import { stepsOf } from "../../src/core/review/repo.ts";
import { reviewCard } from "../../src/core/review/views.ts";
import { type SpotCheck, spotCard } from "../../src/core/spotcheck/views.ts";
import type { CardView } from "../../src/core/types.ts";
import { rectifications, revisions, spotChecks } from "../../src/store/schema/index.ts";
import type { Harness } from "../support/harness.ts";
import type { Obj } from "./card-rules.ts";

export type CardData = CardView["data"];
export interface LabelledView {
  label: string;
  view: CardView;
}

/** Realistic, long compliance findings, as the pre-check words them. */
export function manyFindings(n: number): Finding[] {
  const terms = ["最好", "第一", "顶级", "国家级", "最佳", "独家", "100%", "绝对"];
  return Array.from({ length: n }, (_, i) => {
    const term = `${terms[i % terms.length]}${i}`;
    return {
      category: "absolute",
      label: "绝对化用语",
      clause: "《广告法》第九条第（三）项",
      term,
      suggestion: "较好",
      message: `「${term}」出现 3 次，属于《广告法》第九条禁用的绝对化用语（使用“国家级”“最高级”“最佳”等用语），建议改为「较好」或删除后再提交`,
    };
  });
}

export const TITLE = "【城东店】周末新本首发！最好玩的沉浸式推理本限时体验".repeat(5).slice(0, 100);
export const BODY = Array.from(
  { length: 40 },
  (_, i) => `第${i + 1}段：本周末最好玩的新本上线，欢迎预约体验，全网第一的沉浸感！`,
).join("\n");

/** Every literal term of policy/compliance/*.json (absolute terms, phrases and the violation categories). */
function everyListedTerm(): string[] {
  const dir = new URL("../../policy/compliance/", import.meta.url);
  const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as Obj;
  const abs = read("absolute.json") as { terms: { term: string }[]; phrases: { term: string }[] };
  const absolute = [...abs.terms, ...abs.phrases].map((t) => t.term);
  const violations = (read("categories.json").categories as { terms: string[] }[]).flatMap((c) => c.terms);
  return [...absolute, ...violations];
}

/**
 * Review cards from the real view builder: item #1 maximal (every platform, the 100-char title, the long body,
 * 30 findings) open and after 初审 approved it with a 1000-char opinion; item #2 naming every listed term.
 * Needs the harness with its roles seeded.
 */
export async function reviewSamples(
  h: Harness,
): Promise<{ reviewViews: LabelledView[]; everyTermViews: LabelledView[] }> {
  await h.say(
    "wang",
    `/submit 抖音,小红书,公众号,视频号,微博,大众点评,美团 ${TITLE} #广告 #敏感 @2026-11-20 20:00\n${BODY}`,
  );
  const db = h.app.db;
  // A maximal pre-check: 30 findings (the real word lists rarely give that many for one draft).
  db.update(revisions)
    .set({ findings: manyFindings(30) })
    .where(eq(revisions.itemId, 1))
    .run();
  const deps = h.app.core.services;
  const first = stepsOf(db, 1, 1)[0];
  if (!first) throw new Error("no review step was opened");
  const open = reviewCard(deps, 1, first);
  // 初审 approved with the longest opinion the card's input allows (max_length 1000).
  const cards = h.cards("li");
  const sent = cards[cards.length - 1];
  if (!sent) throw new Error("李姐 got no review card");
  const opinion = "意见：标题和正文里的绝对化用语需要全部改掉。".repeat(60).slice(0, 1000);
  await h.click(
    "li",
    sent.messageId,
    { a: "review.decide", step: first.id, v: "approve" },
    { formValue: { opinion } },
  );
  const steps = stepsOf(db, 1, 1);
  const reviewViews: LabelledView[] = [
    { label: "open step", view: open },
    ...steps.map((s) => ({ label: `step ${s.position} (${s.status})`, view: reviewCard(deps, 1, s) })),
  ];

  // Item #2: a short draft (under 500 chars) that names every term of the real word lists once.
  await h.say("wang", `/submit 抖音 词表全覆盖 #广告\n${everyListedTerm().join("，")}`);
  const step2 = stepsOf(db, 2, 1)[0];
  if (!step2) throw new Error("item #2 has no review step");
  const sent2 = h.cards("li").at(-1);
  if (!sent2) throw new Error("李姐 got no card for #2");
  await h.click(
    "li",
    sent2.messageId,
    { a: "review.decide", step: step2.id, v: "approve" },
    { formValue: { opinion } },
  );
  const everyTermViews: LabelledView[] = stepsOf(db, 2, 1).map((s) => ({
    label: `#2 step ${s.position} (${s.status})`,
    view: reviewCard(deps, 2, s),
  }));
  return { reviewViews, everyTermViews };
}

/** Ticket and 疑似危机 cards from real tickets: a maximal complaint, open and handled. */
export async function ticketSamples(h: Harness): Promise<Record<string, CardData[]>> {
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/role add cs @小美");
  const complaint = `DM全程看手机，态度很差，要求退款。${"等了很久还没开场，环境也很脏。".repeat(60)}`.slice(
    0,
    1900,
  );
  for (let i = 0; i < 3; i++) await h.say("wang", `/feedback 城东店 ${complaint}`);
  const deps = h.app.core.services;
  const open = ticketCard(deps, 1).data;
  await h.say("mei", "/done T-1 已致电道歉并退款");
  return {
    ticket: [open, ticketCard(deps, 1).data],
    crisis_suggestion: [suggestionCard(deps, 1).data, suggestionCard(deps, 1, "已由 张总 标记为忽略").data],
  };
}

/**
 * Report cards (issue 6) from the real report builder over the real database: a full week (every platform,
 * 20 stores, the 100-char title in the rankings) and an empty week.
 */
export async function reportSamples(h: Harness): Promise<CardData[]> {
  const platforms = ["抖音", "小红书", "公众号", "视频号", "微博", "大众点评", "美团"];
  for (const p of platforms) {
    await h.say("wang", `/metric ${p} 曝光=123.45万 点赞=1.2万 评论=3456 转发=789 关注=1234`, {
      settle: false,
    });
  }
  for (let i = 1; i <= 20; i++) {
    const store = `第${i}家旗舰体验门店`;
    await h.say("admin", `/store add ${store}`, { settle: false });
    await h.say("mei", `/metric ${store} 到店=1234 预约=567 套餐=89 好评率=96.5% 差评=3`, { settle: false });
  }
  for (const who of ["zhang", "chen", "liu"] as const) await h.say(who, "/approve 1", { settle: false });
  await h.say("liu", "/publish 1 抖音", { settle: false });
  await h.say("wang", "/metric #1 抖音 曝光=28万 点赞=6000 评论=1500 转发=700", { settle: false });
  await h.say("wang", "/target #1 曝光=50万 互动=1万 收藏=100", { settle: false });
  await h.settle();
  const deps = h.app.core.services;
  const full = buildReport(deps, currentWeek(h.clock.now(), deps.tz));
  const empty = buildReport(deps, weekPeriod("2026-01-05", deps.tz));
  if (full.empty || !empty.empty || full.topExposure.length === 0 || full.stores.length !== 20) {
    throw new Error("report samples are not what they should be");
  }
  return [reportCard(full, true).data, reportCard(full, false).data, reportCard(empty, false).data];
}

/**
 * 每日抽查 and 整改通知 cards (issue 17) from the real views: the published item with the 100-char title,
 * the long body and 30 findings, the maximal closed ticket, a 1000-char reason and a 1000-char note.
 */
export async function dutySamples(h: Harness): Promise<CardData[]> {
  const core = h.app.core.services;
  await h.say("zhang", "/spotcheck #1");
  await h.say("zhang", "/spotcheck T-1");
  const spot = (id: number) =>
    spotCard(core, core.db.select().from(spotChecks).where(eq(spotChecks.id, id)).get() as SpotCheck).data;
  const openSpots = [spot(1), spot(2)];
  await h.say("zhang", `/spotcheck 不合格 S-1 ${"封面模糊，话题标签缺失。".repeat(80)}`);
  await h.say("zhang", "/spotcheck 合格 S-2");
  await h.say("wang", `/rectify done R-1 ${"已更换封面并补充话题标签。".repeat(80)}`);
  const rect = () => confirmCard(core, core.db.select().from(rectifications).get() as Rectification).data;
  const waiting = rect();
  await h.say("zhang", "/rectify confirm R-1");
  return [...openSpots, spot(1), spot(2), waiting, rect()];
}

/** Realistic data for the templates that are not built from the database here. */
export const SAMPLE: Record<string, CardData[]> = {
  notice: [
    {
      title: `已提交 #1 ${TITLE}`,
      color: "green",
      text: `已提交 #1《${TITLE}》，进入 初审（运营负责人）\n合规预审：\n${manyFindings(30)
        .map((f) => `⚠️ ${f.message}`)
        .join("\n")}`,
    },
    { title: "提示", color: "orange", text: "" },
  ],
  submit_form: [{ plannedExample: "2026-12-13 20:00" }],
  // Crisis alert (issue 5): paging in a group (@all, 收到, 升级) with a maximal description, and closed.
  // test/core/crisis/card.test.ts renders it from the real view in every state.
  crisis: [
    {
      headerTitle: "🚨 二级危机 C-7 · 待确认",
      headerColor: "red",
      summary: `C-7 二级危机：${TITLE.slice(0, 60)}…`,
      atAll: true,
      description: `${BODY}`.slice(0, 1000),
      facts: [
        "级别：二级（较大）",
        "阶段：上报",
        "负责人：未确认（已呼叫 3 次）",
        "上报：小王 · 11-16 10:00",
        "处置时限：11-18 10:00（已用 0%）",
      ].join("\n"),
      notice: "第 3 次呼叫：请危机小组成员点「收到」确认，确认人成为负责人（或发送 /ack C-7）",
      canAck: true,
      ackValue: { a: "crisis.ack", c: 7 },
      canEscalate: true,
      escalateLabel: "升级为三级",
      escalateValue: { a: "crisis.escalate", c: 7, from: 2 },
      canAdvance: false,
      advanceLabel: "",
      advanceValue: { a: "crisis.stage", c: 7, from: "report", to: "" },
      hasButtons: true,
    },
    {
      headerTitle: "🚨 三级危机 C-7 · 已结案",
      headerColor: "grey",
      summary: "C-7 三级危机：已结案",
      atAll: false,
      description: "门店被媒体曝光",
      facts: "级别：三级（重大）\n阶段：结案",
      notice: "🏁 已于 11-19 09:00 结案：已整改",
      canAck: false,
      canEscalate: false,
      canAdvance: false,
      hasButtons: false,
    },
  ],
  // 上岗考核 (issue 17): every question of the bank as an open card with its buttons, and an answered one.
  exam_question: [
    ...bank.map((q, i) => questionCard({ attemptId: 9, n: (i % 10) + 1, total: 10, q }).data),
    questionCard({ attemptId: 9, n: 3, total: 10, q: bank[0] as Question, chosen: "B" }).data,
  ],
};
