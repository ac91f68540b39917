import { and, eq, inArray } from "drizzle-orm";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../store/db.ts";
import { identities, people, personLinks, roleGrants } from "../../store/schema/index.ts";
import type { Platform } from "../types.ts";

export interface Identity {
  platform: Platform;
  userId: string;
}

/**
 * People, their platform identities and their roles. Roles attach to the person, not the account.
 * `/link` folds one person into another (same human, accounts on two platforms): the identities and roles
 * move, and every method here reads a folded id as the person it was folded into (`canonical`), so
 * records that name the old id (an item's author) still reach that human everywhere.
 */
export class People {
  private readonly adminKeys: Set<string>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    admins: readonly Identity[],
  ) {
    this.adminKeys = new Set(admins.map((a) => `${a.platform}:${a.userId}`));
  }

  /** The person behind a platform account, created on first sight. A real name replaces a placeholder. */
  ensure(platform: Platform, userId: string, name?: string): number {
    const now = this.clock.now();
    const found = this.db
      .select({ personId: identities.personId, name: identities.name })
      .from(identities)
      .where(and(eq(identities.platform, platform), eq(identities.userId, userId)))
      .get();
    if (found) {
      if (name && name !== found.name) {
        this.db
          .update(identities)
          .set({ name, updatedAt: now })
          .where(and(eq(identities.platform, platform), eq(identities.userId, userId)))
          .run();
        this.db.update(people).set({ name }).where(eq(people.id, found.personId)).run();
      }
      return found.personId;
    }
    const shown = name || placeholderName(platform, userId);
    const person = this.db
      .insert(people)
      .values({ name: shown, createdAt: now })
      .returning({ id: people.id })
      .get();
    this.db
      .insert(identities)
      .values({ platform, userId, personId: person.id, name: shown, updatedAt: now })
      .run();
    return person.id;
  }

  /** Mentions carry real names: record them so cards show 李姐, not an id. */
  ensureMentioned(platform: Platform, mentions: { userId: string; name: string }[]): void {
    for (const m of mentions) this.ensure(platform, m.userId, m.name);
  }

  /** The person a (possibly folded) id stands for today. Links are flattened, so one hop is enough. */
  canonical(personId: number): number {
    return (
      this.db
        .select({ id: personLinks.canonicalId })
        .from(personLinks)
        .where(eq(personLinks.personId, personId))
        .get()?.id ?? personId
    );
  }

  name(personId: number): string {
    return (
      this.db
        .select({ name: people.name })
        .from(people)
        .where(eq(people.id, this.canonical(personId)))
        .get()?.name ?? "未知用户"
    );
  }

  identitiesOf(personId: number): Identity[] {
    return this.db
      .select({ platform: identities.platform, userId: identities.userId })
      .from(identities)
      .where(eq(identities.personId, this.canonical(personId)))
      .all() as Identity[];
  }

  /** The person behind an account, if it has been seen. */
  findIdentity(platform: Platform, userId: string): number | undefined {
    return this.db
      .select({ personId: identities.personId })
      .from(identities)
      .where(and(eq(identities.platform, platform), eq(identities.userId, userId)))
      .get()?.personId;
  }

  /**
   * Folds person `from` into `into`: identities and role grants move, `from` points at `into` from now
   * on (and so does anyone already folded into `from`). Returns false when they are already one person.
   */
  link(into: number, from: number, by: number): boolean {
    const keep = this.canonical(into);
    const fold = this.canonical(from);
    if (keep === fold) return false;
    const now = this.clock.now();
    this.db
      .update(identities)
      .set({ personId: keep, updatedAt: now })
      .where(eq(identities.personId, fold))
      .run();
    for (const g of this.db.select().from(roleGrants).where(eq(roleGrants.personId, fold)).all()) {
      this.db
        .insert(roleGrants)
        .values({ ...g, personId: keep })
        .onConflictDoNothing()
        .run();
    }
    this.db.delete(roleGrants).where(eq(roleGrants.personId, fold)).run();
    this.db.update(personLinks).set({ canonicalId: keep }).where(eq(personLinks.canonicalId, fold)).run();
    this.db
      .insert(personLinks)
      .values({ personId: fold, canonicalId: keep, linkedBy: by, linkedAt: now })
      .run();
    return true;
  }

  isAdmin(personId: number): boolean {
    return this.identitiesOf(personId).some((i) => this.adminKeys.has(`${i.platform}:${i.userId}`));
  }

  rolesOf(personId: number): string[] {
    return this.db
      .select({ role: roleGrants.role })
      .from(roleGrants)
      .where(eq(roleGrants.personId, this.canonical(personId)))
      .all()
      .map((r) => r.role);
  }

  hasRole(personId: number, role: string): boolean {
    return Boolean(
      this.db
        .select({ role: roleGrants.role })
        .from(roleGrants)
        .where(and(eq(roleGrants.personId, this.canonical(personId)), eq(roleGrants.role, role)))
        .get(),
    );
  }

  /** Current holders of a role, in the order they were granted. */
  holders(role: string): number[] {
    return this.db
      .select({ personId: roleGrants.personId })
      .from(roleGrants)
      .where(eq(roleGrants.role, role))
      .orderBy(roleGrants.grantedAt, roleGrants.personId)
      .all()
      .map((r) => r.personId);
  }

  /** Returns false when the person already had the role. */
  grant(personId: number, role: string, by: number): boolean {
    const res = this.db
      .insert(roleGrants)
      .values({ personId: this.canonical(personId), role, grantedBy: by, grantedAt: this.clock.now() })
      .onConflictDoNothing()
      .run();
    return res.changes === 1;
  }

  revoke(personId: number, role: string): boolean {
    const res = this.db
      .delete(roleGrants)
      .where(and(eq(roleGrants.personId, this.canonical(personId)), eq(roleGrants.role, role)))
      .run();
    return res.changes === 1;
  }

  /** Every role grant, for `/role list`. */
  allGrants(): { role: string; personId: number; name: string }[] {
    return this.db
      .select({ role: roleGrants.role, personId: roleGrants.personId, name: people.name })
      .from(roleGrants)
      .innerJoin(people, eq(people.id, roleGrants.personId))
      .orderBy(roleGrants.role, roleGrants.grantedAt)
      .all();
  }

  names(personIds: number[]): Map<number, string> {
    if (personIds.length === 0) return new Map();
    const ids = new Map(personIds.map((p) => [p, this.canonical(p)]));
    const rows = this.db
      .select({ id: people.id, name: people.name })
      .from(people)
      .where(inArray(people.id, [...new Set(ids.values())]))
      .all();
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    return new Map([...ids].flatMap(([p, c]) => (byId.has(c) ? [[p, byId.get(c) as string]] : [])));
  }
}

function placeholderName(platform: Platform, userId: string): string {
  const label = platform === "feishu" ? "飞书用户" : platform === "wecom" ? "企微用户" : "微信用户";
  return `${label}${userId.slice(-4)}`;
}
