import type { Actor } from "../commands/registry.ts";
import { storeName } from "../people/stores.ts";
import { durationWords } from "../policy/words.ts";
import type { Services } from "../services.ts";
import { formatDateTime, formatShort } from "../time.ts";
import { UserError } from "../types.ts";
import { accessFor, logAccess, refusalText } from "./access.ts";
import { type RenderDeps, recordFields, recordWords } from "./render.ts";
import { ALL, covers, type Scope, scopeFilter, scopeLabel } from "./scope.ts";
import { KIND_LABEL } from "./sources.ts";

/** `/archive search` and `/archive show`: reads of the archive, each one logged (docs/archive.md). */

const MAX_RESULTS = 20;
const SNIPPET = 60;
export const NO_COPY = "档案仅供查阅，严禁复制、摘抄或篡改（《制度》第十二条）";

interface RecordRow {
  id: number;
  at: number;
  kind: string;
  scope: string;
  retention: string;
  content: string;
  hash: string | null;
}

export function searchArchive(
  services: Services,
  actor: Actor,
  keyword: string,
  asked: Scope | undefined,
  now: number,
): string {
  const access = accessFor(services, actor, asked, now);
  if (access.basis === "refused") {
    logAccess(services, actor, { action: "search", query: keyword, access, results: 0, now });
    return refusalText(services, asked, access.expired);
  }
  const filter = scopeFilter(access.scopes, services.tz);
  const any = keyword === "*";
  const where = `${filter.sql}${any ? "" : " AND instr(lower(content), lower(?)) > 0"}`;
  const params = any ? filter.params : [...filter.params, keyword];
  const sqlite = services.db.$client;
  const total = (
    sqlite.prepare(`SELECT count(*) AS n FROM archive_records WHERE ${where}`).get(...params) as { n: number }
  ).n;
  const rows = sqlite
    .prepare(
      `SELECT id, at, kind, scope, retention, content, hash FROM archive_records WHERE ${where} ORDER BY id DESC LIMIT ${MAX_RESULTS}`,
    )
    .all(...params) as RecordRow[];
  const logId = logAccess(services, actor, { action: "search", query: keyword, access, results: total, now });
  const within = access.scopes.map(scopeLabel).join("、");
  const deps = renderDeps(services);
  if (total === 0)
    return `🔎 档案中没有找到「${keyword}」（范围：${within}）\n本次查阅已登记（查阅记录 ${logId}）`;
  const lines = [
    `🔎 档案查阅「${keyword}」（范围：${within}）共 ${total} 条${total > rows.length ? `，显示最近 ${rows.length} 条` : ""}：`,
    ...rows.map(
      (r) =>
        `· [${r.id}] ${formatShort(r.at, services.tz)} ${scopeLabel(r.scope)} ${KIND_LABEL[r.kind] ?? r.kind}：${snippet(r.content, any ? "" : keyword, deps)}`,
    ),
    "查看整条记录：/archive show <记录号>",
    `本次查阅已登记（查阅记录 ${logId}）。${NO_COPY}`,
  ];
  return lines.join("\n");
}

export function showRecord(
  services: Services,
  actor: Actor,
  idText: string | undefined,
  now: number,
): string {
  const id = Number(/^\[?(\d{1,12})\]?$/.exec(idText ?? "")?.[1]);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new UserError("用法：/archive show <记录号>（记录号见 /archive search 结果方括号内）");
  const row = services.db.$client
    .prepare("SELECT id, at, kind, scope, retention, content, hash FROM archive_records WHERE id = ?")
    .get(id) as RecordRow | undefined;
  // Someone without access learns nothing about the record, not even whether it exists.
  const asked: Scope = row ? { key: row.scope, label: scopeLabel(row.scope) } : ALL;
  const access = accessFor(services, actor, asked, now, row?.at);
  if (access.basis === "refused") {
    logAccess(services, actor, { action: "show", query: String(id), access, results: 0, now });
    return refusalText(services, row ? asked : undefined, access.expired);
  }
  if (!row || !access.scopes.some((s) => covers(s, row.scope, { at: row.at, tz: services.tz }))) {
    logAccess(services, actor, { action: "show", query: String(id), access, results: 0, now });
    return `档案中没有记录 ${id}（可能已按保管期限清理）`;
  }
  const logId = logAccess(services, actor, { action: "show", query: String(id), access, results: 1, now });
  return [
    `📄 档案记录 ${row.id} · ${KIND_LABEL[row.kind] ?? row.kind} · ${scopeLabel(row.scope)}`,
    `记录时间：${formatDateTime(row.at, services.tz)}｜保管：${row.retention === "permanent" ? "永久" : `${durationWords(services.policy.get("archive.retention"))}（标准）`}｜校验码：${(row.hash ?? "").slice(0, 16)}…`,
    ...recordFields(renderDeps(services), row.content),
    `本次查阅已登记（查阅记录 ${logId}）。${NO_COPY}`,
  ].join("\n");
}

/** What the record renderer needs from the bot: names of people and stores, scope labels, the zone. */
export function renderDeps(services: Services): RenderDeps {
  return {
    tz: services.tz,
    personName: (id) => services.people.name(id),
    storeName: (id) => storeName(services.db, id),
    scopeLabel,
  };
}

/** The part of a record that shows why it matched: around the keyword, or its first words. */
export function snippet(content: string, keyword: string, deps?: RenderDeps): string {
  // In words (驳回 · 初审 · 意见…), not the stored ones ("reject · second"); ids and times are left out.
  const values = deps ? recordWords(deps, content) : content;
  const at = keyword ? values.toLowerCase().indexOf(keyword.toLowerCase()) : -1;
  if (at < 0) return clip(values, 0);
  return clip(values, Math.max(0, at - SNIPPET / 3));
}

function clip(text: string, start: number): string {
  const flat = text.replace(/\s+/g, " ");
  const part = flat.slice(start, start + SNIPPET);
  return `${start > 0 ? "…" : ""}${part}${start + SNIPPET < flat.length ? "…" : ""}`;
}
