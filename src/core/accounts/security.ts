import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { accountIncidents, accountSecurity, accounts } from "../../store/schema/index.ts";
import { cronJob } from "../cron-job.ts";
import { readDataFile } from "../data-file.ts";
import { platformLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { describeDuration, formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";

/**
 * 账号安全 (《制度》第七条(三), 第九条(四)): the 认证状态 of each ledger account, a monthly ask to each
 * account's owner to check its login records, and abnormal logins (`/account incident`) that tell the
 * 市场部门负责人 and start a password change due in `account.incident.rotate` (24 h).
 */

export const CERTIFICATION: readonly string[] = readDataFile(
  new URL("../../../policy/accounts.json", import.meta.url),
  z.object({ about: z.string().optional(), certification: z.array(z.string().min(1)).min(1) }),
  { zh: "账号认证状态表", en: "account certification states" },
).certification;

export const TIMER_LOGIN_CHECK = "account.login.check";
export const TIMER_INCIDENT = "account.incident";

type Account = typeof accounts.$inferSelect;

export function findAccount(d: Pick<Services, "db">, platform: string, name: string): Account {
  const a = d.db
    .select()
    .from(accounts)
    .where(and(eq(accounts.platform, platform), eq(accounts.name, name)))
    .get();
  if (!a) throw new UserError(`没有登记${platformLabel(platform)}账号「${name}」，先用 /account add`);
  return a;
}

export function securityOf(d: Pick<Services, "db">, accountId: number) {
  return d.db.select().from(accountSecurity).where(eq(accountSecurity.accountId, accountId)).get();
}

/** Sets an account's 认证状态 (a value of policy/accounts.json). */
export function setCertification(d: Services, accountId: number, state: string): void {
  const now = d.clock.now();
  d.db
    .insert(accountSecurity)
    .values({ accountId, certification: state, updatedAt: now })
    .onConflictDoUpdate({ target: accountSecurity.accountId, set: { certification: state, updatedAt: now } })
    .run();
}

/** `/account checked`: the owner (or a 市场部门负责人 / admin) confirms the login records were checked. */
export function loginChecked(d: Services, acct: Account, by: number): void {
  const now = d.clock.now();
  d.db
    .insert(accountSecurity)
    .values({
      accountId: acct.id,
      certification: CERTIFICATION[0] as string,
      loginCheckedAt: now,
      loginCheckedBy: by,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: accountSecurity.accountId,
      set: { loginCheckedAt: now, loginCheckedBy: by, updatedAt: now },
    })
    .run();
}

/** `/account incident`: records `A-n`, tells every 市场部门负责人, arms the 24 h password-change duty. */
export function reportIncident(d: Services, acct: Account, reporterId: number, note: string) {
  const now = d.clock.now();
  const dueAt = now + d.policy.durationMs("account.incident.rotate");
  const row = d.db
    .insert(accountIncidents)
    .values({ accountId: acct.id, reporterId, note, createdAt: now, dueAt })
    .returning()
    .get();
  const heads = d.people.holders("marketing_head");
  const text = `🚨 异常登录上报 A-${row.id}：${platformLabel(acct.platform)}账号「${acct.name}」\n上报人：${d.people.name(reporterId)}｜账号负责人：${d.people.name(acct.ownerId)}\n说明：${note}\n须在 ${formatDateTime(dueAt, d.tz)} 前修改密码，修改后发送 /account rotated ${platformLabel(acct.platform)} ${acct.name}（《制度》第九条(四)）`;
  for (const h of heads) d.outbound.toPerson(h, { type: "text", text });
  if (!heads.includes(acct.ownerId) && acct.ownerId !== reporterId)
    d.outbound.toPerson(acct.ownerId, { type: "text", text });
  if (heads.length === 0)
    d.outbound.toAdmins({ type: "text", text: `${text}\n（目前没有市场部门负责人，请在 /role 中指定）` });
  d.timers.schedule(TIMER_INCIDENT, String(row.id), dueAt);
  return { row, notified: heads.length };
}

/** After `/account rotated`: every open incident of the account is done, its duty stops. */
export function closeIncidents(d: Services, accountId: number): number {
  const open = d.db
    .select()
    .from(accountIncidents)
    .where(and(eq(accountIncidents.accountId, accountId), isNull(accountIncidents.rotatedAt)))
    .all();
  const now = d.clock.now();
  for (const i of open) {
    d.db.update(accountIncidents).set({ rotatedAt: now }).where(eq(accountIncidents.id, i.id)).run();
    d.timers.cancel(TIMER_INCIDENT, String(i.id));
  }
  return open.length;
}

export function openIncidents(d: Pick<Services, "db">, accountId: number) {
  return d.db
    .select()
    .from(accountIncidents)
    .where(and(eq(accountIncidents.accountId, accountId), isNull(accountIncidents.rotatedAt)))
    .all();
}

/** The monthly ask: one DM per owner listing their accounts (第九条(四) 定期检查账号登录记录). */
function askLoginChecks(services: Services): void {
  const all = services.db.select().from(accounts).orderBy(asc(accounts.platform), asc(accounts.name)).all();
  const byOwner = new Map<number, Account[]>();
  for (const a of all) byOwner.set(a.ownerId, [...(byOwner.get(a.ownerId) ?? []), a]);
  for (const [owner, list] of byOwner) {
    services.outbound.toPerson(owner, {
      type: "text",
      text: [
        "🛡️ 每月账号安全检查（《制度》第九条(四)）：请查看以下账号的登录记录（设备、地点、时间），确认没有异常后回复：",
        ...list.map((a) => `· /account checked ${platformLabel(a.platform)} ${a.name}`),
        "发现异常登录：立即修改密码，并发送 /account incident <平台> <账号名> <说明> 上报。",
      ].join("\n"),
    });
  }
}

export function registerAccountSecurity(services: Services): void {
  cronJob(services, {
    kind: TIMER_LOGIN_CHECK,
    ref: "monthly",
    rule: "account.login.cron",
    run: (t) => {
      if (deferIfQuiet(t, services.clock.now(), services)) return false;
      askLoginChecks(services);
      return true;
    },
  });

  services.timers.on(TIMER_INCIDENT, (t) => {
    const i = services.db
      .select()
      .from(accountIncidents)
      .where(eq(accountIncidents.id, Number(t.ref)))
      .get();
    if (!i || i.rotatedAt !== null) return;
    if (i.breachedAt === null)
      services.db
        .update(accountIncidents)
        .set({ breachedAt: t.fireAt })
        .where(eq(accountIncidents.id, i.id))
        .run();
    // An account taken over is closer to a crisis than a reminder: the breach does not wait for quiet hours.
    const acct = services.db.select().from(accounts).where(eq(accounts.id, i.accountId)).get();
    if (!acct) return;
    const text = `🔴 异常登录 A-${i.id} 已超过 ${describeDuration(services.policy.durationMs("account.incident.rotate"))}仍未修改密码：${platformLabel(acct.platform)}账号「${acct.name}」。修改后发送 /account rotated ${platformLabel(acct.platform)} ${acct.name}`;
    const to = new Set([acct.ownerId, ...services.people.holders("marketing_head")]);
    for (const p of to) services.outbound.toPerson(p, { type: "text", text });
  });
}
