import type { CardView } from "../types.ts";
import type { ReportData } from "./build.ts";
import { emptyText, reportFooter, reportSections, reportTitle } from "./format.ts";
import { periodText } from "./period.ts";

/** The report as a Feishu card (cards/feishu/report.json): every text in plain_text elements. */
export function reportCard(r: ReportData, chart: boolean): CardView {
  const title = reportTitle(r);
  return {
    template: "report",
    data: {
      headerTitle: title,
      subtitle: r.empty ? periodText(r.period) : `对比${r.period.prevNoun} ${periodText(r.period.prev)}`,
      headerColor: r.empty ? "grey" : "blue",
      summary: r.empty ? `${title}：${emptyText(r)}` : title,
      empty: r.empty,
      emptyText: emptyText(r),
      sections: r.empty ? [] : reportSections(r).map((s) => ({ title: s.title, text: s.lines.join("\n") })),
      footer: r.empty ? "没有登记数据、发布、审核、工单或危机记录" : reportFooter(r, chart),
    },
  };
}
