/**
 * Every Feishu card template renders, with realistic (and maximal) data, to a card that the fake platform
 * accepts and that follows our rules for card JSON 2.0 (docs/platforms.md → 飞书 → Cards).
 * The review card's data comes from the real view builder over a real database (the harness).
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { FEISHU_CARDS_DIR, FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import { cardProblem } from "../../src/platforms/sandbox/open-platform/index.ts";
import { rectifications, revisions, spotChecks } from "../../src/store/schema/index.ts";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

const MAX_ELEMENTS = 200;
const MAX_BYTES = 30 * 1024;
const SRC_DIR = fileURLToPath(new URL("../../src/", import.meta.url));
const TEMPLATES = readdirSync(FEISHU_CARDS_DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

interface Component {
  el: Obj;
  depth: number;
  inForm: boolean;
}

/** Every component of body.elements (through `elements` and `columns`), with its depth. */
function components(card: unknown): Component[] {
  const out: Component[] = [];
  const visit = (el: unknown, depth: number, inForm: boolean) => {
    if (!isObj(el)) return;
    out.push({ el, depth, inForm });
    for (const key of ["elements", "columns"]) {
      const children = el[key];
      if (Array.isArray(children)) for (const c of children) visit(c, depth + 1, inForm || el.tag === "form");
    }
  };
  const body = isObj(card) && isObj(card.body) ? card.body : {};
  for (const el of Array.isArray(body.elements) ? body.elements : []) visit(el, 0, false);
  return out;
}

/** Every string anywhere in the card, with the key it sits under. */
function strings(node: unknown, key = ""): { key: string; value: string }[] {
  if (typeof node === "string") return [{ key, value: node }];
  if (Array.isArray(node)) return node.flatMap((n) => strings(n, key));
  if (isObj(node)) return Object.entries(node).flatMap(([k, v]) => strings(v, k));
  return [];
}

/** Every object anywhere in the card (headers, texts, behaviors included). */
function objects(node: unknown): Obj[] {
  if (Array.isArray(node)) return node.flatMap(objects);
  if (!isObj(node)) return [];
  return [node, ...Object.values(node).flatMap(objects)];
}

/** Our rules for a Feishu card; an empty list when the card follows all of them. */
function designProblems(card: unknown): string[] {
  const problems: string[] = [];
  const fake = cardProblem(card);
  if (fake) problems.push(`fake Feishu refuses it: ${fake}`);
  if (!isObj(card)) return ["not an object"];
  if (card.schema !== "2.0") problems.push('schema is not "2.0"');
  if (!isObj(card.config) || card.config.update_multi !== true)
    problems.push("config.update_multi is not true");
  const header = isObj(card.header) ? card.header : undefined;
  if (header && (!isObj(header.title) || header.title.tag !== "plain_text")) {
    problems.push("header.title is not plain_text");
  }
  if (header && (typeof header.template !== "string" || header.template === "")) {
    problems.push("header.template (colour) is empty");
  }
  const all = components(card);
  if (all.length > MAX_ELEMENTS) problems.push(`${all.length} elements (max ${MAX_ELEMENTS})`);
  const bytes = Buffer.byteLength(JSON.stringify(card), "utf8");
  if (bytes > MAX_BYTES) problems.push(`${bytes} bytes (max ${MAX_BYTES})`);
  const names = new Set<string>();
  for (const { el, depth, inForm } of all) {
    if (el.tag === "action") problems.push('legacy 1.0 "action" tag');
    if (el.tag === "form" && (depth !== 0 || inForm)) problems.push("form not at the root of body.elements");
    if (typeof el.name === "string") {
      if (names.has(el.name)) problems.push(`duplicate name "${el.name}"`);
      names.add(el.name);
    }
    if (inForm && ["input", "multi_select_static", "select_static", "button"].includes(String(el.tag))) {
      if (el.tag !== "button" || "form_action_type" in el) {
        if (typeof el.name !== "string" || el.name === "")
          problems.push(`${String(el.tag)} in a form has no name`);
      }
    }
    if (el.tag === "button") {
      const behaviors = Array.isArray(el.behaviors) ? el.behaviors : [];
      const values = behaviors.filter((b) => isObj(b) && b.type === "callback").map((b) => (b as Obj).value);
      if (values.length === 0 || !values.every((v) => isObj(v) && Object.keys(v).length > 0)) {
        problems.push(`button ${String(el.name ?? "")} has no callback value`);
      }
    }
  }
  for (const o of objects(card)) {
    if (o.tag === "action") problems.push('legacy 1.0 "action" tag');
    if ("$if" in o || "$unless" in o || "$each" in o) problems.push("template directive left in the card");
  }
  for (const s of strings(card)) {
    if (/\{\{.*\}\}/.test(s.value))
      problems.push(`unfilled placeholder in ${s.key}: ${s.value.slice(0, 40)}`);
  }
  return [...new Set(problems)];
}

