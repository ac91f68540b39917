/**
 * The command grammar of the bot as fast-check arbitraries, derived from the code: command words come
 * from the registry (checked against it in commands.test.ts), the vocabularies (platforms, roles, group
 * purposes, metric keys, rule keys, crisis tiers and stages) from the same data files the bot reads.
 *
 * Assembled here from one file per command area (the order of the areas is the order of the draws, so a
 * fixed seed samples what it always did). Three families:
 * - `wellFormed`: commands that parse, each sent by someone who holds the role it needs;
 * - `unparseable`: commands built to fail parsing, with the answer the bot owes (a usage line or a
 *   hint naming the valid forms) — the strict oracle;
 * - `nearMiss` / `slashNoise`: a well-formed command with one token mutated, dropped, duplicated or
 *   swapped, full-width or odd whitespace, emoji, very long words; and random unicode after a slash.
 *   Whether these parse is not known up front, so they are held to the consistency properties.
 */
import fc from "fast-check";
import { adminBad, adminCommands } from "./admin.ts";
import { archiveBad, archiveCommands } from "./archive.ts";
import { crisisBad, crisisCommands } from "./crisis.ts";
import { dutyBad, dutyCommands } from "./duties.ts";
import { feedbackBad, feedbackCommands } from "./feedback.ts";
import { liveAccountBad, liveAccountCommands } from "./live-accounts.ts";
import { metricBad, metricCommands } from "./metrics.ts";
import { nearMissOf } from "./noise.ts";
import { protoKeyBad } from "./proto-keys.ts";
import { reviewBad, reviewCommands } from "./review.ts";
import type { BadCase, Case } from "./vocab.ts";

export { slashNoise, toFullWidth } from "./noise.ts";
export { type BadCase, type Case, STORES } from "./vocab.ts";

/**
 * Every command's accepted shapes. Left out on purpose, because their correct answer quotes the usage
 * (so "no usage line" cannot tell them from a refusal): `/archive` alone (what I may read, then the
 * usage), `/metric <平台>` without pairs on a day with no data, `/target #n` before any target is set.
 */
export const wellFormedByCommand: Record<string, fc.Arbitrary<Case>> = {
  ...adminCommands,
  ...reviewCommands,
  ...feedbackCommands,
  ...liveAccountCommands,
  ...metricCommands,
  ...crisisCommands,
  ...archiveCommands,
  ...dutyCommands,
};

export const wellFormed: fc.Arbitrary<Case> = fc.oneof(...Object.values(wellFormedByCommand));

/** Each failure mode the commands' parsers check, sent by someone allowed to run the command. */
export const unparseable: fc.Arbitrary<BadCase> = fc.oneof(
  ...adminBad,
  ...reviewBad,
  ...feedbackBad,
  ...liveAccountBad,
  ...dutyBad,
  ...metricBad,
  ...crisisBad,
  ...archiveBad,
  ...protoKeyBad,
);

export const nearMiss = nearMissOf(wellFormed);
