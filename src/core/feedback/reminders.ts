import { eq } from "drizzle-orm";
import type { TimerRow } from "../../scheduler/timers.ts";
import { tickets } from "../../store/schema/index.ts";
import type { Services } from "../services.ts";
import { deferIfQuiet } from "../sla/defer.ts";
import { remind } from "../sla/reminder-batch.ts";
import { TIMER_TICKET_BREACH, ticketNo } from "./deps.ts";

/** Who answers for a ticket: its owner after a 转交, else every 客服. */
export function ticketOwners(d: Services, ownerId: number | null): number[] {
  return ownerId !== null ? [ownerId] : d.people.holders("cs");
}

/**
 * First-response deadline passed (24 h, 微博评论 30 min, 留言 2 h): record the breach at its real time and
 * tell the owners once (the timer row is the once), after quiet hours if they are on.
 */
export function registerTicketTimers(d: Services): void {
  d.timers.on(TIMER_TICKET_BREACH, (t: TimerRow) => {
    const ticket = d.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, Number(t.ref)))
      .get();
    if (ticket?.status !== "open") return;
    if (!ticket.breachedAt)
      d.db.update(tickets).set({ breachedAt: t.fireAt }).where(eq(tickets.id, ticket.id)).run();
    if (deferIfQuiet(t, d.clock.now(), d)) return;
    const text = `🔴 超时：工单 ${ticketNo(ticket.id)}（${ticket.text.slice(0, 30)}${ticket.text.length > 30 ? "…" : ""}）已超过首次响应时限，请尽快回复客户后发送 /done ${ticketNo(ticket.id)} <处理说明>`;
    for (const p of ticketOwners(d, ticket.ownerId)) remind(d, p, text);
  });
}
