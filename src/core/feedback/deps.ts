import type { tickets } from "../../store/schema/index.ts";

export const TIMER_TICKET_BREACH = "ticket.breach";
export const ticketCardRef = (ticketId: number) => `ticket:${ticketId}`;
export const ticketNo = (id: number) => `T-${id}`;

export const SENTIMENT_LABEL: Record<string, string> = {
  positive: "好评",
  neutral: "中性",
  negative: "差评",
};

export type Ticket = typeof tickets.$inferSelect;
