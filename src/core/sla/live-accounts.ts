import { and, eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { accounts, livePlans, publications } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { ReviewDeps } from "../review/deps.ts";
import { formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { deferIfQuiet } from "./defer.ts";

export const TIMER_LIVE = "live.preview";
export const TIMER_ACCOUNT = "account.rotation";

/** `/live`: a live stream needs its preview published `live.preview.lead` (3 days) before it starts. */
export function planLive(d: ReviewDeps, ownerId: number, platform: string, startsAt: number, topic: string) {
  const now = d.clock.now();
  if (startsAt <= now) throw new UserError("直播时间必须在将来");
  const plan = d.db
    .insert(livePlans)
    .values({ platform, startsAt, topic, ownerId, createdAt: now })
    .returning()
    .get();
  const lead = d.policy.durationMs("live.preview.lead");
  // The deadline counts back from the start, so a later change of the lead time does not move it.
  d.timers.schedule(TIMER_LIVE, String(plan.id), Math.max(now, startsAt - lead));
  return { plan, deadline: startsAt - lead };
}

/** Links the published preview; the item must be published on the plan's platform. */
export function linkPreview(d: ReviewDeps, liveId: number, itemId: number): void {
  const plan = d.db.select().from(livePlans).where(eq(livePlans.id, liveId)).get();
  if (!plan) throw new UserError(`没有直播计划 L-${liveId}`);
  const pub = d.db
    .select()
    .from(publications)
    .where(and(eq(publications.itemId, itemId), eq(publications.platform, plan.platform)))
    .get();
  if (!pub) throw new UserError(`#${itemId} 还没有在${platformLabel(plan.platform)}发布，发布后再关联`);
  d.db.update(livePlans).set({ previewItemId: itemId }).where(eq(livePlans.id, liveId)).run();
  d.timers.cancel(TIMER_LIVE, String(liveId));
}

export function addAccount(d: ReviewDeps, ownerId: number, platform: string, name: string): void {
  const now = d.clock.now();
  const res = d.db
    .insert(accounts)
    .values({ platform, name, ownerId, rotatedAt: now, createdAt: now })
    .onConflictDoNothing()
    .run();
  if (res.changes === 0) throw new UserError(`${platformLabel(platform)}账号「${name}」已登记`);
  armRotation(d, platform, name, now);
}

export function accountRotated(d: ReviewDeps, platform: string, name: string): void {
  const now = d.clock.now();
  const res = d.db
    .update(accounts)
    .set({ rotatedAt: now })
    .where(and(eq(accounts.platform, platform), eq(accounts.name, name)))
    .run();
  if (res.changes === 0)
    throw new UserError(`没有登记${platformLabel(platform)}账号「${name}」，先用 /account add`);
  armRotation(d, platform, name, now);
}

function armRotation(d: ReviewDeps, platform: string, name: string, rotatedAt: number): void {
  const rule = "account.rotation";
  d.timers.schedule(TIMER_ACCOUNT, `${platform}:${name}`, rotatedAt + d.policy.durationMs(rule), {
    rule,
    basis: rotatedAt,
  });
}

export function registerLiveAccountTimers(d: ReviewDeps): void {
  d.timers.on(TIMER_LIVE, (t: TimerRow) => {
    const plan = d.db
      .select()
      .from(livePlans)
      .where(eq(livePlans.id, Number(t.ref)))
      .get();
    if (!plan || plan.previewItemId !== null) return;
    if (!plan.breachedAt)
      d.db.update(livePlans).set({ breachedAt: t.fireAt }).where(eq(livePlans.id, plan.id)).run();
    if (deferIfQuiet(t, d.clock.now(), d)) return;
    d.outbound.toPerson(plan.ownerId, {
      type: "text",
      text: `🔴 直播预告超时：L-${plan.id} ${platformLabel(plan.platform)}直播「${plan.topic}」将于 ${formatDateTime(plan.startsAt, d.tz)} 开始，预告应提前 ${d.policy.get("live.preview.lead")} 发布。发布后发送 /live preview L-${plan.id} #编号`,
    });
  });
  d.timers.on(TIMER_ACCOUNT, (t: TimerRow) => {
    const [platform = "", ...rest] = t.ref.split(":");
    const acct = d.db
      .select()
      .from(accounts)
      .where(and(eq(accounts.platform, platform), eq(accounts.name, rest.join(":"))))
      .get();
    if (!acct) return;
    if (deferIfQuiet(t, d.clock.now(), d)) return;
    d.outbound.toPerson(acct.ownerId, {
      type: "text",
      text: `🔐 ${platformLabel(platform)}账号「${acct.name}」已到密码更换周期（${d.policy.get("account.rotation")}），更换后发送 /account rotated ${platformLabel(platform)} ${acct.name}`,
    });
  });
}
