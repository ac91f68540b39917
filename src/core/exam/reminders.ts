import type { TimerRow } from "../../scheduler/timers.ts";
import type { Core } from "../core.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { describeDuration, formatDateTime } from "../time.ts";
import { EXEMPT, examStanding, howToTake } from "./gate.ts";
import { type Attempt, lastPass } from "./repo.ts";

/**
 * Reminders of the 上岗考核: the grace notice and its reminder for existing holders, and the refresher
 * due `exam.refresh` after each pass (《制度》第十四条(二)2). Durable timers, after quiet hours like every
 * non-crisis reminder; `rule` + `basis` let `/policy set` move the ones not yet fired.
 */

export const TIMER_GRACE_NOTICE = "exam.grace.notice";
export const TIMER_GRACE_REMIND = "exam.grace.remind";
export const TIMER_REFRESH = "exam.refresh";

export function armGraceReminders(core: Core, personId: number, since: number): void {
  const ref = String(personId);
  core.timers.schedule(TIMER_GRACE_NOTICE, ref, since, { since });
  const before = core.policy.durationMs("exam.grace.remind");
  const end = since + core.policy.durationMs("exam.grace");
  // basis: the reminder moves with a new exam.grace (fireAt = basis + grace).
  if (end - before > since)
    core.timers.schedule(TIMER_GRACE_REMIND, ref, end - before, {
      rule: "exam.grace",
      basis: since - before,
    });
}

export function armRefresh(core: Core, a: Attempt): void {
  const at = a.finishedAt ?? a.startedAt;
  core.timers.schedule(TIMER_REFRESH, String(a.personId), at + core.policy.durationMs("exam.refresh"), {
    rule: "exam.refresh",
    basis: at,
  });
}

function graceText(core: Core, until: number, first: boolean): string {
  const lead = first
    ? "📝 上岗考核已上线（《制度》第十四条(二)1：考核合格后方可上岗）。你已是运营专员，"
    : "⏰ 提醒：";
  return `${lead}请在 ${formatDateTime(until, core.tz)} 前通过上岗考核，之后未通过将不能提交内容。\n${howToTake(core)}`;
}

export function registerExamTimers(core: Core): void {
  const deps = { timers: core.timers, policy: core.policy, tz: core.tz };
  const onGrace = (first: boolean) => (t: TimerRow) => {
    const personId = Number(t.ref);
    const s = examStanding(core, personId, core.clock.now());
    if (s.kind !== "grace" || core.policy.get("exam.existing") === EXEMPT) return;
    if (deferIfQuiet(t, core.clock.now(), deps)) return;
    core.outbound.toPerson(personId, { type: "text", text: graceText(core, s.until, first) });
  };
  core.timers.on(TIMER_GRACE_NOTICE, onGrace(true));
  core.timers.on(TIMER_GRACE_REMIND, onGrace(false));
  core.timers.on(TIMER_REFRESH, (t: TimerRow) => {
    const personId = Number(t.ref);
    const pass = lastPass(core.db, personId);
    // Only for current ops holders whose latest pass is the one this timer counts from.
    if (!pass || !core.people.hasRole(personId, "ops")) return;
    const passedAt = pass.finishedAt ?? pass.startedAt;
    if (passedAt !== Number(t.payload.basis)) return;
    if (deferIfQuiet(t, core.clock.now(), deps)) return;
    core.outbound.toPerson(personId, {
      type: "text",
      text: `📝 上岗考核复训到期：你上次通过是 ${formatDateTime(passedAt, core.tz)}，按规定每 ${describeDuration(core.policy.durationMs("exam.refresh"))} 复训考核一次（《制度》第十四条(二)2）。\n${howToTake(core)}`,
    });
  });
}
