import { and, desc, eq, gt, isNotNull } from "drizzle-orm";
import { archiveAccessLog, archiveRequests } from "../../store/schema/index.ts";
import type { Actor } from "../commands/registry.ts";
import { durationWords } from "../policy/words.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { covers, type Scope, scopeLabel } from "./scope.ts";

/**
 * Who may read the archive (seeds/000 第十二条(三)): marketing_head and admins directly; anyone else only
 * inside an approved 《档案查阅申请》's window, for the scope it named.
 */

export interface Grant {
  itemId: number;
  scope: string;
  expiresAt: number;
  external: boolean;
}

export type Access =
  | { basis: "role"; scopes: string[] }
  | { basis: "grant"; scopes: string[]; grants: Grant[] }
  | { basis: "refused"; scopes: string[]; expired: Grant | undefined };

export function readsAll(services: Services, actor: Actor): boolean {
  return actor.isAdmin || services.people.hasRole(actor.personId, "marketing_head");
}

export function activeGrants(services: Services, personId: number, now: number): Grant[] {
  return services.db
    .select()
    .from(archiveRequests)
    .where(and(eq(archiveRequests.personId, personId), gt(archiveRequests.expiresAt, now)))
    .orderBy(archiveRequests.itemId)
    .all()
    .map(toGrant);
}

function lastExpired(services: Services, personId: number, scope: string | undefined): Grant | undefined {
  return services.db
    .select()
    .from(archiveRequests)
    .where(and(eq(archiveRequests.personId, personId), isNotNull(archiveRequests.expiresAt)))
    .orderBy(desc(archiveRequests.expiresAt))
    .all()
    .map(toGrant)
    .find((g) => scope === undefined || covers(g.scope, scope));
}

function toGrant(r: typeof archiveRequests.$inferSelect): Grant {
  return { itemId: r.itemId, scope: r.scope, expiresAt: r.expiresAt ?? 0, external: r.external };
}

/** What `actor` may read now: the asked scope (or everything they may read when none was asked). */
export function accessFor(
  services: Services,
  actor: Actor,
  asked: Scope | undefined,
  now: number,
  /** The time of the one record asked for (/archive show): a period grant covers it by its time. */
  at?: number,
): Access {
  if (readsAll(services, actor)) return { basis: "role", scopes: [asked?.key ?? "*"] };
  const grants = activeGrants(services, actor.personId, now);
  if (asked) {
    const covering = grants.filter((g) =>
      covers(g.scope, asked.key, { tz: services.tz, ...(at !== undefined && { at }) }),
    );
    if (covering.length > 0) return { basis: "grant", scopes: [asked.key], grants: covering };
  } else if (grants.length > 0) {
    return { basis: "grant", scopes: [...new Set(grants.map((g) => g.scope))], grants };
  }
  return {
    basis: "refused",
    scopes: asked ? [asked.key] : [],
    expired: lastExpired(services, actor.personId, asked?.key),
  };
}

/** Records one read (or refused attempt) in the access log; the log's trigger archives it. */
export function logAccess(
  services: Services,
  actor: Actor,
  x: { action: "search" | "show"; query: string; access: Access; results: number; now: number },
): number {
  const grant = x.access.basis === "grant" ? x.access.grants[0] : undefined;
  return services.db
    .insert(archiveAccessLog)
    .values({
      personId: actor.personId,
      action: x.action,
      query: x.query,
      scope: x.access.scopes.join(",") || "-",
      basis: x.access.basis,
      requestItemId: grant?.itemId ?? null,
      results: x.results,
      at: x.now,
    })
    .returning({ id: archiveAccessLog.id })
    .get().id;
}

/** The answer to someone who may not read: how to ask, with the scope they wanted filled in. */
export function refusalText(
  services: Services,
  asked: Scope | undefined,
  expired: Grant | undefined,
): string {
  const scope = asked?.label ?? "<范围>";
  const lines = [
    expired
      ? `你对 ${scopeLabel(expired.scope)} 的查阅授权（申请 #${expired.itemId}）已于 ${formatDateTime(expired.expiresAt, services.tz)} 到期。`
      : "你没有档案查阅权限：档案只对市场部门负责人开放，其他人需先提交《档案查阅申请》（《制度》第十二条）。",
    `申请：/archive request ${scope} <理由>（外部单位查阅加 #外部，另需管理层审批）`,
    `市场部门负责人批准后，你可在 ${durationWords(services.policy.get("archive.grant"))} 内查阅该范围。`,
  ];
  return lines.join("\n");
}
