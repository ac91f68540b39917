import type { Core } from "../core.ts";
import { reportCommands } from "./commands.ts";
import { registerReportSchedule } from "./schedule.ts";

/** Reports (seeds/000 第十条(二)): /report, /周报, /月报, and the scheduled weekly and monthly posts to the ops group. */
export function registerReports(core: Core): void {
  core.commands.add(...reportCommands);
  registerReportSchedule(core);
}
