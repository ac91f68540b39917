import { and, eq, sql } from "drizzle-orm";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../store/db.ts";
import { arg, prepared } from "../../store/prepared.ts";
import { identities, people, personLinks, roleGrants } from "../../store/schema/index.ts";
import type { Platform } from "../types.ts";
import { chatPlatform } from "./chat-platforms.ts";

// Every inbound event and every message to a person reads these (several times per card click).
// `canonicalIdOf` folds the /link lookup into the same statement as the read it serves.
const canonicalIdOf = (name: string) =>
  sql`coalesce((select ${personLinks.canonicalId} from ${personLinks} where ${personLinks.personId} = ${arg(name)}), ${arg(name)})`;
const identityOf = prepared((db) =>
  db
    .select({ personId: identities.personId, name: identities.name })
    .from(identities)
    .where(and(eq(identities.platform, arg("platform")), eq(identities.userId, arg("userId"))))
    .prepare(),
);
const canonicalOf = prepared((db) =>
  db
    .select({ id: personLinks.canonicalId })
    .from(personLinks)
    .where(eq(personLinks.personId, arg("personId")))
    .prepare(),
);
const nameOf = prepared((db) =>
  db
    .select({ name: people.name })
    .from(people)
    .where(eq(people.id, canonicalIdOf("id")))
    .prepare(),
);
const identitiesOfPerson = prepared((db) =>
  db
    .select({ platform: identities.platform, userId: identities.userId })
    .from(identities)
    .where(eq(identities.personId, canonicalIdOf("personId")))
    .prepare(),
);
const grantOf = prepared((db) =>
  db
    .select({ role: roleGrants.role })
    .from(roleGrants)
    .where(and(eq(roleGrants.personId, canonicalIdOf("personId")), eq(roleGrants.role, arg("role"))))
    .prepare(),
);
const holdersOf = prepared((db) =>
  db
    .select({ personId: roleGrants.personId })
    .from(roleGrants)
    .where(eq(roleGrants.role, arg("role")))
    .orderBy(roleGrants.grantedAt, roleGrants.personId)
    .prepare(),
);

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
    const found = identityOf(this.db).get({ platform, userId });
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
    return canonicalOf(this.db).get({ personId })?.id ?? personId;
  }

  name(personId: number): string {
    return nameOf(this.db).get({ id: personId })?.name ?? "未知用户";
  }

  identitiesOf(personId: number): Identity[] {
    return identitiesOfPerson(this.db).all({ personId }) as Identity[];
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
    return Boolean(grantOf(this.db).get({ personId, role }));
  }

  /** Current holders of a role, in the order they were granted. */
  holders(role: string): number[] {
    return holdersOf(this.db)
      .all({ role })
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
    // A handful of ids (a chain's deciders): prepared point lookups beat building an IN (...) query.
    const out = new Map<number, string>();
    for (const p of new Set(personIds)) {
      const name = nameOf(this.db).get({ id: p })?.name;
      if (name !== undefined) out.set(p, name);
    }
    return out;
  }
}

function placeholderName(platform: Platform, userId: string): string {
  return `${chatPlatform(platform).stranger}${userId.slice(-4)}`;
}
