import type { CardView } from "../types.ts";
import { LETTERS, optionLines, type Question } from "./bank.ts";

/** The question card (template `exam_question`): the question, its options as buttons, or the choice made. */

export const examCardRef = (attemptId: number, n: number) => `exam:${attemptId}:${n}`;

export function questionCard(x: {
  attemptId: number;
  n: number;
  total: number;
  q: Question;
  chosen?: string | null;
  ended?: boolean;
}): CardView {
  const open = !x.chosen && !x.ended;
  const state = x.chosen ? `已作答：${x.chosen}` : x.ended ? "本次考核已结束" : "";
  return {
    template: "exam_question",
    data: {
      headerTitle: `📝 上岗考核 第 ${x.n}/${x.total} 题${state ? ` · ${state}` : ""}`,
      headerColor: open ? "blue" : "grey",
      summary: `上岗考核 第 ${x.n}/${x.total} 题`,
      question: x.q.question,
      options: optionLines(x.q.options),
      notice: open ? `点选项作答，或发送 /exam answer ${x.n} <选项>（例如 /exam answer ${x.n} A）` : state,
      hint: open ? "点下方选项作答" : state,
      open,
      choices: open
        ? x.q.options.map((_, i) => ({
            letter: LETTERS[i],
            value: { a: "exam.answer", t: x.attemptId, n: x.n, o: LETTERS[i] },
          }))
        : [],
    },
  };
}
