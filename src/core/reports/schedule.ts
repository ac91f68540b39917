import { eq } from "drizzle-orm";
import { groupBindings } from "../../store/schema/index.ts";
import type { Core } from "../core.ts";
import { nextCronTime } from "../sla/digest.ts";
import type { Platform } from "../types.ts";
import { currentMonth, currentWeek, type Period } from "./period.ts";
import { prepareReport, recordSent, reportMessages } from "./send.ts";

/**
 * The weekly and monthly posts to the `ops` group (SPEC §8: Monday 10:00 and the 1st at 10:00, rules
 * report.week.cron / report.month.cron). Like the digest, each is a durable timer re-armed after it runs,
 * so a post missed while the bot was down goes out once at start-up, never twice. A post covers the last
 * complete period before it fires: the previous ISO week, the previous month.
 */
export const TIMER_REPORT_WEEK = "report.week";
export const TIMER_REPORT_MONTH = "report.month";

const JOBS = [
  {
    kind: TIMER_REPORT_WEEK,
    rule: "report.week.cron",
    period: (c: Core, now: number) => currentWeek(now, c.tz, 1),
  },
  {
    kind: TIMER_REPORT_MONTH,
    rule: "report.month.cron",
    period: (c: Core, now: number) => currentMonth(now, c.tz, 1),
  },
] as const;

/** Sends one report into every chat bound as `ops`, in that chat's platform's format. */
export function postReport(core: Core, period: Period): number {
  const chats = core.db.select().from(groupBindings).where(eq(groupBindings.purpose, "ops")).all();
  if (chats.length === 0) return 0;
  const prepared = prepareReport(core, period);
  for (const c of chats) {
    const chat = { platform: c.platform as Platform, chatId: c.chatId };
    for (const m of reportMessages(prepared, core.outbound.can(chat.platform, "richCards")))
      core.outbound.toChat(chat, m);
  }
  recordSent(core, prepared, "cron", null);
  return chats.length;
}

export function registerReportSchedule(core: Core): void {
  for (const job of JOBS) {
    const arm = (from: number) =>
      core.timers.schedule(job.kind, "ops", nextCronTime(core.policy.get(job.rule), from, core.tz));
    core.timers.on(job.kind, () => {
      const now = core.clock.now();
      postReport(core, job.period(core, now));
      arm(now);
    });
    core.policy.onChange((key) => {
      if (key === job.rule) arm(core.clock.now());
    });
    if (!core.timers.pending(job.kind, "ops")) arm(core.clock.now());
  }
}
