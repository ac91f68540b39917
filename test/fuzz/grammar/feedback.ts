/** The grammar of customer feedback tickets: /feedback, /tickets, /done, /sla. */
import fc from "fast-check";
import { type BadCase, bad, badNumber, type Case, c, opt, pick, STORES, U, words } from "./vocab.ts";

const ticketRef = fc.constantFrom("T-1", "t1", "T1", "1", "T-2");

export const feedbackCommands: Record<string, fc.Arbitrary<Case>> = {
  feedback: c(
    "outsider",
    "feedback",
    fc.tuple(pick(["/feedback", "/反馈"]), opt(pick(STORES)), words(5)).map(([s, st, t]) => `${s}${st} ${t}`),
  ),
  tickets: c("mei", "tickets", pick(["/tickets", "/工单"])),
  done: c(
    "mei",
    "done",
    fc.tuple(pick(["/done", "/处理", "/已处理"]), ticketRef, words(3)).map(([s, t, n]) => `${s} ${t} ${n}`),
  ),
  sla: c("outsider", "sla", pick(["/sla", "/超时"])),
};

export const feedbackBad: fc.Arbitrary<BadCase>[] = [
  bad(
    "outsider",
    "feedback",
    U,
    fc.oneof(
      fc.constant("/feedback"),
      pick(STORES).map((s) => `/反馈 ${s}`),
    ),
  ),
  bad(
    "mei",
    "done",
    U,
    fc.oneof(
      pick(["/done", "/done T-1", "/处理 T-1 "]),
      badNumber.filter((n) => !/^T-|^１$/.test(n)).map((n) => `/done ${n} 已回访`),
    ),
  ),
];
