/**
 * Every Feishu card template renders, with realistic (and maximal) data, to a card that the fake platform
 * accepts and that follows our rules for card JSON 2.0 (docs/platforms.md → 飞书 → Cards).
 * The review card's data comes from the real view builder over a real database (the harness); the data
 * of every template is in samples.ts, the rules in card-rules.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CardView } from "../../src/core/types.ts";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import { cardProblem } from "../../src/platforms/sandbox/open-platform/index.ts";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";
import { components, designProblems, objects, strings, TEMPLATES } from "./card-rules.ts";
import {
  BODY,
  type CardData,
  dutySamples,
  type LabelledView,
  reportSamples,
  reviewSamples,
  SAMPLE,
  TITLE,
  ticketSamples,
} from "./samples.ts";

let h: Harness;
let reviewViews: LabelledView[] = [];
let everyTermViews: LabelledView[] = [];
/** Card data built from the real database, by template. */
const fromDb: Record<string, CardData[]> = {};

beforeAll(async () => {
  h = await startInProcess();
  await seedRoles(h);
  ({ reviewViews, everyTermViews } = await reviewSamples(h));
}, 30_000);
beforeAll(async () => {
  Object.assign(fromDb, await ticketSamples(h));
}, 30_000);
beforeAll(async () => {
  fromDb.report = await reportSamples(h);
}, 60_000);
beforeAll(async () => {
  fromDb.duty_decision = await dutySamples(h);
}, 30_000);

afterAll(async () => {
  await h?.close();
});

const renderer = new FeishuRenderer();

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
});
