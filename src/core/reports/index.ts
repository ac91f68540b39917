import type { Feature } from "../feature.ts";
import { reportCommands } from "./commands.ts";
import { registerReportSchedule } from "./schedule.ts";

/** Reports (seeds/000 第十条(二)): /report, /周报, /月报, and the scheduled weekly and monthly posts to the ops group. */
export const reports: Feature = {
  name: "reports",
  apply(r, services) {
    r.command(...reportCommands(r.reportSections));
    registerReportSchedule(services, r.reportSections);
  },
};
