import { ruleDefs } from "../policy/rules.ts";
import { ruleName } from "../policy/words.ts";
import { fromWallTime } from "../time.ts";
import { subjectWords, valueWord } from "./render.ts";
/**
 * 范围 (scope) of the archive: what people type, what records carry, and which covers which.
 * A record's scope is exact (`review:#12`, `ticket:T-3`, `crisis:C-2`, `metric:platform:douyin`…). What a
 * person asks for is an exact item (#12, T-3, C-2), a class (审核, 工单, 危机…, stored as the prefix
 * `review:`), or 全部 (`*`).
 */
export interface Scope {
  /** Canonical key: an exact scope, a class prefix ending in ':', or '*'. */
  key: string;
  /** As people write it: #12, T-3, 工单, 全部. */
  label: string;
}

const CLASSES: { prefix: string; label: string; words: string[] }[] = [
  { prefix: "review:", label: "审核", words: ["审核", "内容", "审核台账", "review"] },
  { prefix: "ticket:", label: "工单", words: ["工单", "反馈", "互动", "ticket"] },
  { prefix: "crisis:", label: "危机", words: ["危机", "crisis"] },
  { prefix: "metric:", label: "数据", words: ["数据", "数据台账", "metric"] },
  { prefix: "report:", label: "报表", words: ["报表", "周报", "月报", "report"] },
  { prefix: "policy:", label: "规则", words: ["规则", "policy"] },
  { prefix: "audit:", label: "操作日志", words: ["操作日志", "日志", "audit"] },
  { prefix: "archive:", label: "档案", words: ["档案", "查阅记录", "archive"] },
  { prefix: "duty:", label: "监督考核", words: ["监督考核", "考核", "抽查", "整改", "duty"] },
];

export const ALL: Scope = { key: "*", label: "全部" };

export const SCOPE_HELP =
  "范围：月份 2026-11、日期段 2026-11-01~2026-11-15、#编号、T-编号、C-编号，或 审核/工单/危机/数据/报表/规则/操作日志/档案/全部";

const PERIOD = "period:";
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() + 1 === Number(m[2]) &&
    d.getUTCDate() === Number(m[3])
  );
}

/**
 * A period people ask for first ("last month's records"): a month 2026-11 or a date range
 * 2026-11-01~2026-11-15 (both days included). Stored as `period:2026-11` / `period:2026-11-01~2026-11-15`;
 * it selects records by their time, whatever their kind.
 */
function parsePeriod(t: string): Scope | undefined {
  const month = /^(\d{4})-(\d{2})$/.exec(t);
  if (month) {
    const mm = Number(month[2]);
    return mm >= 1 && mm <= 12 ? { key: `${PERIOD}${t}`, label: t } : undefined;
  }
  const range = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:~|～|至|到|—|--)\s*(\d{4}-\d{2}-\d{2}))?$/.exec(t);
  if (!range) return undefined;
  const [from = "", to = from] = [range[1], range[2] ?? range[1]];
  if (!validDate(from) || !validDate(to) || from > to) return undefined;
  const label = from === to ? from : `${from}~${to}`;
  return { key: `${PERIOD}${label}`, label };
}

/** A period scope's [start, end) in ms, in the bot's zone; undefined for any other scope. */
export function periodRange(key: string, tz: string): [number, number] | undefined {
  if (!key.startsWith(PERIOD)) return undefined;
  const rest = key.slice(PERIOD.length);
  const at = (y: number, m: number, d: number) =>
    fromWallTime({ year: y, month: m, day: d, hour: 0, minute: 0 }, tz);
  const month = /^(\d{4})-(\d{2})$/.exec(rest);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    return [at(y, m, 1), at(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1)];
  }
  const [from = "", to = from] = rest.split("~");
  const f = DATE.exec(from);
  const e = DATE.exec(to);
  if (!f || !e) return undefined;
  return [at(Number(f[1]), Number(f[2]), Number(f[3])), at(Number(e[1]), Number(e[2]), Number(e[3]) + 1)];
}

