/**
 * 上岗考核 (《制度》第十四条(二)1) end to end: the real bot over signed HTTP against the fake Feishu. An ops
 * holder who has not passed cannot submit and is told how to take the exam; the quiz comes as DM cards
 * with buttons (and by text); only a pass opens /submit; a fail names the clauses to reread.
 */
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { bank, LETTERS, questionById } from "../../src/core/exam/bank.ts";
import { examAttempts, examRollout } from "../../src/store/schema/index.ts";
import { cardText, type Harness } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const DAY = 86_400_000;
const lastText = (who: "wang" | "zhang" | "admin" | "li") => h.texts(who).at(-1) ?? "";
const items = () => h.app.db.get<{ n: number }>(sql`select count(*) as n from content_items`)?.n ?? 0;
const attempt = () =>
  h.app.db.select().from(examAttempts).where(eq(examAttempts.kind, "quiz")).orderBy(sql`id desc`).get();

async function setup(): Promise<void> {
  h = await startInProcess();
  await h.say("admin", "/role add ops_lead @李姐");
  await h.say("admin", "/role add marketing_head @张总");
  await h.say("admin", "/role add ops @小王");
}

/** The question cards 小王 got, in order; each still-open one carries the four letter buttons. */
const questionCards = () => h.cards("wang").filter((c) => cardText(c.card).includes("上岗考核 第"));
const buttons = (card: unknown) =>
  [...JSON.stringify(card).matchAll(/"value":(\{"a":"exam\.answer"[^}]*\})/g)].map(
    (m) => JSON.parse(m[1] ?? "{}") as { a: string; t: number; n: number; o: string },
  );

/** Answers every question of the open attempt: wrong for the numbers in `wrong`; by click or by text. */
async function takeExam(wrong: number[], byText: (n: number) => boolean = (n) => n % 2 === 0) {
  await h.say("wang", "/exam");
  const a = attempt();
  if (!a) throw new Error("no attempt");
  for (let n = 1; n <= a.total; n++) {
    const q = questionById(a.questions[n - 1] ?? "");
    if (!q) throw new Error("unknown question");
    const right = q.answer;
    const choice = wrong.includes(n) ? (LETTERS.find((l) => l !== right) ?? "A") : right;
    if (byText(n)) {
      await h.say("wang", `/exam answer ${n} ${choice.toLowerCase()}`);
    } else {
      const card = questionCards().at(-1);
      expect(cardText(card?.card)).toContain(`第 ${n}/${a.total} 题`);
      expect(cardText(card?.card)).toContain(q.question);
      const value = buttons(card?.card).find((b) => b.o === choice);
      expect(buttons(card?.card).map((b) => b.o)).toEqual(["A", "B", "C", "D"]);
      const res = await h.click("wang", card?.messageId ?? "", value ?? {});
      expect(res.status).toBe(200);
    }
  }
  return attempt();
}

