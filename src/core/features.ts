import { accounts } from "./accounts/index.ts";
import { admin } from "./admin/index.ts";
import { archive } from "./archive/index.ts";
import { compliance } from "./compliance/index.ts";
import { crisis } from "./crisis/index.ts";
import { drill } from "./drill/index.ts";
import { exam } from "./exam/index.ts";
import type { Feature } from "./feature.ts";
import { feedback } from "./feedback/index.ts";
import { kpi } from "./kpi/index.ts";
import { metrics } from "./metrics/index.ts";
import { people } from "./people/index.ts";
import { rectify } from "./rectify/index.ts";
import { reports } from "./reports/index.ts";
import { review } from "./review/index.ts";
import { sla } from "./sla/index.ts";
import { spotcheck } from "./spotcheck/index.ts";

/**
 * Every feature of the bot, in order. The order is visible to users: /help lists commands in it, and the
 * digest and reports show breach groups and sections in it. A feature that needs another's service
 * (`registry.need`) comes after it: review before crisis, archive, exam and metrics.
 */
export const features: readonly Feature[] = [
  admin,
  review,
  compliance,
  feedback,
  sla,
  crisis,
  metrics,
  reports,
  archive,
  exam,
  rectify,
  spotcheck,
  drill,
  kpi,
  accounts,
  people,
];
