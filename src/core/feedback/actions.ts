import { eq } from "drizzle-orm";
import { people } from "../../store/schema/index.ts";
import type { Registry } from "../registry.ts";
import { UserError } from "../types.ts";
import { ticketNo } from "./deps.ts";
import type { TicketService } from "./tickets.ts";
import { ticketCard } from "./views.ts";

/** 已处理 / 转交 on a ticket card. */
export function registerTicketActions(r: Registry, tickets: TicketService): void {
  r.cardAction("ticket.done", ({ services, actor, action }) => {
    const id = Number(action.value.ticket);
    const note = typeof action.formValue.note === "string" ? action.formValue.note : "";
    tickets.close(id, actor.personId, note, action.messageId);
    return {
      toast: { type: "success", content: `已处理 ${ticketNo(id)}` },
      card: ticketCard(services, id),
    };
  });
  r.cardAction("ticket.transfer", ({ services, actor, action }) => {
    const id = Number(action.value.ticket);
    const to = Number(action.formValue.assignee);
    if (!Number.isInteger(to) || to <= 0) throw new UserError("请先在下拉框中选择转交给谁");
    // Someone who is not a person here broke the owner's foreign key: a crash toast (found by test/fuzz).
    if (!services.db.select({ id: people.id }).from(people).where(eq(people.id, to)).get()) {
      throw new UserError("找不到要转交的人，请在下拉框中重新选择");
    }
    tickets.transfer(id, actor.personId, to, action.messageId);
    return {
      toast: { type: "success", content: `已转交给 ${services.people.name(to)}` },
      card: ticketCard(services, id),
    };
  });
}
