import { eq } from "drizzle-orm";
import { people } from "../../store/schema/index.ts";
import type { Core } from "../core.ts";
import { UserError } from "../types.ts";
import { ticketNo } from "./deps.ts";
import { ticketCard } from "./views.ts";

/** 已处理 / 转交 on a ticket card. */
export function registerTicketActions(core: Core): void {
  core.cardActions.on("ticket.done", ({ core, actor, action }) => {
    const id = Number(action.value.ticket);
    const note = typeof action.formValue.note === "string" ? action.formValue.note : "";
    core.tickets.close(id, actor.personId, note, action.messageId);
    return {
      toast: { type: "success", content: `已处理 ${ticketNo(id)}` },
      card: ticketCard(core.reviewDeps, id),
    };
  });
  core.cardActions.on("ticket.transfer", ({ core, actor, action }) => {
    const id = Number(action.value.ticket);
    const to = Number(action.formValue.assignee);
    if (!Number.isInteger(to) || to <= 0) throw new UserError("请先在下拉框中选择转交给谁");
    // Someone who is not a person here broke the owner's foreign key: a crash toast (found by test/fuzz).
    if (!core.db.select({ id: people.id }).from(people).where(eq(people.id, to)).get()) {
      throw new UserError("找不到要转交的人，请在下拉框中重新选择");
    }
    core.tickets.transfer(id, actor.personId, to, action.messageId);
    return {
      toast: { type: "success", content: `已转交给 ${core.people.name(to)}` },
      card: ticketCard(core.reviewDeps, id),
    };
  });
}
