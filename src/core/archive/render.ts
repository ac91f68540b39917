import { z } from "zod";
import { readDataFile } from "../data-file.ts";
import { metricLabel } from "../metrics/keys.ts";
import { platformLabel, roleLabel } from "../people/catalog.ts";
import { durationWords } from "../policy/words.ts";
import { formatDateTime } from "../time.ts";

/**
 * An archive record as a person would write it: Chinese field names, names for people, wall times, #12 /
 * T-3 / C-2 for items, Chinese for stored words — never the stored JSON or column names. What each column
 * means is data (policy/archive-records.json), so a new archived table needs a few lines there, not code.
 */

const columnSchema = z.object({
  label: z.string(),
  as: z
    .enum([
      "text",
      "person",
      "time",
      "item",
      "ticket",
      "crisis",
      "platform",
      "platforms",
      "yesno",
      "list",
      "findings",
      "revision",
      "tier",
      "store",
      "subject",
      "scope",
      "detail",
      "duration",
    ])
    .default("text"),
  hidden: z.boolean().default(false),
});
const fileSchema = z.object({
  columns: z.record(z.string(), columnSchema),
  values: z.record(z.string(), z.string()),
  subjects: z.record(z.string(), z.string()),
});
const words = readDataFile(new URL("../../../policy/archive-records.json", import.meta.url), fileSchema, {
  zh: "档案记录写法表",
  en: "archive record wording",
});

export interface RenderDeps {
  tz: string;
  personName(id: number): string;
  storeName(id: number): string | undefined;
  scopeLabel(key: string): string;
}

const TIER = ["", "一级", "二级", "三级"];

/**
 * A stored word in Chinese ("reject" → 驳回): the archive's own word list first, then the names the bot
 * already has for platforms, roles and metrics; a word none of them knows is shown as stored.
 */
export function valueWord(v: string): string {
  const known = words.values[v];
  if (known) return known;
  for (const label of [platformLabel, roleLabel, metricLabel]) {
    const l = label(v);
    if (l !== v) return l;
  }
  return v;
}

/** `platform:douyin` → 平台 抖音, `store:3` → 门店 3, `item:12:douyin` → 内容 #12 抖音. */
export function subjectWords(subject: string, store?: (id: number) => string | undefined): string {
  const [kind = "", a = "", b] = subject.split(":");
  if (kind === "platform") return `${words.subjects.platform} ${platformLabel(a)}`;
  if (kind === "store") return `${words.subjects.store} ${store?.(Number(a)) ?? a}`;
  if (kind === "item") return `${words.subjects.item} #${a}${b ? ` ${platformLabel(b)}` : ""}`;
  return subject;
}

function parseList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") {
    try {
      const parsed = JSON.parse(v) as unknown;
      return Array.isArray(parsed) ? parsed : [v];
    } catch {
      return v ? [v] : [];
    }
  }
  return [];
}

/** A detail column holds JSON of its own (audit details, events): its text values, in words. */
function detailWords(v: unknown): string {
  let obj: unknown = v;
  if (typeof v === "string") {
    try {
      obj = JSON.parse(v);
    } catch {
      return valueWord(v);
    }
  }
  if (obj === null || typeof obj !== "object") return valueWord(String(obj));
  return Object.values(obj as Record<string, unknown>)
    .filter((x) => typeof x === "string" && x !== "")
    .map((x) => valueWord(x as string))
    .join("，");
}

function valueText(d: RenderDeps, as: string, v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  switch (as) {
    case "person":
      return d.personName(Number(v));
    case "time":
      return typeof v === "number" ? formatDateTime(v, d.tz) : String(v);
    case "item":
      return `#${v}`;
    case "ticket":
      return `T-${v}`;
    case "crisis":
      return `C-${v}`;
    case "platform":
      return valueWord(String(v));
    case "platforms":
      return parseList(v).map(String).map(platformLabel).join("、") || "—";
    case "yesno":
      return v === 1 || v === true || v === "1" ? "是" : "否";
    case "list":
      return parseList(v).map(String).map(valueWord).join("、") || "—";
    case "findings": {
      const list = parseList(v) as { message?: string }[];
      return list.length ? list.map((f) => f.message ?? "").join("；") : "未发现问题";
    }
    case "revision":
      return `第 ${v} 版`;
    case "tier":
      return TIER[Number(v)] ?? String(v);
    case "store":
      return d.storeName(Number(v)) ?? "—";
    case "subject":
      return subjectWords(String(v), d.storeName);
    case "scope":
      return d.scopeLabel(String(v));
    case "detail":
      return detailWords(v) || "—";
    case "duration":
      return durationWords(String(v));
    default:
      return valueWord(String(v));
  }
}

/** The record's fields, one `名称：值` each, internal columns left out. Content that is not JSON is shown as is. */
export function recordFields(d: RenderDeps, content: string): string[] {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return [content];
  }
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const col = words.columns[k];
    if (!col || col.hidden) continue;
    if (v === null || v === undefined || v === "") continue;
    out.push(`${col.label}：${valueText(d, col.as, v)}`);
  }
  return out;
}

/** The words of a record a search shows: its text fields and stored words in Chinese, no ids or times. */
export function recordWords(d: RenderDeps, content: string): string {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(content) as Record<string, unknown>;
  } catch {
    return content;
  }
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const col = words.columns[k];
    if (!col || col.hidden || v === null || v === undefined || v === "") continue;
    // The item, the time and the people are on the line already (its scope and time) or say nothing here.
    if (["time", "person", "yesno", "revision", "item", "ticket", "crisis"].includes(col.as)) continue;
    if (col.as === "text" && typeof v !== "string") continue;
    const shown = valueText(d, col.as, v);
    if (shown && shown !== "—") out.push(shown);
  }
  return out.join(" · ");
}
