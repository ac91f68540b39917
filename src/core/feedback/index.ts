import type { Feature } from "../feature.ts";
import { registerTicketActions } from "./actions.ts";
import { ticketBreaches } from "./breaches.ts";
import { feedbackCommands, takeFeedbackMessage } from "./commands.ts";
import { registerTicketTimers } from "./reminders.ts";
import { TicketService } from "./tickets.ts";

/**
 * Customer feedback (《制度》第八条, 第九条): /feedback and every message of a feedback group become
 * tickets, classified and routed to 客服 with a first-response deadline; 已处理/转交 on the ticket card.
 */
export const feedback: Feature = {
  name: "feedback",
  apply(r, services) {
    services.policy.setChoices("feedback.rating.mid", ["差评", "中性"]);
    const tickets = new TicketService(services);
    registerTicketTimers(services);
    registerTicketActions(r, tickets);
    r.messageTaker((msg, actorId, reply) => takeFeedbackMessage(services, tickets, msg, actorId, reply));
    r.command(...feedbackCommands(tickets));
    r.breaches(ticketBreaches);
  },
};
