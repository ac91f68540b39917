import { formatDateTime } from "../time.ts";

/**
 * The planned-time example the /submit form shows: a week from now at 20:00 (the evening slot posts go
 * out in), so the example is always a time one could really plan for, never a date already past.
 */
export function plannedExample(now: number, tz: string): string {
  return `${formatDateTime(now + 7 * 86_400_000, tz).slice(0, 10)} 20:00`;
}
