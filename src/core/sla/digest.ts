import { cronJob } from "../cron-job.ts";
import type { BreachProvider, DigestSection } from "../registry.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import type { OutMessage } from "../types.ts";
import { openBreaches } from "./breaches.ts";
import { cadenceLine, weeklyCadence } from "./cadence.ts";

export const TIMER_DIGEST = "digest.daily";

/** What the digest is made of: the features' breach providers and sections (read when it is sent). */
export interface DigestParts {
  breaches: readonly BreachProvider[];
  sections: readonly DigestSection[];
}

/**
 * The daily SLA digest (docs/sla.md): every open breach grouped by rule with its owners @-mentioned, and this
 * week's posting cadence. Long groups show `digest.max.lines` items and count the rest, never cut silently.
 */
export function digestMessage(services: Services, now: number, parts: DigestParts): OutMessage {
  const max = services.policy.count("digest.max.lines");
  const lines = [`📋 运营 SLA 日报 ${formatDateTime(now, services.tz)}`];
  const mentions = new Set<number>();
  // Only the listed lines are read from the store; the rest of each rule is a count (SQL).
  const groups = openBreaches(services, parts.breaches, now, max);
  if (groups.length === 0) lines.push("✅ 目前没有超时事项");
  const names = new Map<number, string>();
  const nameOf = (p: number) => {
    let n = names.get(p);
    if (n === undefined) {
      n = services.people.name(p);
      names.set(p, n);
    }
    return n;
  };
  for (const g of groups) {
    lines.push("", `【${g.label}】${g.total} 项`);
    for (const b of g.items) {
      const who = b.owners.map(nameOf);
      lines.push(`· ${b.text}${who.length ? ` → ${who.join("、")}` : " → 无负责人"}`);
      for (const p of b.owners) mentions.add(p);
    }
    if (g.total > g.items.length)
      lines.push(`· …另有 ${g.total - g.items.length} 项未列出（共 ${g.total} 项）`);
  }
  for (const section of parts.sections) {
    const s = section(services, now);
    if (!s || s.lines.length === 0) continue;
    lines.push("", `【${s.label}】${s.lines.length} 项`, ...s.lines.slice(0, max).map((l) => `· ${l}`));
    if (s.lines.length > max) lines.push(`· …另有 ${s.lines.length - max} 项`);
  }
  lines.push("", "【本周发布节奏】", ...weeklyCadence(services, now).map((r) => `· ${cadenceLine(r)}`));
  return { type: "text", text: lines.join("\n"), mentions: [...mentions] };
}

/**
 * The digest runs on a durable timer re-armed after each run: a restart neither skips nor repeats a day
 * (a digest missed while down is sent once on start-up), and `/policy set digest.cron` re-arms it.
 */
export function registerDigest(services: Services, parts: DigestParts): void {
  cronJob(services, {
    kind: TIMER_DIGEST,
    ref: "ops",
    rule: "digest.cron",
    run: () => {
      services.outbound.toGroups("ops", digestMessage(services, services.clock.now(), parts));
      return true;
    },
    // After every other timer due in the same sweep: a breach recorded in this sweep is in the digest.
    afterOthers: true,
  });
}
