import { and, eq } from "drizzle-orm";
import { examAttempts } from "../../store/schema/index.ts";
import type { Actor } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { type CardView, UserError } from "../types.ts";
import { drawQuestions, parseChoice, type Question, questionById } from "./bank.ts";
import { armRefresh } from "./reminders.ts";
import { type Attempt, findAttempt, openAttempt, scorePct } from "./repo.ts";
import { needed, passMark, questionCount } from "./settings.ts";
import { examCardRef, questionCard } from "./views.ts";

/**
 * The quiz of the 上岗考核 (《制度》第十四条(二)1): `exam.count` questions drawn from the bank, asked one at
 * a time by DM (buttons on Feishu and WeCom, `/exam answer <n> <选项>` anywhere), scored against the pass
 * mark in force when the attempt started. Every answer is a compare-and-set on the attempt's answers, so a
 * double click or a click racing a typed answer records one answer.
 */

function question(a: Attempt, n: number): Question {
  const q = questionById(a.questions[n - 1] ?? "");
  // A question removed from the bank after the attempt started: the attempt cannot be scored fairly.
  if (!q) throw new UserError("题库已更新，这次考核无法继续，请发送 /exam 重新开始");
  return q;
}

function sendQuestion(services: Services, a: Attempt, n: number): void {
  const card = questionCard({ attemptId: a.id, n, total: a.total, q: question(a, n) });
  services.outbound.toPerson(a.personId, { type: "card", card }, { cardRef: examCardRef(a.id, n) });
}

/** `/exam`: a new attempt, or the question the open one is waiting for. Returns the reply. */
export function startExam(services: Services, actor: Actor): string {
  const open = openAttempt(services.db, actor.personId);
  if (open) {
    const next = open.answers.indexOf(null) + 1;
    if (next > 0 && questionById(open.questions[next - 1] ?? "")) {
      sendQuestion(services, open, next);
      return `你有一场未完成的上岗考核（已答 ${next - 1}/${open.total} 题），第 ${next} 题已重新私信发送`;
    }
    // Its questions left the bank: close it as not passed, without a score, and start afresh below.
    services.db
      .update(examAttempts)
      .set({ status: "failed", correct: 0, finishedAt: services.clock.now(), note: "题库更新，作废" })
      .where(eq(examAttempts.id, open.id))
      .run();
  }
  const now = services.clock.now();
  const questions = drawQuestions(questionCount(services));
  const pct = passMark(services);
  const a = services.db
    .insert(examAttempts)
    .values({
      personId: actor.personId,
      kind: "quiz",
      questions,
      answers: questions.map(() => null),
      total: questions.length,
      passPct: pct,
      status: "open",
      startedAt: now,
    })
    .returning()
    .get();
  sendQuestion(services, a, 1);
  return `📝 上岗考核开始：共 ${a.total} 题单选，答对 ${pct}%（至少 ${needed(a.total, pct)} 题）及格（《制度》第十四条(二)1）。题目已私信发送，点选项作答，或发送 /exam answer <题号> <选项>`;
}

export interface AnswerResult {
  /** The answered question's card, now showing the choice. */
  card: CardView;
  toast: string;
  /** The last answer: the attempt is scored. */
  finished: boolean;
}

/**
 * Records the answer to question `n`. `attemptId` comes from a card button (undefined for the typed form,
 * which answers the person's open attempt). Sends the next question, or the result after the last.
 */
