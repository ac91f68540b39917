import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { Timers } from "../scheduler/timers.ts";
import type { Db } from "../store/db.ts";
import { registerAccounts } from "./accounts/index.ts";
import { bindCommand, storeCommand } from "./admin/groups.ts";
import { helpCommand } from "./admin/help.ts";
import { outboxCommand } from "./admin/outbox.ts";
import { policyCommand } from "./admin/policy.ts";
import { roleCommand } from "./admin/roles.ts";
import { registerArchive } from "./archive/index.ts";
import { CardActions } from "./commands/card-actions.ts";
import { CommandRegistry } from "./commands/registry.ts";
import { checkCommand } from "./compliance/command.ts";
import { registerCrisis } from "./crisis/index.ts";
import { registerDrill } from "./drill/index.ts";
import { registerExam, withExamGate } from "./exam/index.ts";
import { registerTicketActions } from "./feedback/actions.ts";
import { feedbackCommands, takeFeedbackMessage } from "./feedback/commands.ts";
import { registerTicketTimers } from "./feedback/reminders.ts";
import { TicketService } from "./feedback/tickets.ts";
import { registerKpi } from "./kpi/index.ts";
import { registerMetrics } from "./metrics/index.ts";
import { withSubmitTargets } from "./metrics/submit-targets.ts";
import { roleLabel } from "./people/catalog.ts";
import type { People } from "./people/people.ts";
import type { Policy } from "./policy/policy.ts";
import type { Outbound } from "./ports.ts";
import { registerRectify } from "./rectify/index.ts";
import type { Section } from "./reports/format.ts";
import { registerReports } from "./reports/index.ts";
import type { Period } from "./reports/period.ts";
import { registerReviewActions } from "./review/actions.ts";
import { contentChainLabels, contentChainNames } from "./review/chains.ts";
import { reviewCommands } from "./review/commands.ts";
import { ReviewDecider } from "./review/decide.ts";
import type { ReviewDeps } from "./review/deps.ts";
import { ReviewEngine } from "./review/engine.ts";
import { registerReviewTimers } from "./review/reminders.ts";
import { slaCommands } from "./sla/commands.ts";
import { type DigestSection, registerDigest } from "./sla/digest.ts";
import { registerLiveAccountTimers } from "./sla/live-accounts.ts";
import { registerSpotcheck } from "./spotcheck/index.ts";
import type { InboundMessage } from "./types.ts";

/** A report section from another module for a period, or undefined when it has nothing to say. */
export type ReportSection = (core: Core, period: Period) => Section | undefined;

/** Claims a non-command message; returns true when it handled it. */
export type MessageTaker = (msg: InboundMessage, actorId: number, reply: (text: string) => void) => boolean;

export interface CoreDeps {
  db: Db;
  clock: Clock;
  tz: string;
  log: Logger;
  outbound: Outbound;
  timers: Timers;
  people: People;
  policy: Policy;
}

/**
 * The policy of the company as one object: commands, card actions and timers. Imports nothing from
 * platforms/ or http/; everything it says goes out through the Outbound port.
 */
export class Core {
  readonly db: Db;
  readonly clock: Clock;
  readonly tz: string;
  readonly log: Logger;
  readonly outbound: Outbound;
  readonly timers: Timers;
  readonly people: People;
  readonly policy: Policy;
  readonly commands = new CommandRegistry();
  readonly cardActions = new CardActions();
  readonly reviewDeps: ReviewDeps;
  readonly review: ReviewEngine;
  readonly decider: ReviewDecider;
  readonly roleLabel = roleLabel;
  readonly tickets: TicketService;
  /** Digest sections contributed by other modules (open crises). */
  readonly digestSections: DigestSection[] = [];
  /** Report sections contributed by other modules (监督检查), shown after the fixed ones when they have lines. */
  readonly reportSections: ReportSection[] = [];
  /** Non-command messages: each taker may claim the message (feedback groups…). */
  readonly messageTakers: MessageTaker[] = [];

  constructor(d: CoreDeps) {
    this.db = d.db;
    this.clock = d.clock;
    this.tz = d.tz;
    this.log = d.log;
    this.outbound = d.outbound;
    this.timers = d.timers;
    this.people = d.people;
    this.policy = d.policy;
    this.policy.setChoices("review.chain", contentChainNames, contentChainLabels);
    this.policy.setChoices("feedback.rating.mid", ["差评", "中性"]);
    this.reviewDeps = {
      db: d.db,
      clock: d.clock,
      tz: d.tz,
      people: d.people,
      policy: d.policy,
      outbound: d.outbound,
      timers: d.timers,
    };
    this.review = new ReviewEngine(this.reviewDeps);
    this.decider = new ReviewDecider(this.reviewDeps, this.review);
    this.tickets = new TicketService(this.reviewDeps);
    registerReviewTimers(this.reviewDeps, this.review);
    registerReviewActions(this);
    registerTicketTimers(this.reviewDeps);
    registerTicketActions(this);
    registerLiveAccountTimers(this.reviewDeps);
    this.messageTakers.push((msg, actorId, reply) => takeFeedbackMessage(this, msg, actorId, reply));
    this.commands.add(helpCommand, roleCommand, bindCommand, storeCommand, policyCommand, outboxCommand);
    this.commands.add(...reviewCommands.map((c) => withExamGate(withSubmitTargets(c))), checkCommand);
    this.commands.add(...feedbackCommands, ...slaCommands);
    registerCrisis(this);
    registerMetrics(this);
    registerReports(this);
    registerArchive(this);
    registerExam(this);
    registerRectify(this);
    registerSpotcheck(this);
    registerDrill(this);
    registerKpi(this);
    registerAccounts(this);
    // Modules that register card actions or digest sections go above this line.
    registerDigest(this, () => this.digestSections);
  }
}
