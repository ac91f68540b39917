import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { crises } from "./crisis.ts";
import { people } from "./people.ts";
import { crisisSuggestions, tickets } from "./tickets.ts";

/**
 * Who decided a 疑似危机 card, and what: one row per suggestion (the primary key is the guard, so two
 * taps at once — 定为一级 and 忽略 — give exactly one decision), named to whoever comes second.
 */
export const crisisSuggestionDecisions = sqliteTable("crisis_suggestion_decisions", {
  suggestionId: integer("suggestion_id")
    .primaryKey()
    .references(() => crisisSuggestions.id),
  /** opened (a crisis was opened from it) | attached (its tickets joined an open crisis) | ignored */
  decision: text("decision").notNull(),
  /** null when the bot attached it by itself (the store already had an open crisis). */
  decidedBy: integer("decided_by").references(() => people.id),
  decidedAt: integer("decided_at").notNull(),
  crisisId: integer("crisis_id").references(() => crises.id),
});

/** The tickets (the customers' own words) that make up a crisis: the one it was opened from and later ones. */
export const crisisTickets = sqliteTable(
  "crisis_tickets",
  {
    crisisId: integer("crisis_id")
      .notNull()
      .references(() => crises.id),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.crisisId, t.ticketId] }), index("crisis_tickets_ticket").on(t.ticketId)],
);