export function parseScope(token: string | undefined): Scope | undefined {
  if (!token) return undefined;
  const t = token.trim().replace(/^＃/, "#");
  let m = /^#?(\d{1,9})$/.exec(t);
  if (m) return { key: `review:#${Number(m[1])}`, label: `#${Number(m[1])}` };
  m = /^([TC])-?(\d{1,9})$/i.exec(t);
  if (m) {
    const letter = (m[1] ?? "").toUpperCase();
    const no = `${letter}-${Number(m[2])}`;
    return { key: `${letter === "T" ? "ticket" : "crisis"}:${no}`, label: no };
  }
  if (["全部", "所有", "all", "*"].includes(t.toLowerCase())) return ALL;
  const period = parsePeriod(t);
  if (period) return period;
  const cls = CLASSES.find((c) => c.words.includes(t.toLowerCase()));
  return cls ? { key: cls.prefix, label: cls.label } : undefined;
}

/** An exact item scope (#12, T-3, C-2): the only kind `/archive mark` accepts. */
export function isItemScope(key: string): boolean {
  return /^(review:#|ticket:T-|crisis:C-)\d+$/.test(key);
}

/** Whether a granted scope lets its holder read `key` (itself an exact scope, a class or '*'). */
export function covers(granted: string, key: string, record?: { at?: number; tz: string }): boolean {
  if (granted === "*") return true;
  const span = periodRange(granted, record?.tz ?? "UTC");
  if (span) {
    // A period covers a period inside it, or one record whose time falls in it.
    if (key.startsWith(PERIOD)) {
      const inner = record ? periodRange(key, record.tz) : undefined;
      return inner ? inner[0] >= span[0] && inner[1] <= span[1] : granted === key;
    }
    return record?.at !== undefined && record.at >= span[0] && record.at < span[1];
  }
  if (granted.endsWith(":")) return key !== "*" && key.startsWith(granted);
  return granted === key;
}

const DETAIL: Record<string, string> = {
  "archive:access": "查阅记录",
  "archive:request": "查阅申请",
  "archive:mark": "永久保管标记",
  "archive:purge": "到期清理记录",
};

/** A record's or a request's scope as people read it: #12, T-3, 数据·platform:douyin, 全部. */
export function scopeLabel(key: string): string {
  if (key === "*") return ALL.label;
  if (key.startsWith(PERIOD)) return key.slice(PERIOD.length);
  const item = /^(?:review:(#\d+)|ticket:(T-\d+)|crisis:(C-\d+))$/.exec(key);
  if (item) return item[1] ?? item[2] ?? item[3] ?? key;
  const cls = CLASSES.find((c) => key.startsWith(c.prefix));
  if (!cls) return key;
  const rest = key.slice(cls.prefix.length);
  return rest ? `${cls.label}·${DETAIL[key] ?? detailWords(cls.prefix, rest)}` : cls.label;
}

/** SQL condition (with its parameters) selecting records whose scope falls under any of `keys`. */
export function scopeFilter(keys: string[], tz: string): { sql: string; params: (string | number)[] } {
  if (keys.length === 0) return { sql: "0", params: [] };
  if (keys.includes("*")) return { sql: "1", params: [] };
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const k of keys) {
    const span = periodRange(k, tz);
    if (span) {
      parts.push("(at >= ? AND at < ?)");
      params.push(span[0], span[1]);
    } else if (k.endsWith(":")) {
      // A range on the scope index: every scope that starts with "ticket:" sorts before "ticket;".
      parts.push("(scope >= ? AND scope < ?)");
      params.push(k, `${k.slice(0, -1)};`);
    } else {
      parts.push("scope = ?");
      params.push(k);
    }
  }
  return { sql: `(${parts.join(" OR ")})`, params };
}

/** The detail of a class scope in words: 数据·平台 抖音, 报表·周报 2026-W47, 规则·审核步骤催办时间. */
function detailWords(prefix: string, rest: string): string {
  if (prefix === "metric:") return subjectWords(rest);
  if (prefix === "report:") {
    const [kind = "", period = ""] = rest.split(":");
    return `${valueWord(kind)} ${period}`.trim();
  }
  if (prefix === "policy:") {
    const def = ruleDefs.find((r) => r.key === rest);
    return def ? ruleName(def) : rest;
  }
  if (prefix === "duty:") {
    const exam = /^exam:(\d+)$/.exec(rest);
    return exam ? "上岗考核" : rest;
  }
  return valueWord(rest);
}
