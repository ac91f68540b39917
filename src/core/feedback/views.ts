import { eq } from "drizzle-orm";
import { tickets } from "../../store/schema/index.ts";
import { clipLine } from "../commands/clip.ts";
import { storeName } from "../people/stores.ts";
import type { Services } from "../services.ts";
import { formatDateTime } from "../time.ts";
import type { CardView } from "../types.ts";
import { sourceLabel } from "./classify.ts";
import { SENTIMENT_LABEL, ticketNo } from "./deps.ts";

const HANDLER_ROLES = ["cs", "ops", "ops_lead"];

/** The ticket card (template `ticket`): the feedback, its deadline, and 已处理 / 转交 while open. */
export function ticketCard(d: Services, ticketId: number): CardView {
  const t = d.db.select().from(tickets).where(eq(tickets.id, ticketId)).get();
  if (!t) throw new Error(`ticket ${ticketId} missing`);
  const store = storeName(d.db, t.storeId);
  const open = t.status === "open";
  const people = [...new Set(HANDLER_ROLES.flatMap((r) => d.people.holders(r)))];
  const names = d.people.names(people);
  return {
    template: "ticket",
    more: `发送 /tickets ${ticketNo(t.id)} 查看全文`,
    data: {
      headerTitle: `${SENTIMENT_LABEL[t.sentiment]}工单 ${ticketNo(t.id)}${store ? ` · ${store}` : ""}`,
      headerColor: !open ? "grey" : t.sentiment === "negative" ? "red" : "orange",
      summary: `${ticketNo(t.id)} ${clipLine(t.text, 30)}`,
      store: store ?? "未指定",
      source: t.source ? sourceLabel(t.source) : "门店反馈",
      category: t.category,
      reporter: d.people.name(t.reporterId),
      createdAt: formatDateTime(t.createdAt, d.tz),
      due: t.dueAt ? formatDateTime(t.dueAt, d.tz) : "—",
      owner: t.ownerId ? d.people.name(t.ownerId) : "客服团队",
      text: t.text,
      reasons: [
        ...t.severe.map((s) => `⚠️ 严重：${s}`),
        ...(t.reasons.length ? [`判断依据：${t.reasons.join("、")}`] : []),
      ].join("\n"),
      open,
      outcome: open
        ? ""
        : `✅ ${t.closedBy ? d.people.name(t.closedBy) : ""} 已于 ${formatDateTime(t.closedAt ?? 0, d.tz)} 处理：${t.note ?? ""}`,
      assignees: people.map((p) => ({
        text: { tag: "plain_text", content: names.get(p) ?? "?" },
        value: String(p),
      })),
      hasAssignees: people.length > 0,
      doneValue: { a: "ticket.done", ticket: t.id },
      transferValue: { a: "ticket.transfer", ticket: t.id },
    },
  };
}