describe("上岗考核 gates /submit for ops holders", () => {
  it("a new ops holder is refused with the way to take the exam; a fail names the clauses; only a pass opens /submit", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 周末新本\n正文");
    expect(lastText("wang")).toContain("你还没有通过上岗考核，暂不能提交内容");
    expect(lastText("wang")).toContain("《制度》第十四条(二)1");
    expect(lastText("wang")).toContain("发送 /exam 开始考核：共 10 题单选，答对 80%（至少 8 题）及格");
    // The Feishu form card is not shown either.
    await h.say("wang", "/submit");
    expect(lastText("wang")).toContain("你还没有通过上岗考核");
    expect(h.cards("wang")).toHaveLength(0);
    expect(items()).toBe(0);

    // Attempt 1: three wrong (7/10 = 70 %) → failed, with the clauses of exactly those questions.
    const failed = await takeExam([2, 5, 9]);
    expect(failed?.status).toBe("failed");
    expect(failed?.correct).toBe(7);
    const result = lastText("wang");
    expect(result).toContain("❌ 上岗考核未通过：答对 7/10 题（70%），及格线 80%");
    for (const n of [2, 5, 9]) {
      const clause = questionById(failed?.questions[n - 1] ?? "")?.clause ?? "?";
      expect(result).toContain(`《制度》${clause}`);
      expect(result).toMatch(new RegExp(`第 [0-9、]*\\b${n}\\b[0-9、]* 题`));
    }
    for (const n of [1, 3, 4, 6, 7, 8, 10]) {
      const clause = questionById(failed?.questions[n - 1] ?? "")?.clause ?? "?";
      const wrongClauses = [2, 5, 9].map((w) => questionById(failed?.questions[w - 1] ?? "")?.clause);
      if (!wrongClauses.includes(clause)) expect(result).not.toContain(`《制度》${clause}（`);
    }
    // Every answered card shows the choice and no buttons any more.
    for (const c of questionCards()) expect(buttons(c.card)).toHaveLength(0);
    await h.say("wang", "/submit 抖音 周末新本\n正文");
    expect(lastText("wang")).toContain("你还没有通过上岗考核");
    expect(items()).toBe(0);

    // Attempt 2: exactly the pass mark (8/10 = 80 %) passes.
    const passed = await takeExam([1, 10], () => false);
    expect(passed?.status).toBe("passed");
    expect(passed?.id).not.toBe(failed?.id);
    expect(lastText("wang")).toContain("✅ 上岗考核通过：答对 8/10 题（80%），及格线 80%");
    await h.say("wang", "/submit 抖音 周末新本\n正文");
    expect(lastText("wang")).toContain("已提交 #1《周末新本》");
    expect(items()).toBe(1);

    // /exam results: the head sees who passed when; 小王 sees only his own record.
    await h.say("zhang", "/exam results");
    expect(lastText("zhang")).toMatch(/小王：✅ 2026-11-16 \d\d:\d\d 通过 · 复训到期 02-14/);
    expect(lastText("zhang")).toContain("小王 ❌ 未通过 · 答对 7/10 题（70%）");
    expect(lastText("zhang")).toContain("小王 ✅ 通过 · 答对 8/10 题（80%）");
    await h.say("wang", "/exam results");
    expect(lastText("wang")).toContain("你的上岗考核记录：");

    // The refresher: 90 days after the pass, a reminder (after quiet hours if they are on).
    h.clock.advance(91 * DAY);
    await h.settle();
    expect(h.texts("wang").some((t) => t.startsWith("📝 上岗考核复训到期"))).toBe(true);
  });

  it("answers out of turn, twice, or by someone else change nothing", async () => {
    await setup();
    await h.say("wang", "/exam");
    const a = attempt();
    await h.say("wang", "/exam answer 3 A");
    expect(lastText("wang")).toBe("请先回答第 1 题");
    await h.say("wang", "/exam answer 1 Z");
    expect(lastText("wang")).toBe("第 1 题的选项是 A、B、C、D");
    const card = questionCards().at(-1);
    const res = await h.click("li", card?.messageId ?? "", buttons(card?.card)[0] ?? {});
    expect((res.json.toast as { content: string }).content).toBe("这是别人的考题，不能代答");
    expect(attempt()?.answers).toEqual(a?.answers);
    await h.click("wang", card?.messageId ?? "", buttons(card?.card)[1] ?? {});
    const again = await h.click("wang", card?.messageId ?? "", buttons(card?.card)[2] ?? {});
    // A second tap on the answered card (its buttons are gone) is refused.
    expect((again.json.toast as { type: string }).type).toBe("error");
    expect(attempt()?.answers.filter((x) => x !== null)).toEqual(["B"]);
    // /exam again resumes at question 2 instead of drawing a new paper.
    await h.say("wang", "/exam answer 1 C");
    expect(lastText("wang")).toBe("第 1 题已作答：B");
    await h.say("wang", "/exam");
    expect(lastText("wang")).toContain("已答 1/10 题），第 2 题已重新私信发送");
    expect(h.app.db.select().from(examAttempts).all()).toHaveLength(1);
  });

  it("each bad argument gets a usage line and changes nothing", async () => {
    await setup();
    const snapshotOf = () => JSON.stringify(h.app.db.select().from(examAttempts).all());
    const snapshot = snapshotOf();
    for (const text of [
      "/exam answer",
      "/exam answer x B",
      "/exam answer 1",
      "/exam foo",
      "/exam results all",
    ]) {
      await h.say("wang", text);
      expect(lastText("wang"), text).toMatch(/^用法：\/exam/);
    }
    await h.say("wang", "/exam answer 1 B");
    expect(lastText("wang")).toBe("你现在没有进行中的上岗考核，发送 /exam 开始");
    for (const text of ["/exam record @小王 101", "/exam record 小王 90", "/exam record @小王"]) {
      await h.say("admin", text);
      expect(lastText("admin"), text).toBe("用法：/exam record @某人 <分数0-100> [说明]");
    }
    await h.say("wang", "/exam record @小王 100");
    expect(lastText("wang")).toBe("只有管理员或市场部门负责人可以录入线下考核成绩");
    expect(snapshotOf()).toBe(snapshot);
    await h.say("admin", "/policy set exam.pass 120");
    expect(lastText("admin")).toBe("exam.pass 是答对的百分比，应为 0–100");
    await h.say("admin", `/policy set exam.count ${bank.length + 1}`);
    expect(lastText("admin")).toBe(`「上岗考核每次题数」应为 1–${bank.length}（题库共 ${bank.length} 题）`);
    await h.say("admin", "/policy set exam.existing 也许");
    expect(lastText("admin")).toContain("可选：必考、免考");
    await h.say("admin", "/policy");
    expect(lastText("admin")).toContain("· 上岗考核及格线：80｜");
    // /help lists the duty commands for the roles that use them.
    await h.say("wang", "/help");
    expect(lastText("wang")).toContain("/exam（/考试） 上岗考核（考核合格后方可提审）");
    expect(lastText("wang")).toContain("/rectify（/整改） 整改通知（下发、提交、确认）");
    expect(lastText("wang")).not.toContain("/spotcheck");
    await h.say("zhang", "/help");
    expect(lastText("zhang")).toContain("/spotcheck");
    expect(lastText("zhang")).toContain("/drill");
    await h.say("zhang", "/help 抽查");
    expect(lastText("zhang")).toContain("/spotcheck（/抽查） 每日抽查（内容、发布、回应）");
  });
});