/** Realistic, long compliance findings, as the pre-check words them. */
function manyFindings(n: number): Finding[] {
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

const TITLE = "【城东店】周末新本首发！最好玩的沉浸式推理本限时体验".repeat(5).slice(0, 100);
const BODY = Array.from(
  { length: 40 },
  (_, i) => `第${i + 1}段：本周末最好玩的新本上线，欢迎预约体验，全网第一的沉浸感！`,
).join("\n");

let h: Harness;
let reviewViews: { label: string; view: CardView }[] = [];
let everyTermViews: { label: string; view: CardView }[] = [];

/** Every literal term of policy/compliance/*.json (absolute terms, phrases and the violation categories). */
function everyListedTerm(): string[] {
  const dir = new URL("../../policy/compliance/", import.meta.url);
  const read = (f: string) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as Obj;
  const abs = read("absolute.json") as { terms: { term: string }[]; phrases: { term: string }[] };
  const absolute = [...abs.terms, ...abs.phrases].map((t) => t.term);
  const violations = (read("categories.json").categories as { terms: string[] }[]).flatMap((c) => c.terms);
  return [...absolute, ...violations];
}

beforeAll(async () => {
  h = await startInProcess();
  await seedRoles(h);
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
  reviewViews = [
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
  everyTermViews = stepsOf(db, 2, 1).map((s) => ({
    label: `#2 step ${s.position} (${s.status})`,
    view: reviewCard(deps, 2, s),
  }));
}, 30_000);

/** Ticket and 疑似危机 cards from real tickets: a maximal complaint, open and handled. */
const fromDb: Record<string, CardView["data"][]> = {};
beforeAll(async () => {
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
  fromDb.ticket = [open, ticketCard(deps, 1).data];
  fromDb.crisis_suggestion = [
    suggestionCard(deps, 1).data,
    suggestionCard(deps, 1, "已由 张总 标记为忽略").data,
  ];
}, 30_000);

/**
 * Report cards (issue 6) from the real report builder over the real database: a full week (every platform,
 * 20 stores, the 100-char title in the rankings) and an empty week.
 */
beforeAll(async () => {
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
  fromDb.report = [reportCard(full, true).data, reportCard(full, false).data, reportCard(empty, false).data];
}, 60_000);

/**
 * 每日抽查 and 整改通知 cards (issue 17) from the real views: the published item with the 100-char title,
 * the long body and 30 findings, the maximal closed ticket, a 1000-char reason and a 1000-char note.
 */
beforeAll(async () => {
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
  fromDb.duty_decision = [...openSpots, spot(1), spot(2), waiting, rect()];
}, 30_000);

afterAll(async () => {
  await h?.close();
});

const renderer = new FeishuRenderer();

/** Realistic data for the templates that are not built from the database here. */
const SAMPLE: Record<string, CardView["data"][]> = {
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

describe("Feishu card templates", () => {
  it("finds the templates", () => {
    expect(TEMPLATES).toEqual(expect.arrayContaining(["notice", "review", "submit_form"]));
  });

  it.each(TEMPLATES)("%s renders with realistic data to a valid JSON 2.0 card", (template) => {
    const data =
      template === "review" ? reviewViews.map((r) => r.view.data) : (fromDb[template] ?? SAMPLE[template]);
    if (!data || data.length === 0) throw new Error(`no sample data for template ${template}: add some here`);
    for (const d of data) {
      const card = renderer.card({ template, data: d });
      expect(designProblems(card), `${template}: ${JSON.stringify(d).slice(0, 80)}`).toEqual([]);
    }
  });

  it("the review card stays within the limits with a maximal item (100-char title, 30 findings)", () => {
    expect(reviewViews.length).toBeGreaterThanOrEqual(3);
    for (const { label, view } of reviewViews) {
      expect(view.template).toBe("review");
      const card = renderer.card(view);
      expect(designProblems(card), label).toEqual([]);
      const json = JSON.stringify(card);
      expect(json).toContain(TITLE);
      // The card shows the first 10 findings and points to /status for the other 20.
      expect(json.match(/⚠️ /g)?.length ?? 0, label).toBe(10);
      expect(json, label).toContain("…还有 20 条，发送 /status");
      // The body preview is cut by policy review.body.preview (300 chars) and the card says so.
      const bodyText = strings(card).find((s) => s.value.startsWith("第1段"))?.value ?? "";
      expect(bodyText.length).toBe(301);
      expect(bodyText.endsWith("…")).toBe(true);
      expect(json).toContain(`正文共 ${BODY.length} 字`);
    }
    const open = renderer.card(reviewViews[0]?.view as CardView);
    expect(JSON.stringify(open)).toContain('"form_action_type":"submit"');
    const decided = reviewViews.find((r) => r.label.includes("approved"));
    expect(decided).toBeDefined();
    expect(JSON.stringify(renderer.card(decided?.view as CardView))).not.toContain("form_action_type");
  });

  it("the review card stays within the limits however many findings the real pre-check gives", () => {
    // Item #2's draft names every listed term, and 初审 approved it with a 1000-char opinion.
    expect(everyTermViews.length).toBeGreaterThanOrEqual(2);
    for (const { label, view } of everyTermViews) {
      const findings = (view.data.findings as { text: string }[]).length;
      const more = (view.data.findings as { text: string }[]).at(-1)?.text ?? "";
      // Over 100 findings exist; the card shows 10 and says how many more there are.
      expect(findings).toBe(11);
      expect(Number(/还有 (\d+) 条/.exec(more)?.[1])).toBeGreaterThan(90);
      expect(designProblems(renderer.card(view)), `${label}, ${findings} findings`).toEqual([]);
    }
  });

  it("inserts user text as data: placeholders, quotes, <at> and newlines stay verbatim in plain_text", () => {
    const evil = 'A {{x}} "quoted" \'single\' <at user_id="all">所有人</at>\nline2 \\n {{approveValue}} }}{{';
    const base = reviewViews[0]?.view;
    if (!base) throw new Error("no review view");
    const views: CardView[] = [
      {
        template: "review",
        data: { ...base.data, title: evil, headerTitle: evil, summary: evil, body: evil },
      },
      { template: "notice", data: { title: evil, color: "blue", text: evil } },
    ];
    for (const view of views) {
      const card = renderer.card(view);
      expect(cardProblem(card)).toBeUndefined();
      // Sent as the message content: the JSON string round-trips to the same card.
      const payload = renderer.send({ type: "chat", id: "oc_ops" }, { type: "card", card: view }, []);
      expect("content" in payload).toBe(true);
      const content = (payload as { content: string }).content;
      expect(JSON.parse(content)).toEqual(card);
      // Same structure as with harmless text: nothing was injected.
      const plainCard = renderer.card({
        ...view,
        data: Object.fromEntries(Object.entries(view.data).map(([k, v]) => [k, v === evil ? "普通文本" : v])),
      });
      expect(components(card).length).toBe(components(plainCard).length);
      // The text is shown verbatim, and only in plain_text elements (never markdown, where <at> would ping).
      const holders = objects(card).filter((o) => o.content === evil);
      expect(holders.length).toBeGreaterThan(0);
      for (const o of holders) expect(["plain_text", undefined]).toContain(o.tag);
      for (const o of objects(card)) {
        if (o.tag === "markdown") expect(String(o.content)).not.toContain("<at");
      }
      const header = (card as { header: { title: { tag: string; content: string } } }).header.title;
      expect(header).toEqual({ tag: "plain_text", content: evil });
    }
    // The review data's button values are still objects, not strings, whatever the title says.
    const review = renderer.card(views[0] as CardView);
    const approve = components(review).find((c) => c.el.name === "approve")?.el;
    expect((approve?.behaviors as { value: unknown }[] | undefined)?.[0]?.value).toEqual(
      base.data.approveValue,
    );
  });

  it("the checker itself catches what it is meant to catch", () => {
    const ok = renderer.card({
      template: "submit_form",
      data: { plannedExample: "2026-12-13 20:00" },
    }) as Obj;
    expect(designProblems(ok)).toEqual([]);
    const bad = (mutate: (c: Obj) => void): string[] => {
      const c = structuredClone(ok);
      mutate(c);
      return designProblems(c);
    };
    const form = (c: Obj) => ((c.body as Obj).elements as Obj[])[0] as Obj;
    expect(bad((c) => (c.schema = "1.0")).join()).toContain("schema");
    expect(bad((c) => ((c.config as Obj).update_multi = false)).join()).toContain("update_multi");
    // elements: [label, platforms, label, title, …]: the title renamed to "platforms" is a duplicate.
    expect(bad((c) => (((form(c).elements as Obj[])[3] as Obj).name = "platforms")).join()).toContain(
      "duplicate",
    );
    expect(
      bad(
        (c) =>
          ((c.body as Obj).elements = [
            { tag: "column_set", columns: [{ tag: "column", elements: [form(c)] }] },
          ]),
      ).join(),
    ).toContain("root");
    expect(
      bad((c) => ((c.body as Obj).elements as Obj[]).push({ tag: "action", actions: [] })).join(),
    ).toContain("action");
    expect(bad((c) => (((form(c).elements as Obj[]).at(-1) as Obj).behaviors = [])).join()).toContain(
      "callback value",
    );
    expect(
      bad((c) =>
        ((c.body as Obj).elements as Obj[]).push(...Array.from({ length: 200 }, () => ({ tag: "hr" }))),
      ).join(),
    ).toContain("elements");
    expect(
      bad((c) =>
        ((c.body as Obj).elements as Obj[]).push({ tag: "markdown", content: "字".repeat(11_000) }),
      ).join(),
    ).toContain("bytes");
    expect(
      bad((c) => ((c.header as Obj).title = { tag: "plain_text", content: "{{title}}" })).join(),
    ).toContain("placeholder");
  });

  it("every template is used by the code (no dead templates)", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith(".ts")) files.push(readFileSync(join(dir, e.name), "utf8"));
      }
    };
    walk(SRC_DIR);
    const source = files.join("\n");
    for (const t of TEMPLATES) {
      expect(source.includes(`template: "${t}"`), `cards/feishu/${t}.json is not used in src/`).toBe(true);
    }
  });
});
