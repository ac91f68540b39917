import { stringify } from "csv-stringify/sync";
import { findingLabel } from "../compliance/check.ts";
import { metricLabel } from "../metrics/keys.ts";
import { formatCount, formatPercent, ratioPct } from "../metrics/numbers.ts";
import { platformLabel } from "../people/catalog.ts";
import { describeDuration, formatDateTime } from "../time.ts";
import type { PlatformFigures, ReportData, Section } from "./build.ts";

export type { Section };

import { periodText } from "./period.ts";
import type { ContentRank } from "./queries.ts";

/** A report as people read it: titled sections of lines, shared by the Feishu card and the plain text. */

export function reportTitle(r: ReportData): string {
  return `📊 运营${r.period.kind === "week" ? "周报" : "月报"} ${periodText(r.period)}`;
}

/** "本周暂无数据" / "本月暂无数据" (a period with no data says so plainly, never NaN). */
export const emptyText = (r: ReportData) => `${r.period.noun}暂无数据`;

/** Change against the previous period: ↑8.2% / ↓3.1% / 持平; never a division by zero. */
export function change(cur: number, prev: number, prevNoun: string): string {
  if (prev === 0) return cur === 0 ? "—" : `${prevNoun}为 0`;
  if (cur === prev) return "持平";
  const pct = ((cur - prev) / prev) * 100;
  return `${pct > 0 ? "↑" : "↓"}${formatPercent(Math.abs(pct))}`;
}

/** Change of a rate in percentage points; "—" when either side has no rate. */
export function rateChange(cur: number | undefined, prev: number | undefined): string {
  if (cur === undefined || prev === undefined) return "—";
  const pp = Math.round((cur - prev) * 10) / 10;
  if (pp === 0) return "持平";
  return `${pp > 0 ? "↑" : "↓"}${formatPercent(Math.abs(pp)).replace("%", "")}个百分点`;
}

/** Durations for people, to the minute (timestamps carry seconds nobody wants to read in a report); under a minute is 不到1分钟, never 0秒. */
const minutes = (ms: number) =>
  ms < 60_000 ? "不到1分钟" : describeDuration(Math.round(ms / 60_000) * 60_000);
const rateText = (rate: number | undefined) => (rate === undefined ? "—" : formatPercent(rate));
const shareText = (part: number, whole: number) => {
  const pct = ratioPct(part, whole);
  return pct === undefined ? "—" : `${formatPercent(pct)}（${part}/${whole}）`;
};

function platformLines(r: ReportData): string[] {
  const vs = r.period.prevNoun;
  return r.platforms.flatMap((p) => {
    const target =
      p.target === undefined
        ? ""
        : ` / 目标 ${p.target}${p.cur.posts >= p.target ? " ✅" : r.now >= r.period.end ? " ❌" : " ⏳"}`;
    const head = `${p.label}：发布 ${p.cur.posts} 篇${target}（${vs} ${p.prev.posts} 篇）`;
    if (!p.logged) return [head, "　未登记平台数据"];
    const c: PlatformFigures = p.cur;
    const v: PlatformFigures = p.prev;
    return [
      head,
      `　曝光 ${formatCount(c.exposure)}（${change(c.exposure, v.exposure, vs)}）｜互动量 ${formatCount(c.interactions)}（${change(c.interactions, v.interactions, vs)}）`,
      `　互动率 ${rateText(c.rate)}（${rateChange(c.rate, v.rate)}）｜关注 ${formatCount(c.follows)}（${change(c.follows, v.follows, vs)}）`,
    ];
  });
}

function storeLines(r: ReportData): string[] {
  if (r.stores.length === 0) return [`${r.period.noun}未登记门店数据`];
  return r.stores.map(
    (s) =>
      `${s.name}：到店 ${formatCount(s.visits)}｜预约 ${formatCount(s.bookings)}｜套餐 ${formatCount(s.packages)}｜好评率 ${rateText(s.positiveRate)}｜差评 ${formatCount(s.negatives)}`,
  );
}

function reviewLines(r: ReportData): string[] {
  const v = r.review;
  const lines = [
    `提交 ${v.submitted} 篇（重新提交 ${v.resubmitted} 次）｜审核通过 ${v.approved} 篇｜驳回 ${v.rejected} 次`,
    `一次通过率 ${shareText(v.firstPassed, v.firstDecided)}`,
    v.medians.length === 0
      ? "各环节用时：本期没有审核决定"
      : `各环节用时（中位数）：${v.medians.map((m) => `${m.label} ${minutes(m.medianMs)}`).join("｜")}`,
  ];
  const total = v.findings.reduce((s, f) => s + f.n, 0);
  lines.push(
    total === 0
      ? "合规预审：未发现问题"
      : `合规预审发现 ${total} 处（涉及 ${v.findingItems} 篇）：${v.findings.map((f) => `${findingLabel(f.category)} ${f.n}`).join("、")}`,
  );
  return lines;
}

