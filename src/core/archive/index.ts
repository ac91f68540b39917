import { cronJob } from "../cron-job.ts";
import type { Feature } from "../feature.ts";
import { reviewService } from "../review/api.ts";
import type { Services } from "../services.ts";
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
 * 运营档案 (seeds/000 第十二条; docs/archive.md). Recording needs nothing here: the database's triggers copy
 * every archived write into archive_records in the same transaction. This wires the bot's clock into
 * those triggers, the `/archive` command, the approval hook of 《档案查阅申请》, the policy floor and the
 * monthly retention job.
 */
export const archive: Feature = {
  name: "archive",
  apply(r, services) {
    // Records carry the bot's clock (tests and the sandbox move it), not the machine's.
    services.db.$client.function("bot_now", () => services.clock.now());
    const review = r.need(reviewService);
    r.command(archiveCommand(review.engine));
    review.decider.onFinished(REQUEST_KIND, (itemId, outcome) =>
      onRequestFinished(services, itemId, outcome),
    );
    review.engine.cardFacts(REQUEST_KIND, requestFacts);
    services.policy.onChange((key, value) => {
      const floor = parseDuration(MIN_RETENTION) ?? 0;
      if (key === "archive.retention" && (parseDuration(value) ?? 0) < floor) {
        throw new UserError(
          `archive.retention 不能少于 ${MIN_RETENTION}（《制度》第十二条：档案保管期限至少为 3 年）`,
        );
      }
    });
    registerPurge(services);
  },
};

/**
 * The retention job on a durable timer re-armed from `archive.purge.cron` after each run, like the daily
 * digest: a run missed while the bot was down happens once at start-up.
 */
function registerPurge(services: Services): void {
  cronJob(services, {
    kind: TIMER_PURGE,
    ref: "monthly",
    rule: "archive.purge.cron",
    run: () => purge(services),
  });
}

/** Drops records past `archive.retention`, verifies the chain, and tells the admins both. */
function purge(services: Services): boolean {
  const now = services.clock.now();
  const retention = services.policy.get("archive.retention");
  const note = purgeExpired(
    services.db.$client,
    now,
    retention,
    services.policy.durationMs("archive.retention"),
  );
  const check = verifyArchive(services.db.$client);
  const verdict = check.ok ? "校验：✅ 哈希链完整" : verifyText(check, services.tz);
  services.outbound.toAdmins({ type: "text", text: `${purgeText(services, note, retention)}\n${verdict}` });
  return true;
}
