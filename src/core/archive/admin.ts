import { desc, eq } from "drizzle-orm";
import { archiveAccessLog, archiveMarks } from "../../store/schema/index.ts";
import { requireAdmin } from "../admin/guard.ts";
import type { Actor } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { formatDateTime, formatShort } from "../time.ts";
import { UserError } from "../types.ts";
import { readsAll } from "./access.ts";
import { isItemScope, type Scope, scopeLabel } from "./scope.ts";
import { KIND_LABEL } from "./sources.ts";
import { verifyArchive } from "./verify.ts";
import { verifyText } from "./verify-text.ts";

/** `/archive mark`, `/archive verify`, `/archive log`: keeping and checking the archive. */

export function markScope(
  services: Services,
  actor: Actor,
  scope: Scope,
  level: string | undefined,
  now: number,
): string {
  requireAdmin(actor, "标记重大档案");
  if (level !== "重大" || !isItemScope(scope.key)) {
    throw new UserError("用法：/archive mark <#编号|T-编号|C-编号> 重大（标记后该事项的档案永久保管）");
  }
  if (scope.key.startsWith("crisis:")) return `${scope.label} 是危机处置档案，本就永久保管，无需标记`;
  const existing = services.db.select().from(archiveMarks).where(eq(archiveMarks.scope, scope.key)).get();
  if (existing) {
    const who = existing.markedBy ? services.people.name(existing.markedBy) : "系统";
    return `${scope.label} 已是永久保管（${existing.level}：${existing.reason}，${who} 于 ${formatDateTime(existing.markedAt, services.tz)} 标记）`;
  }
  const count = (
    services.db.$client
      .prepare("SELECT count(*) AS n FROM archive_records WHERE scope = ?")
      .get(scope.key) as {
      n: number;
    }
  ).n;
  if (count === 0) throw new UserError(`档案中没有 ${scope.label} 的记录，请核对编号`);
  services.db
    .insert(archiveMarks)
    .values({
      scope: scope.key,
      level: "重大",
      reason: "重大运营活动（管理员标记）",
      markedBy: actor.personId,
      markedAt: now,
    })
    .run();
  return `已将 ${scope.label} 标记为「重大」：它现有的 ${count} 条档案记录和今后的记录永久保管，不随到期清理删除（《制度》第十二条）`;
}

export function listMarks(services: Services): string {
  const rows = services.db.select().from(archiveMarks).orderBy(archiveMarks.markedAt).all();
  if (rows.length === 0) return "还没有标记为重大的档案。标记：/archive mark <#编号|T-编号> 重大（仅管理员）";
  return [
    `永久保管的事项 ${rows.length} 项（危机档案本身即永久保管，不在此列）：`,
    ...rows.map(
      (r) => `· ${scopeLabel(r.scope)} ${r.level}：${r.reason}（${formatShort(r.markedAt, services.tz)}）`,
    ),
  ].join("\n");
}

const VERIFIERS = ["marketing_head", "management", "admin_office"];

export function verifyCommand(services: Services, actor: Actor): string {
  if (!actor.isAdmin && !VERIFIERS.some((r) => services.people.hasRole(actor.personId, r))) {
    throw new UserError("只有管理员、市场部门负责人、管理层或行政可以校验档案");
  }
  return verifyText(verifyArchive(services.db.$client), services.tz);
}

const BASIS: Record<string, string> = { role: "职权", grant: "申请", refused: "被拒绝" };

export function accessLogText(services: Services, actor: Actor): string {
  if (!readsAll(services, actor)) throw new UserError("只有市场部门负责人或管理员可以查看档案查阅记录");
  const rows = services.db.select().from(archiveAccessLog).orderBy(desc(archiveAccessLog.id)).limit(20).all();
  if (rows.length === 0) return "还没有人查阅过档案";
  const names = services.people.names(rows.map((r) => r.personId));
  const line = (r: (typeof rows)[number]) => {
    const what = r.action === "show" ? `查看记录 ${r.query}` : `查阅「${r.query}」`;
    const scope = r.scope === "-" ? "" : ` 范围 ${r.scope.split(",").map(scopeLabel).join("、")}`;
    const basis = r.basis === "grant" ? `依据申请 #${r.requestItemId}` : (BASIS[r.basis] ?? r.basis);
    const result = r.basis === "refused" ? "" : ` · ${r.results} 条`;
    return `· [${r.id}] ${formatShort(r.at, services.tz)} ${names.get(r.personId) ?? "?"} ${what}${scope} · ${basis}${result}`;
  };
  return [`档案查阅记录（最近 ${rows.length} 次，每次查阅均已存档）：`, ...rows.map(line)].join("\n");
}

/** The monthly job's note as admins read it. */
export function purgeText(
  services: Services,
  n: {
    recordId: number;
    cutoff: number;
    removed: number;
    kinds: Record<string, number>;
    keptPermanent: number;
  },
  retention: string,
): string {
  const kinds = Object.entries(n.kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, c]) => `${KIND_LABEL[k] ?? k} ${c}`)
    .join("、");
  return [
    `🗄️ 档案到期清理（保管期限 ${retention}）：${formatDateTime(n.cutoff, services.tz)} 之前的普通记录`,
    n.removed ? `已删除 ${n.removed} 条（${kinds}）` : "没有到期的记录",
    `保留永久档案 ${n.keptPermanent} 条（危机处置、重大标记）；本次清理已存档为记录 ${n.recordId}`,
  ].join("\n");
}