function ticketLines(r: ReportData): string[] {
  const t = r.tickets;
  const total = t.positive + t.neutral + t.negative;
  return [
    `工单 ${total} 个：好评 ${t.positive}、中性 ${t.neutral}、差评 ${t.negative}`,
    `首次响应按时率 ${shareText(t.onTime, t.owed)}｜${r.period.noun}超时 ${t.breached} 个｜目前仍超时未处理 ${t.openBreaches} 个`,
  ];
}

function crisisLines(r: ReportData): string[] {
  const c = r.crises;
  const total = c.tier1 + c.tier2 + c.tier3;
  if (total === 0) return [`${r.period.noun}无危机事件`];
  const ack =
    c.ackAvgMs === null
      ? "尚无人确认"
      : `平均确认用时 ${minutes(c.ackAvgMs)}（最长 ${minutes(c.ackMaxMs ?? 0)}）`;
  return [
    `危机 ${total} 起：一级 ${c.tier1}、二级 ${c.tier2}、三级 ${c.tier3}`,
    `${ack}｜按时处置 ${c.containedOnTime} 起、超时 ${c.containLate} 起、处置中 ${c.containRunning} 起`,
  ];
}

const itemName = (c: { itemId: number; title: string }) => `#${c.itemId}《${c.title}》`;
const platformsOf = (c: ContentRank) => {
  try {
    return (JSON.parse(c.platforms) as string[]).map(platformLabel).join("、");
  } catch {
    return "";
  }
};

function contentLines(r: ReportData): string[] {
  if (r.topExposure.length === 0 && r.below.total === 0) return [`${r.period.noun}发布的内容还没有登记数据`];
  const lines: string[] = [];
  if (r.topExposure.length > 0) {
    lines.push("曝光 Top 3：");
    r.topExposure.forEach((c, i) => {
      lines.push(`${i + 1}. ${itemName(c)}（${platformsOf(c)}）曝光 ${formatCount(c.exposure)}`);
    });
    lines.push("互动率 Top 3：");
    r.topRate.forEach((c, i) => {
      const inter = c.interactions ?? 0;
      lines.push(
        `${i + 1}. ${itemName(c)}（${platformsOf(c)}）${rateText(ratioPct(inter, c.exposure))}（互动量 ${formatCount(inter)} / 曝光 ${formatCount(c.exposure)}）`,
      );
    });
  }
  if (r.below.total === 0) {
    lines.push("未达目标：无");
  } else {
    lines.push(`未达目标（${r.below.total} 项）：`);
    for (const b of r.below.rows) {
      const label = metricLabel(b.key);
      const pct = b.actual === null ? undefined : ratioPct(b.actual, b.target);
      lines.push(
        b.actual === null
          ? `${itemName(b)}${label}目标 ${formatCount(b.target)}，未登记数据`
          : `${itemName(b)}${label}达成率 ${rateText(pct)}（${formatCount(b.actual)}/${formatCount(b.target)}）`,
      );
    }
    if (r.below.total > r.below.rows.length) lines.push(`…另有 ${r.below.total - r.below.rows.length} 项`);
  }
  return lines;
}

export function reportSections(r: ReportData): Section[] {
  return [
    { title: `平台（与${r.period.prevNoun}相比）`, lines: platformLines(r) },
    { title: "门店", lines: storeLines(r) },
    { title: "内容审核", lines: reviewLines(r) },
    { title: "客户反馈", lines: ticketLines(r) },
    { title: "危机", lines: crisisLines(r) },
    { title: "内容表现", lines: contentLines(r) },
    ...(r.extra ?? []),
  ];
}

export function reportFooter(r: ReportData, chart: boolean): string {
  const cmd =
    r.period.kind === "week" ? `/report week ${r.period.label} csv` : `/report month ${r.period.label} csv`;
  const chartNote = chart ? "每日曝光与互动量图表见下一条消息；" : "本期没有平台每日数据，未生成图表；";
  return `${chartNote}导出 CSV：${cmd}。生成于 ${formatDateTime(r.now, r.tz)}`;
}

/** The plain-text (markdown-like) report for channels without cards, and for the archive. */
export function reportText(r: ReportData, chart: boolean): string {
  if (r.empty) return `${reportTitle(r)}\n${emptyText(r)}`;
  const body = reportSections(r).flatMap((s) => ["", `【${s.title}】`, ...s.lines]);
  return [reportTitle(r), ...body, "", reportFooter(r, chart)].join("\n");
}

