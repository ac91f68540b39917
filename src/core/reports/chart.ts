import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type * as ResvgModule from "@resvg/resvg-js";
import type * as Echarts from "echarts";
import { addDays, daysBetween, shortDay } from "../metrics/days.ts";
import { formatCount } from "../metrics/numbers.ts";
import { catalog } from "../people/catalog.ts";
import type { ReportData } from "./build.ts";

/**
 * The report's chart (docs/metrics-reports.md): daily 曝光 and 互动量 per platform as one PNG, drawn without a browser —
 * ECharts server-side rendering to SVG, then resvg to PNG with a CJK font so the Chinese labels are
 * legible. The font is Noto Sans SC (OFL), shipped by the npm package @expo-google-fonts/noto-sans-sc, so
 * `npm install` brings it on any machine; system fonts are the fallback if that file is ever missing.
 */
export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 760;
export const CHART_FONT_FAMILY = "Noto Sans SC";

const require = createRequire(import.meta.url);

/** Loaded on first use (both are large): start-up and every test that never draws a chart stay fast. */
let libs: { echarts: typeof Echarts; Resvg: typeof ResvgModule.Resvg } | undefined;
function load() {
  libs ??= {
    echarts: require("echarts") as typeof Echarts,
    Resvg: (require("@resvg/resvg-js") as typeof ResvgModule).Resvg,
  };
  return libs;
}

/** The bundled TTF (resvg reads TTF/OTF, not the WOFF2 most web-font packages ship). */
export function chartFontFile(): string | undefined {
  try {
    const file = require.resolve("@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf");
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** One colour per platform, fixed, so 抖音 has the same colour in every report. */
const COLOURS: Record<string, string> = {
  douyin: "#1f1f1f",
  xiaohongshu: "#ff2442",
  wechat_oa: "#07c160",
  channels: "#fa9d3b",
  weibo: "#7b4fd6",
  dianping: "#1e88e5",
  meituan: "#ffc300",
};
const SPARE = ["#5470c6", "#91cc75", "#73c0de", "#9a60b4", "#ea7ccc"];

const WEEKDAY = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
const weekday = (day: string) => WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()] ?? "";

/** The ECharts option: two stacked grids sharing the x axis (days), one line per platform in each. */
export function chartOption(r: ReportData): Echarts.EChartsCoreOption | undefined {
  const days = daysBetween(r.period.startDay, r.period.endDay);
  const platforms = catalog.platforms.filter((p) => r.daily.some((d) => d.platform === p.key));
  if (platforms.length === 0) return undefined;
  const at = new Map(r.daily.map((d) => [`${d.platform}|${d.day}`, d]));
  const labels = days.map((d) => (r.period.kind === "week" ? `${shortDay(d)}\n${weekday(d)}` : shortDay(d)));
  const axis = (gridIndex: number) => ({
    type: "category",
    gridIndex,
    data: labels,
    boundaryGap: true,
    axisLabel: { fontSize: 13, color: "#333" },
  });
  const valueAxis = (gridIndex: number, name: string) => ({
    type: "value",
    gridIndex,
    name,
    nameTextStyle: { fontSize: 15, color: "#333", align: "left" },
    axisLabel: { fontSize: 13, color: "#333", formatter: (v: number) => formatCount(v) },
    splitLine: { lineStyle: { color: "#e5e5e5" } },
  });
  const series = platforms.flatMap((p, i) => {
    const color = COLOURS[p.key] ?? SPARE[i % SPARE.length];
    const line = (grid: number, pick: "exposure" | "interactions") => ({
      name: p.label,
      type: "line",
      xAxisIndex: grid,
      yAxisIndex: grid,
      color,
      symbol: "circle",
      symbolSize: 7,
      // A day nobody logged is a gap in the data, not a zero: the line bridges it, the dots show what was logged.
      connectNulls: true,
      lineStyle: { width: 2.5 },
      data: days.map((d) => at.get(`${p.key}|${d}`)?.[pick] ?? null),
    });
    return [line(0, "exposure"), line(1, "interactions")];
  });
  const last = addDays(r.period.endDay, -1);
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: {
      text: `${r.period.kind === "week" ? "周报" : "月报"} ${r.period.label} 每日曝光与互动量`,
      subtext: `${r.period.startDay} 至 ${last} · 按平台 · 互动量 = 点赞 + 评论 + 转发`,
      left: "center",
      top: 12,
      textStyle: { fontSize: 22, color: "#222" },
      subtextStyle: { fontSize: 14, color: "#666" },
    },
    legend: { top: 78, itemGap: 24, textStyle: { fontSize: 15, color: "#333" } },
    grid: [
      { top: 140, height: 230, left: 90, right: 40 },
      { top: 450, height: 230, left: 90, right: 40 },
    ],
    xAxis: [axis(0), axis(1)],
    yAxis: [valueAxis(0, "曝光"), valueAxis(1, "互动量")],
    series,
  };
}

/** The chart as PNG bytes, or undefined when no platform logged any daily number in the period. */
export function renderChart(r: ReportData): Buffer | undefined {
  const option = chartOption(r);
  if (!option) return undefined;
  const { echarts, Resvg } = load();
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  let svg: string;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const font = chartFontFile();
  const resvg = new Resvg(svg, {
    background: "#ffffff",
    font: font
      ? { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY }
      : { loadSystemFonts: true, defaultFontFamily: CHART_FONT_FAMILY },
  });
  return resvg.render().asPng();
}
