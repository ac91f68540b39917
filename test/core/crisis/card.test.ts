/**
 * The crisis card (cards/feishu/crisis.json) in every state, built by the real view from a real database:
 * valid JSON 2.0 that the fake accepts, within 30 KB, user text only in plain_text elements, @all only as
 * our own static markdown, and the right buttons for the state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCrisis } from "../../../src/core/crisis/repo.ts";
import { crisisCard } from "../../../src/core/crisis/views.ts";
import type { CardView } from "../../../src/core/types.ts";
import { FeishuRenderer } from "../../../src/platforms/feishu/render.ts";
import { cardProblem } from "../../../src/platforms/sandbox/open-platform/index.ts";
import type { Harness } from "../../support/harness.ts";
import { crisisHarness } from "./support.ts";

const EVIL = '<at id=all></at> {{summary}} "引号" **粗体** <at user_id="all">所有人</at>';
const LONG = `${EVIL}\n${"门店被曝光，顾客在微博发帖称在店内受伤，转发过万。".repeat(80)}`.slice(0, 2000);

type Obj = Record<string, unknown>;
const objects = (n: unknown): Obj[] =>
  Array.isArray(n)
    ? n.flatMap(objects)
    : n && typeof n === "object"
      ? [n as Obj, ...Object.values(n as Obj).flatMap(objects)]
      : [];
const buttons = (card: unknown) =>
  objects(card)
    .filter((o) => o.tag === "button")
    .map((b) => (b.behaviors as { value: { a: string } }[])[0]?.value.a);

let h: Harness;
const views: { state: string; view: CardView; group: CardView }[] = [];
const renderer = new FeishuRenderer();

beforeAll(async () => {
  h = await crisisHarness();
  await h.say("wang", `/crisis 2 ${LONG}`);
  const snap = (state: string) => {
    const c = findCrisis(h.app.db, 1);
    if (!c) throw new Error("no crisis");
    views.push({
      state,
      view: crisisCard(h.app.core.services, c),
      group: crisisCard(h.app.core.services, c, { atAll: true }),
    });
  };
  snap("waiting");
  await h.say("lin", "/ack C-1");
  snap("acked");
  await h.say("lin", "/crisis level C-1 3");
  await h.say("liu", "/ack C-1");
  await h.say("liu", "/crisis stage C-1 后续修复 已整改");
  snap("repair");
  await h.say("liu", `/crisis close C-1 ${EVIL}`);
  snap("closed");
});

afterAll(async () => {
  await h.close();
});

describe("the crisis card", () => {
  it("renders to a valid JSON 2.0 card within 30 KB in every state", () => {
    for (const { state, view, group } of views) {
      for (const v of [view, group]) {
        const card = renderer.card(v);
        expect(cardProblem(card), state).toBeUndefined();
        expect(Buffer.byteLength(JSON.stringify(card)), state).toBeLessThan(30 * 1024);
        // No template directive or placeholder of ours is left (user text may contain "{{…}}" itself).
        expect(JSON.stringify(card).replaceAll("{{summary}}", ""), state).not.toMatch(/\{\{|\$if|\$each/);
      }
    }
  });

  it("shows user text verbatim and only in plain_text; @all only in our own markdown, only while paging", () => {
    for (const { state, view, group } of views) {
      for (const [v, isGroup] of [
        [view, false],
        [group, true],
      ] as const) {
        const card = renderer.card(v);
        for (const o of objects(card)) {
          if (o.tag === "markdown") {
            const atAll = o.content === "<at id=all></at> 危机呼叫，请立即查看并确认";
            expect(atAll || !String(o.content).includes("<at"), state).toBe(true);
            if (atAll) expect([state, isGroup]).toEqual(["waiting", true]);
          }
          // plain_text elements, or the chat-list summary (config.summary, plain by definition).
          if (typeof o.content === "string" && o.content.includes("{{summary}}")) {
            expect(["plain_text", undefined], state).toContain(o.tag);
          }
        }
      }
    }
    const waiting = renderer.card(views[0]?.view as CardView);
    expect(objects(waiting).some((o) => o.tag === "plain_text" && String(o.content).startsWith(EVIL))).toBe(
      true,
    );
  });

  it("offers 收到 while unanswered, 下一阶段 once led, 升级 below 三级, nothing once closed", () => {
    const byState = Object.fromEntries(views.map((v) => [v.state, buttons(renderer.card(v.view))]));
    expect(byState).toEqual({
      waiting: ["crisis.ack", "crisis.escalate"],
      acked: ["crisis.stage", "crisis.escalate"],
      repair: [],
      closed: [],
    });
    const header = (v: CardView) => (renderer.card(v) as { header: { template: string } }).header.template;
    expect(views.map((v) => header(v.view))).toEqual(["red", "orange", "orange", "grey"]);
  });
});
