import { reportsSent } from "../../store/schema/index.ts";
import type { ReportSection } from "../registry.ts";
import type { Services } from "../services.ts";
import type { OutMessage } from "../types.ts";
import { buildReport, type ReportData } from "./build.ts";
import { renderChart } from "./chart.ts";
import { reportCsv, reportText } from "./format.ts";
import type { Period } from "./period.ts";
import { reportCard } from "./view.ts";

/** A report ready to send: the numbers, and the chart when there is one. */
export interface Prepared {
  data: ReportData;
  png: Buffer | undefined;
}

/**
 * Computes the report and draws its chart. A chart that fails to draw must not cost the team its report
 * (nor make a scheduled post retry forever), so the report then goes out without it.
 */
export function prepareReport(
  services: Services,
  period: Period,
  sections: readonly ReportSection[],
): Prepared {
  const data = buildReport(services, period);
  const extra = sections.flatMap((section) => section(services, period) ?? []);
  if (extra.length > 0) {
    data.extra = extra;
    data.empty = false;
  }
  if (data.empty) return { data, png: undefined };
  try {
    return { data, png: renderChart(data) };
  } catch (err) {
    services.log.error({ err, period: period.label }, "report chart could not be drawn");
    return { data, png: undefined };
  }
}

/**
 * What one chat gets: a card where cards are free-layout (`richCards`), text elsewhere, then the chart
 * as an image.
 */
export function reportMessages(p: Prepared, richCards: boolean): OutMessage[] {
  const chart = p.png !== undefined;
  const main: OutMessage = richCards
    ? { type: "card", card: reportCard(p.data, chart) }
    : { type: "text", text: reportText(p.data, chart) };
  if (!p.png) return [main];
  const name = `${p.data.period.kind === "week" ? "周报" : "月报"}-${p.data.period.label}.png`;
  return [main, { type: "image", fileName: name, base64: p.png.toString("base64") }];
}

export function csvMessage(p: Prepared): OutMessage {
  const name = `${p.data.period.kind === "week" ? "周报" : "月报"}-${p.data.period.label}.csv`;
  return { type: "file", fileName: name, base64: Buffer.from(reportCsv(p.data), "utf8").toString("base64") };
}

/** Archives the report as sent (seeds/000 第十二条(一) 周月报): its plain text, period and what triggered it. */
export function recordSent(
  services: Services,
  p: Prepared,
  trigger: "cron" | "command",
  by: number | null,
): void {
  services.db
    .insert(reportsSent)
    .values({
      kind: p.data.period.kind,
      period: p.data.period.label,
      trigger,
      requestedBy: by,
      text: reportText(p.data, p.png !== undefined),
      createdAt: services.clock.now(),
    })
    .run();
}
