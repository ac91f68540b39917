import type { Core } from "../core.ts";
import { registerCrisisActions } from "./actions.ts";
import { ackCommand, crisisCommand } from "./commands.ts";
import { registerContain } from "./contain.ts";
import { crisisDigestLines } from "./digest.ts";
import { takeEvidenceImage } from "./evidence.ts";
import { registerPaging } from "./paging.ts";
import { onStatementFinished } from "./statement.ts";
import { registerSuggestionActions } from "./suggestion.ts";

/**
 * Crisis paging (seeds/000 第十一条) plugged into the core: commands, card buttons, the page and
 * contain timers, evidence images, the 三级 statement's approval hook and the daily digest section.
 */
export function registerCrisis(core: Core): void {
  core.commands.add(crisisCommand, ackCommand);
  registerCrisisActions(core);
  registerSuggestionActions(core);
  registerPaging(core);
  registerContain(core);
  core.decider.onFinished("crisis_statement", (itemId, outcome) =>
    onStatementFinished(core, itemId, outcome),
  );
  core.messageTakers.push((msg, personId, reply) => takeEvidenceImage(core, msg, personId, reply));
  core.digestSections.push((c, now) => ({ label: "进行中的危机", lines: crisisDigestLines(c, now) }));
}
