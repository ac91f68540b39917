import { eq } from "drizzle-orm";
import { examGrace } from "../../store/schema/index.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { lastPass } from "./repo.ts";
import { needed, passMark, questionCount } from "./settings.ts";

/**
 * 考核合格后方可上岗 (《制度》第十四条(二)1): a holder of `ops` who has not passed the 上岗考核 cannot submit
 * content. Holders who had the role before the exam was switched on (the rollout) are "existing": by
 * `exam.existing` they either must pass too, with `exam.grace` (7 天) to do it, or are exempt. A pass does
 * not expire for submitting: the `exam.refresh` refresher is a reminder duty, not a gate.
 */

export const EXEMPT = "免考";
export const REQUIRED = "必考";

export type ExamStanding =
  | { kind: "not_required" }
  | { kind: "passed"; at: number }
  | { kind: "exempt" }
  | { kind: "grace"; until: number }
  | { kind: "required"; graceEnded?: number };

export function examStanding(services: Services, personId: number, now: number): ExamStanding {
  if (!services.people.hasRole(personId, "ops")) return { kind: "not_required" };
  const pass = lastPass(services.db, personId);
  if (pass) return { kind: "passed", at: pass.finishedAt ?? pass.startedAt };
  const grace = services.db.select().from(examGrace).where(eq(examGrace.personId, personId)).get();
  if (!grace) return { kind: "required" };
  if (services.policy.get("exam.existing") === EXEMPT) return { kind: "exempt" };
  const until = grace.since + services.policy.durationMs("exam.grace");
  return now < until ? { kind: "grace", until } : { kind: "required", graceEnded: until };
}

/** How to take the exam, in one line. */
export function howToTake(services: Services): string {
  const n = questionCount(services);
  const pct = passMark(services);
  return `发送 /exam 开始考核：共 ${n} 题单选，答对 ${pct}%（至少 ${needed(n, pct)} 题）及格，题目以私信发送`;
}

/** Throws the refusal, with the way to take the exam, when the person may not submit content yet. */
export function requireExamPassed(services: Services, personId: number): void {
  const s = examStanding(services, personId, services.clock.now());
  if (s.kind !== "required") return;
  const ended = s.graceEnded ? `（宽限期已于 ${formatDateTime(s.graceEnded, services.tz)} 结束）` : "";
  throw new UserError(
    `你还没有通过上岗考核，暂不能提交内容${ended}。《制度》第十四条(二)1：新运营人员考核合格后方可上岗。\n${howToTake(services)}`,
  );
}