describe("ops holders from before the exam", () => {
  /** A store that had ops holders before this version: no rollout row yet. Restarting rolls it out. */
  async function upgrade(): Promise<void> {
    await setup();
    h.app.db.delete(examRollout).run();
    await h.restart();
    await h.settle();
  }

  it("keep submitting for 7 days, are told and reminded, then must pass", async () => {
    await upgrade();
    const notice = h.texts("wang").find((t) => t.startsWith("📝 上岗考核已上线"));
    expect(notice).toContain("请在 2026-11-23 10:00 前通过上岗考核");
    await h.say("wang", "/submit 抖音 宽限期内\n正文");
    expect(lastText("wang")).toContain("已提交 #1");
    await h.say("zhang", "/exam results");
    expect(lastText("zhang")).toContain("小王：⏳ 未通过，宽限至 11-23 10:00");

    h.clock.advance(6 * DAY); // the reminder a day before the end
    await h.settle();
    // The same sweep also sends #1's 超时 reminder (reminders go out as one message at the end of a sweep).
    expect(h.texts("wang").some((t) => t.includes("⏰ 提醒：请在 2026-11-23 10:00 前通过上岗考核"))).toBe(
      true,
    );
    h.clock.advance(DAY);
    await h.say("wang", "/submit 抖音 宽限期后\n正文");
    expect(lastText("wang")).toContain(
      "你还没有通过上岗考核，暂不能提交内容（宽限期已于 2026-11-23 10:00 结束）",
    );
    expect(items()).toBe(1);

    // The /policy switch: existing holders exempt.
    await h.say("admin", "/policy set exam.existing 免考");
    await h.say("wang", "/submit 抖音 免考\n正文");
    expect(lastText("wang")).toContain("已提交 #2");
    // …which never covers someone given the role after the rollout.
    await h.say("admin", "/role add ops @小刘");
    await h.say("liu", "/submit 抖音 新人\n正文");
    expect(h.texts("liu").at(-1)).toContain("你还没有通过上岗考核");
  });
});
