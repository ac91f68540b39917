import { and, eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { accounts, livePlans } from "../../store/schema/index.ts";
import { platformLabel } from "../people/catalog.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { deferIfQuiet } from "./defer.ts";
import { linkPlatformPreviews, missingPlatforms, recordLivePlatforms } from "./live-platforms.ts";

export const TIMER_LIVE = "live.preview";
export const TIMER_ACCOUNT = "account.rotation";

/** `/live`: a live stream needs its preview published `live.preview.lead` (3 days) before it starts. */
export function planLive(d: Services, ownerId: number, platforms: string[], startsAt: number, topic: string) {
  const now = d.clock.now();
  if (startsAt <= now) throw new UserError("直播时间必须在将来");
  const plan = d.db
    .insert(livePlans)
    .values({ platform: platforms[0] as string, startsAt, topic, ownerId, createdAt: now })
    .returning()
    .get();
  recordLivePlatforms(d, plan.id, platforms);
  const lead = d.policy.durationMs("live.preview.lead");
  // The deadline counts back from the start, so a later change of the lead time does not move it.
  d.timers.schedule(TIMER_LIVE, String(plan.id), Math.max(now, startsAt - lead));
  return { plan, deadline: startsAt - lead };
}

/**
 * Links a published preview to the platforms of the plan it is published on. The plan counts as previewed
 * (and its timer stops) only when every platform it names has one; returns the platforms still missing.
 */
export function linkPreview(d: Services, liveId: number, itemId: number): string[] {
  const plan = d.db.select().from(livePlans).where(eq(livePlans.id, liveId)).get();
  if (!plan) throw new UserError(`没有直播计划 L-${liveId}`);
  if (plan.previewItemId !== null) throw new UserError(`L-${liveId} 的预告已全部关联`);
  const { missing } = linkPlatformPreviews(d, plan, itemId);
  if (missing.length > 0) return missing;
  d.db.update(livePlans).set({ previewItemId: itemId }).where(eq(livePlans.id, liveId)).run();
  d.timers.cancel(TIMER_LIVE, String(liveId));
  return [];
}

export function addAccount(d: Services, ownerId: number, platform: string, name: string): void {
  const now = d.clock.now();
  const res = d.db
    .insert(accounts)
    .values({ platform, name, ownerId, rotatedAt: now, createdAt: now })
    .onConflictDoNothing()
    .run();
  if (res.changes === 0) throw new UserError(`${platformLabel(platform)}账号「${name}」已登记`);
  armRotation(d, platform, name, now);
}

export function accountRotated(d: Services, platform: string, name: string): void {
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

function armRotation(d: Services, platform: string, name: string, rotatedAt: number): void {
  const rule = "account.rotation";
  d.timers.schedule(TIMER_ACCOUNT, `${platform}:${name}`, rotatedAt + d.policy.durationMs(rule), {
    rule,
    basis: rotatedAt,
  });
}

export function registerLiveAccountTimers(d: Services): void {
  d.timers.on(TIMER_LIVE, (t: TimerRow) => {
    const plan = d.db
      .select()
      .from(livePlans)
      .where(eq(livePlans.id, Number(t.ref)))
      .get();
    if (!plan || plan.previewItemId !== null) return;
    const missing = missingPlatforms(d, plan).map(platformLabel).join("、");
    if (!plan.breachedAt)
      d.db.update(livePlans).set({ breachedAt: t.fireAt }).where(eq(livePlans.id, plan.id)).run();
    if (deferIfQuiet(t, d.clock.now(), d)) return;
    d.outbound.toPerson(plan.ownerId, {
      type: "text",
      text: `🔴 直播预告超时：L-${plan.id} 直播「${plan.topic}」将于 ${formatDateTime(plan.startsAt, d.tz)} 开始，预告应提前 ${d.policy.get("live.preview.lead")} 在各平台发布，还差：${missing}。发布后发送 /live preview L-${plan.id} #编号`,
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
