import type { Feature } from "../feature.ts";
import { reviewService } from "../review/api.ts";
import { registerCrisisActions } from "./actions.ts";
import { ClosedHooks, crisisService } from "./api.ts";
import { ackCommand, crisisCommand } from "./commands.ts";
import { registerContain } from "./contain.ts";
import { crisisDigestLines } from "./digest.ts";
import { takeEvidenceImage } from "./evidence.ts";
import { registerPaging } from "./paging.ts";
import { onStatementFinished } from "./statement.ts";
import { registerSuggestionActions } from "./suggestion.ts";

/**
 * Crisis paging (seeds/000 第十一条): commands, card buttons, the page and
 * contain timers, evidence images, the 三级 statement's approval hook and the daily digest section.
 */
export const crisis: Feature = {
  name: "crisis",
  apply(r, services) {
    const review = r.need(reviewService);
    const closed = new ClosedHooks();
    r.provide(crisisService, { onClosed: (hook) => closed.add(hook) });
    r.command(crisisCommand({ review: review.engine, closed }), ackCommand);
    registerCrisisActions(r, closed);
    registerSuggestionActions(r);
    registerPaging(services);
    registerContain(services);
    review.decider.onFinished("crisis_statement", (itemId, outcome) =>
      onStatementFinished(services, itemId, outcome),
    );
    r.messageTaker((msg, personId, reply) => takeEvidenceImage(services, msg, personId, reply));
    r.digestSection((s, now) => ({ label: "进行中的危机", lines: crisisDigestLines(s, now) }));
  },
};
