import type { Actor } from "../commands/registry.ts";
import { catalog, roleLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { UserError } from "../types.ts";

const rank = (role: string) => catalog.roles.find((r) => r.key === role)?.rank ?? 99;

/** BOT_ADMINS may do everything; a marketing_head may grant roles ranked below marketing_head (docs/user-guide/admin.md). */
export function requireAdmin(actor: Actor, what: string): void {
  if (!actor.isAdmin) throw new UserError(`只有管理员可以${what}`);
}

export function requireRoleManager(services: Services, actor: Actor, role: string): void {
  if (actor.isAdmin) return;
  const head = services.people.hasRole(actor.personId, "marketing_head");
  const belowHead = rank(role) < rank("marketing_head");
  if (head && belowHead) return;
  // Only roles below 市场部门负责人 are the head's to give: for the others, name only the admins.
  throw new UserError(`只有管理员${belowHead ? "或市场部门负责人" : ""}可以调整「${roleLabel(role)}」角色`);
}

export function requireAdminOrHead(services: Services, actor: Actor, what: string): void {
  if (actor.isAdmin || services.people.hasRole(actor.personId, "marketing_head")) return;
  throw new UserError(`只有管理员或市场部门负责人可以${what}`);
}