export function answer(
  services: Services,
  actor: Actor,
  x: { attemptId?: number; n: number; choice: string | undefined; clickedMessageId?: string },
): AnswerResult {
  const a =
    x.attemptId === undefined
      ? openAttempt(services.db, actor.personId)
      : findAttempt(services.db, x.attemptId);
  if (!a) throw new UserError("你现在没有进行中的上岗考核，发送 /exam 开始");
  if (a.personId !== actor.personId) throw new UserError("这是别人的考题，不能代答");
  if (a.status !== "open")
    throw new UserError("这次考核已经结束。发送 /exam results 查看成绩，或 /exam 重新考核");
  if (!Number.isInteger(x.n) || x.n < 1 || x.n > a.total) throw new UserError(`题号应为 1–${a.total}`);
  const q = question(a, x.n);
  const current = a.answers.indexOf(null) + 1;
  if (a.answers[x.n - 1] !== null) throw new UserError(`第 ${x.n} 题已作答：${a.answers[x.n - 1]}`);
  if (x.n !== current) throw new UserError(`请先回答第 ${current} 题`);
  const choice = parseChoice(x.choice, q);
  if (!choice) throw new UserError(`第 ${x.n} 题的选项是 ${q.options.map((_, i) => "ABCDEF"[i]).join("、")}`);
  const answers = a.answers.map((v, i) => (i === x.n - 1 ? choice : v));
  const done = answers.every((v) => v !== null);
  const now = services.clock.now();
  const correct = done
    ? answers.filter((v, i) => v === questionById(a.questions[i] ?? "")?.answer).length
    : null;
  const passed = done && correct !== null && correct * 100 >= a.passPct * a.total;
  const res = services.db
    .update(examAttempts)
    .set({
      answers,
      ...(done ? { correct, status: passed ? "passed" : "failed", finishedAt: now } : {}),
    })
    .where(
      and(eq(examAttempts.id, a.id), eq(examAttempts.status, "open"), eq(examAttempts.answers, a.answers)),
    )
    .run();
  if (res.changes !== 1) throw new UserError(`第 ${x.n} 题刚刚已作答`);
  const card = questionCard({ attemptId: a.id, n: x.n, total: a.total, q, chosen: choice });
  services.outbound.updateCards(examCardRef(a.id, x.n), card, x.clickedMessageId);
  const after = findAttempt(services.db, a.id) as Attempt;
  if (!done) {
    sendQuestion(services, after, x.n + 1);
    return { card, toast: `已作答第 ${x.n} 题：${choice}`, finished: false };
  }
  if (passed) armRefresh(services, after);
  services.outbound.toPerson(a.personId, { type: "text", text: resultText(services, after) });
  return { card, toast: passed ? "考核通过 ✅" : "考核未通过，详见私信", finished: true };
}

/** The result after the last answer: the score, and for a fail the clauses to reread (with question numbers). */
export function resultText(services: Services, a: Attempt): string {
  const score = `答对 ${a.correct ?? 0}/${a.total} 题（${scorePct(a)}%），及格线 ${a.passPct}%`;
  if (a.status === "passed") {
    const due = (a.finishedAt ?? 0) + services.policy.durationMs("exam.refresh");
    return `✅ 上岗考核通过：${score}。现在可以用 /submit 提交内容了。\n复训考核到期：${formatDateTime(due, services.tz)}（到期会提醒你）`;
  }
  const wrong = new Map<string, number[]>();
  a.questions.forEach((id, i) => {
    const q = questionById(id);
    if (!q || a.answers[i] === q.answer) return;
    wrong.set(q.clause, [...(wrong.get(q.clause) ?? []), i + 1]);
  });
  const reread = [...wrong.entries()].map(([clause, ns]) => `· 《制度》${clause}（第 ${ns.join("、")} 题）`);
  return [
    `❌ 上岗考核未通过：${score}。`,
    "请重读以下条款后再考：",
    ...reread,
    "准备好后发送 /exam 重新考核（题目重新抽取）",
  ].join("\n");
}

/**
 * `/exam record @某人 <分数>`: an assessment held in person (入职培训后的线下考核) recorded by an admin or
 * the 市场部门负责人. It counts like a quiz at the pass mark in force now.
 */
export function recordOffline(
  services: Services,
  personId: number,
  score: number,
  by: number,
  note: string,
): Attempt {
  const now = services.clock.now();
  const pct = passMark(services);
  const a = services.db
    .insert(examAttempts)
    .values({
      personId,
      kind: "offline",
      questions: [],
      answers: [],
      total: 100,
      correct: score,
      passPct: pct,
      status: score >= pct ? "passed" : "failed",
      startedAt: now,
      finishedAt: now,
      recordedBy: by,
      note: note || null,
    })
    .returning()
    .get();
  if (a.status === "passed") armRefresh(services, a);
  return a;
}
