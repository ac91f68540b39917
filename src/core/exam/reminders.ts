import type { TimerRow } from "../../scheduler/timers.ts";
import type { Services } from "../services.ts";
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

export function armGraceReminders(services: Services, personId: number, since: number): void {
  const ref = String(personId);
  services.timers.schedule(TIMER_GRACE_NOTICE, ref, since, { since });
  const before = services.policy.durationMs("exam.grace.remind");
  const end = since + services.policy.durationMs("exam.grace");
  // basis: the reminder moves with a new exam.grace (fireAt = basis + grace).
  if (end - before > since)
    services.timers.schedule(TIMER_GRACE_REMIND, ref, end - before, {
      rule: "exam.grace",
      basis: since - before,
    });
}

export function armRefresh(services: Services, a: Attempt): void {
  const at = a.finishedAt ?? a.startedAt;
  services.timers.schedule(
    TIMER_REFRESH,
    String(a.personId),
    at + services.policy.durationMs("exam.refresh"),
    {
      rule: "exam.refresh",
      basis: at,
    },
  );
}

function graceText(services: Services, until: number, first: boolean): string {
  const lead = first
    ? "📝 上岗考核已上线（《制度》第十四条(二)1：考核合格后方可上岗）。你已是运营专员，"
    : "⏰ 提醒：";
  return `${lead}请在 ${formatDateTime(until, services.tz)} 前通过上岗考核，之后未通过将不能提交内容。\n${howToTake(services)}`;
}

export function registerExamTimers(services: Services): void {
  const deps = { timers: services.timers, policy: services.policy, tz: services.tz };
  const onGrace = (first: boolean) => (t: TimerRow) => {
    const personId = Number(t.ref);
    const s = examStanding(services, personId, services.clock.now());
    if (s.kind !== "grace" || services.policy.get("exam.existing") === EXEMPT) return;
    if (deferIfQuiet(t, services.clock.now(), deps)) return;
    services.outbound.toPerson(personId, { type: "text", text: graceText(services, s.until, first) });
  };
  services.timers.on(TIMER_GRACE_NOTICE, onGrace(true));
  services.timers.on(TIMER_GRACE_REMIND, onGrace(false));
  services.timers.on(TIMER_REFRESH, (t: TimerRow) => {
    const personId = Number(t.ref);
    const pass = lastPass(services.db, personId);
    // Only for current ops holders whose latest pass is the one this timer counts from.
    if (!pass || !services.people.hasRole(personId, "ops")) return;
    const passedAt = pass.finishedAt ?? pass.startedAt;
    if (passedAt !== Number(t.payload.basis)) return;
    if (deferIfQuiet(t, services.clock.now(), deps)) return;
    services.outbound.toPerson(personId, {
      type: "text",
      text: `📝 上岗考核复训到期：你上次通过是 ${formatDateTime(passedAt, services.tz)}，按规定每 ${describeDuration(services.policy.durationMs("exam.refresh"))} 复训考核一次（《制度》第十四条(二)2）。\n${howToTake(services)}`,
    });
  });
}