/** The same numbers as CSV (UTF-8 with BOM, as the ledger: opens in Excel/WPS). */
export function reportCsv(r: ReportData): string {
  const rows: (string | number)[][] = [["分区", "对象", "指标", r.period.noun, r.period.prevNoun, "变化"]];
  const num = (x: number | undefined) => (x === undefined ? "" : Math.round(x * 10) / 10);
  if (r.empty) rows.push(["说明", "", emptyText(r), "", "", ""]);
  else {
    for (const p of r.platforms) {
      const vs = r.period.prevNoun;
      rows.push([
        "平台",
        p.label,
        "发布篇数",
        p.cur.posts,
        p.prev.posts,
        change(p.cur.posts, p.prev.posts, vs),
      ]);
      if (p.target !== undefined) rows.push(["平台", p.label, "发布目标", p.target, "", ""]);
      rows.push([
        "平台",
        p.label,
        "曝光",
        p.cur.exposure,
        p.prev.exposure,
        change(p.cur.exposure, p.prev.exposure, vs),
      ]);
      rows.push([
        "平台",
        p.label,
        "互动量",
        p.cur.interactions,
        p.prev.interactions,
        change(p.cur.interactions, p.prev.interactions, vs),
      ]);
      rows.push([
        "平台",
        p.label,
        "互动率(%)",
        num(p.cur.rate),
        num(p.prev.rate),
        rateChange(p.cur.rate, p.prev.rate),
      ]);
      rows.push([
        "平台",
        p.label,
        "关注",
        p.cur.follows,
        p.prev.follows,
        change(p.cur.follows, p.prev.follows, vs),
      ]);
    }
    for (const s of r.stores) {
      rows.push(["门店", s.name, "到店", s.visits, "", ""]);
      rows.push(["门店", s.name, "预约", s.bookings, "", ""]);
      rows.push(["门店", s.name, "套餐", s.packages, "", ""]);
      rows.push(["门店", s.name, "好评率(%)", num(s.positiveRate), "", ""]);
      rows.push(["门店", s.name, "差评", s.negatives, "", ""]);
    }
    const v = r.review;
    rows.push(["内容审核", "", "提交", v.submitted, "", ""]);
    rows.push(["内容审核", "", "重新提交", v.resubmitted, "", ""]);
    rows.push(["内容审核", "", "审核通过", v.approved, "", ""]);
    rows.push(["内容审核", "", "驳回", v.rejected, "", ""]);
    rows.push(["内容审核", "", "一次通过率(%)", num(ratioPct(v.firstPassed, v.firstDecided)), "", ""]);
    for (const m of v.medians)
      rows.push(["内容审核", m.label, "用时中位数(分钟)", num(m.medianMs / 60_000), "", ""]);
    for (const f of v.findings) rows.push(["内容审核", "合规预审", findingLabel(f.category), f.n, "", ""]);
    const t = r.tickets;
    rows.push(["客户反馈", "", "好评", t.positive, "", ""]);
    rows.push(["客户反馈", "", "中性", t.neutral, "", ""]);
    rows.push(["客户反馈", "", "差评", t.negative, "", ""]);
    rows.push(["客户反馈", "", "首次响应按时率(%)", num(ratioPct(t.onTime, t.owed)), "", ""]);
    rows.push(["客户反馈", "", "超时", t.breached, "", ""]);
    rows.push(["客户反馈", "", "目前仍超时未处理", t.openBreaches, "", ""]);
    const c = r.crises;
    rows.push(["危机", "", "一级", c.tier1, "", ""]);
    rows.push(["危机", "", "二级", c.tier2, "", ""]);
    rows.push(["危机", "", "三级", c.tier3, "", ""]);
    rows.push([
      "危机",
      "",
      "平均确认用时(分钟)",
      c.ackAvgMs === null ? "" : num(c.ackAvgMs / 60_000),
      "",
      "",
    ]);
    rows.push(["危机", "", "按时处置", c.containedOnTime, "", ""]);
    rows.push(["危机", "", "超时处置", c.containLate, "", ""]);
    rows.push(["危机", "", "处置中", c.containRunning, "", ""]);
    for (const x of r.topExposure) rows.push(["曝光Top3", itemName(x), "曝光", x.exposure, "", ""]);
    for (const x of r.topRate) {
      rows.push([
        "互动率Top3",
        itemName(x),
        "互动率(%)",
        num(ratioPct(x.interactions ?? 0, x.exposure)),
        "",
        "",
      ]);
    }
    for (const b of r.below.rows) {
      rows.push([
        "未达目标",
        itemName(b),
        `${metricLabel(b.key)}达成率(%)`,
        b.actual === null ? "未登记数据" : num(ratioPct(b.actual, b.target)),
        "",
        "",
      ]);
    }
  }
  // Titles are user text: a cell starting with = + - @ would run as a formula in Excel/WPS.
  const safe = rows.map((row) =>
    row.map((cell) => (typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)),
  );
  return `\uFEFF${stringify(safe, { cast: { number: (n) => String(n) } })}`;
}
