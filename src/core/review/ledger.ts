import { stringify } from "csv-stringify/sync";
import { and, asc, gte, lt } from "drizzle-orm";
import { contentItems } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { chains } from "./chains.ts";
import { publicationsOf, stepsOf } from "./repo.ts";
import { type ItemStatus, STATUS_LABEL } from "./transitions.ts";

/** The ledger columns of seeds/003 模板2 (seeds/000 第八条(三)), in this order. */
export const LEDGER_COLUMNS = [
  "编号", "内容标题", "平台", "创作人", "提交时间", "修改次数",
  "一审人", "一审意见", "一审时间", "二审人", "二审意见", "二审时间", "三审人", "三审意见", "三审时间",
  "最终结果", "审核完成时间", "发布平台", "发布时间", "发布链接",
] as const; // biome-ignore format: one row of the spreadsheet

/**
 * 审核台账 for items submitted in [from, to): one row per item with its final revision's reviewers.
 * UTF-8 with BOM so Excel and WPS open the Chinese text correctly.
 */
export function ledgerCsv(d: Services, from: number, to: number): { csv: string; rows: number } {
  const items = d.db
    .select()
    .from(contentItems)
    .where(and(gte(contentItems.createdAt, from), lt(contentItems.createdAt, to)))
    .orderBy(asc(contentItems.id))
    .all()
    .filter((i) => i.kind === "content");
  const fmt = (ms: number | null | undefined) => (ms ? formatDateTime(ms, d.tz) : "");
  const rows = items.map((item) => {
    const steps = stepsOf(d.db, item.id, item.revision);
    const columns = chains[item.chain]?.steps ?? [];
    const reviewers: string[] = [];
    for (const col of [1, 2, 3]) {
      const key = columns.find((s) => s.ledgerColumn === col)?.key;
      const s = steps.find((x) => x.stepKey === key && (x.status === "approved" || x.status === "rejected"));
      reviewers.push(s?.decidedBy ? d.people.name(s.decidedBy) : "", s?.opinion ?? "", fmt(s?.decidedAt));
    }
    const pubs = publicationsOf(d.db, item.id);
    const finished = item.status === "in_review" ? null : item.finishedAt;
    return [
      `#${item.id}`,
      item.title,
      item.platforms.map(platformLabel).join("、"),
      d.people.name(item.authorId),
      fmt(item.createdAt),
      String(item.revision - 1),
      ...reviewers,
      STATUS_LABEL[item.status as ItemStatus],
      fmt(finished),
      pubs.map((p) => platformLabel(p.platform)).join("；"),
      pubs.map((p) => fmt(p.publishedAt)).join("；"),
      pubs.map((p) => p.link ?? "").join("；"),
    ];
  });
  const csv = `\uFEFF${stringify([[...LEDGER_COLUMNS], ...rows.map((r) => r.map(inertCell))])}`;
  return { csv, rows: rows.length };
}

/** A cell starting with = + - @ would run as a formula in Excel/WPS; a leading apostrophe keeps it text. */
function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
