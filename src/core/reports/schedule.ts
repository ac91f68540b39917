import { eq } from "drizzle-orm";
import { groupBindings } from "../../store/schema/index.ts";
import { cronJob } from "../cron-job.ts";
import type { ReportSection } from "../registry.ts";
import type { Services } from "../services.ts";
import type { Platform } from "../types.ts";
import { currentMonth, currentWeek, type Period } from "./period.ts";
import { prepareReport, recordSent, reportMessages } from "./send.ts";

/**
 * The weekly and monthly posts to the `ops` group (by default Monday 10:00 and the 1st at 10:00, rules
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
    period: (c: Services, now: number) => currentWeek(now, c.tz, 1),
  },
  {
    kind: TIMER_REPORT_MONTH,
    rule: "report.month.cron",
    period: (c: Services, now: number) => currentMonth(now, c.tz, 1),
  },
] as const;

/** Sends one report into every chat bound as `ops`, in that chat's platform's format. */
export function postReport(services: Services, period: Period, sections: readonly ReportSection[]): number {
  const chats = services.db.select().from(groupBindings).where(eq(groupBindings.purpose, "ops")).all();
  if (chats.length === 0) return 0;
  const prepared = prepareReport(services, period, sections);
  for (const c of chats) {
    const chat = { platform: c.platform as Platform, chatId: c.chatId };
    for (const m of reportMessages(prepared, services.outbound.can(chat.platform, "richCards")))
      services.outbound.toChat(chat, m);
  }
  recordSent(services, prepared, "cron", null);
  return chats.length;
}

export function registerReportSchedule(services: Services, sections: readonly ReportSection[]): void {
  for (const job of JOBS) {
    cronJob(services, {
      kind: job.kind,
      ref: "ops",
      rule: job.rule,
      run: () => {
        postReport(services, job.period(services, services.clock.now()), sections);
        return true;
      },
    });
  }
}
