import { Cron } from "croner";
import type { TimerRow } from "../scheduler/timers.ts";
import type { Services } from "./services.ts";

/** Next time the cron fires after `from`, in the bot's time zone. */
export function nextCronTime(expr: string, from: number, tz: string): number {
  const next = new Cron(expr, { timezone: tz, paused: true }).nextRun(new Date(from));
  if (!next) throw new Error(`cron ${expr} never fires`);
  return next.getTime();
}

export interface CronJob {
  /** The timer kind, e.g. "digest.daily". */
  kind: string;
  /** The timer's ref (one timer per kind and ref). */
  ref: string;
  /** The policy rule holding the cron expression (`/policy set` re-arms the job). */
  rule: string;
  /** The work, in the sweep's transaction. Returns false when it deferred itself (quiet hours). */
  run(timer: TimerRow): boolean | undefined;
  /** Run after every other timer due in the same sweep (the digest reports what the sweep recorded). */
  afterOthers?: boolean;
}

/**
 * A scheduled job (the daily digest, the weekly report, the monthly purge…) on a durable timer re-armed
 * from its rule after each run: a restart neither skips nor repeats a run (one missed while the bot was
 * down happens once at start-up), and changing the rule re-arms it at once.
 */
export function cronJob(services: Services, job: CronJob): void {
  const arm = (from: number) =>
    services.timers.schedule(
      job.kind,
      job.ref,
      nextCronTime(services.policy.get(job.rule), from, services.tz),
    );
  services.timers.on(
    job.kind,
    (t) => {
      if (job.run(t) === false) return;
      arm(services.clock.now());
    },
    { afterOthers: job.afterOthers ?? false },
  );
  services.policy.onChange((key) => {
    if (key === job.rule) arm(services.clock.now());
  });
  if (!services.timers.pending(job.kind, job.ref)) arm(services.clock.now());
}
