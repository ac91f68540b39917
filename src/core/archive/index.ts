import type { Core } from "../core.ts";
import { registerCardFacts } from "../review/views.ts";
import { nextCronTime } from "../sla/digest.ts";
import { parseDuration } from "../time.ts";
import { UserError } from "../types.ts";
import { purgeText } from "./admin.ts";
import { archiveCommand } from "./commands.ts";
import { purgeExpired } from "./purge.ts";
import { onRequestFinished, REQUEST_KIND, requestFacts } from "./request.ts";
import { verifyArchive } from "./verify.ts";
import { verifyText } from "./verify-text.ts";

export const TIMER_PURGE = "archive.purge";

/** 第十二条(三): at least 3 years. 1096 days is 3 years even when a 29 February falls inside. */
export const MIN_RETENTION = "1096d";

/**
 * 运营档案 (seeds/000 第十二条; docs/archive.md) plugged into the core. Recording needs nothing here: the database's triggers copy
 * every archived write into archive_records in the same transaction. This wires the bot's clock into
 * those triggers, the `/archive` command, the approval hook of 《档案查阅申请》, the policy floor and the
 * monthly retention job.
 */
export function registerArchive(core: Core): void {
  // Records carry the bot's clock (tests and the sandbox move it), not the machine's.
  core.db.$client.function("bot_now", () => core.clock.now());
  core.commands.add(archiveCommand);
  core.decider.onFinished(REQUEST_KIND, (itemId, outcome) => onRequestFinished(core, itemId, outcome));
  registerCardFacts(REQUEST_KIND, requestFacts);
  core.policy.onChange((key, value) => {
    const floor = parseDuration(MIN_RETENTION) ?? 0;
    if (key === "archive.retention" && (parseDuration(value) ?? 0) < floor) {
      throw new UserError(
        `archive.retention 不能少于 ${MIN_RETENTION}（《制度》第十二条：档案保管期限至少为 3 年）`,
      );
    }
  });
  registerPurge(core);
}

/**
 * The retention job on a durable timer re-armed from `archive.purge.cron` after each run, like the daily
 * digest: a run missed while the bot was down happens once at start-up.
 */
function registerPurge(core: Core): void {
  const arm = (from: number) =>
    core.timers.schedule(
      TIMER_PURGE,
      "monthly",
      nextCronTime(core.policy.get("archive.purge.cron"), from, core.tz),
    );
  core.timers.on(TIMER_PURGE, () => {
    const now = core.clock.now();
    const retention = core.policy.get("archive.retention");
    const note = purgeExpired(core.db.$client, now, retention, core.policy.durationMs("archive.retention"));
    const check = verifyArchive(core.db.$client);
    const verdict = check.ok ? "校验：✅ 哈希链完整" : verifyText(check, core.tz);
    core.outbound.toAdmins({ type: "text", text: `${purgeText(core, note, retention)}\n${verdict}` });
    arm(now);
  });
  core.policy.onChange((key) => {
    if (key === "archive.purge.cron") arm(core.clock.now());
  });
  if (!core.timers.pending(TIMER_PURGE, "monthly")) arm(core.clock.now());
}
