import { and, eq } from "drizzle-orm";
import { groupBindings, stores } from "../../store/schema/index.ts";
import { clipLine } from "../commands/clip.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { type InboundMessage, UserError } from "../types.ts";
import { SENTIMENT_LABEL, ticketNo } from "./deps.ts";
import type { TicketService } from "./tickets.ts";

/** The store a feedback group was bound to (`/bind feedback 城东店`), if this chat is one. */
export function feedbackStoreOf(
  services: Services,
  platform: string,
  chatId: string,
): number | null | undefined {
  const row = services.db
    .select({ storeId: groupBindings.storeId })
    .from(groupBindings)
    .where(
      and(
        eq(groupBindings.platform, platform),
        eq(groupBindings.chatId, chatId),
        eq(groupBindings.purpose, "feedback"),
      ),
    )
    .get();
  return row ? row.storeId : undefined;
}

const FEEDBACK_USAGE = "用法：/feedback [门店] <反馈内容>";

const feedback = (tickets: TicketService): CommandDef => ({
  name: "feedback",
  aliases: ["反馈"],
  usage: FEEDBACK_USAGE,
  summary: "登记门店/客户反馈",
  audience: [],
  run(ctx) {
    let text = [ctx.rest, ctx.body].filter(Boolean).join("\n").trim();
    let storeId = feedbackStoreOf(ctx.services, ctx.chat.platform, ctx.chat.chatId) ?? null;
    const first = ctx.args[0];
    const named = first
      ? ctx.services.db.select().from(stores).where(eq(stores.name, first)).get()
      : undefined;
    if (named) {
      storeId = named.id;
      text = text.slice(first?.length ?? 0).trim();
    }
    if (!text) throw new UserError(FEEDBACK_USAGE);
    ctx.reply(
      tickets.open({
        text,
        storeId,
        reporterId: ctx.actor.personId,
        platform: ctx.chat.platform,
        chatId: ctx.chat.chatId,
      }).reply,
    );
  },
});

const ticketList = (tickets: TicketService): CommandDef => ({
  name: "tickets",
  aliases: ["工单"],
  usage: "用法：/tickets｜/tickets <T-编号> 查看一条工单的全文",
  summary: "未处理的工单",
  audience: ["cs", "ops", "ops_lead", "marketing_head"],
  run(ctx) {
    if (ctx.args[0]) {
      // One ticket in full: where a card cut a long complaint points to.
      const id = parseItemNo(ctx.args[0], "T");
      if (id === undefined) throw new UserError(this.usage);
      return ctx.reply(ticketText(ctx.services, tickets, id));
    }
    const open = tickets.listOpen();
    if (open.length === 0) return ctx.reply("目前没有未处理的工单 👍");
    const max = ctx.services.policy.count("digest.max.lines");
    const lines = open.slice(0, max).map((t) => {
      const late = t.breachedAt ? "🔴已超时" : `截止 ${formatShort(t.dueAt ?? 0, ctx.services.tz)}`;
      const store = tickets.storeName(t.storeId) ?? "未指定门店";
      return `${ticketNo(t.id)}｜${store}｜${SENTIMENT_LABEL[t.sentiment]}｜${late}｜${clipLine(t.text, 30)}`;
    });
    if (open.length > max) lines.push(`…另有 ${open.length - max} 条，共 ${open.length} 条未处理`);
    ctx.reply([`未处理工单 ${open.length} 条：`, ...lines].join("\n"));
  },
});

/** One ticket as a person reads it: number, store, kind, who reported it, state, and the whole text. */
function ticketText(services: Services, tickets: TicketService, id: number): string {
  const t = tickets.get(id);
  const store = tickets.storeName(t.storeId) ?? "未指定门店";
  const state =
    t.status === "open"
      ? t.breachedAt
        ? "🔴已超时"
        : t.dueAt
          ? `待处理，截止 ${formatShort(t.dueAt, services.tz)}`
          : "待处理"
      : t.status === "material"
        ? "好评素材"
        : `已处理${t.note ? `：${t.note}` : ""}`;
  return [
    `${ticketNo(t.id)}｜${store}｜${SENTIMENT_LABEL[t.sentiment]}｜${state}`,
    `登记：${services.people.name(t.reporterId)} ${formatShort(t.createdAt, services.tz)}`,
    "— 内容 —",
    t.text,
  ].join("\n");
}

const done = (tickets: TicketService): CommandDef => ({
  name: "done",
  aliases: ["处理", "已处理"],
  usage: "用法：/done <T-编号> <处理说明>",
  summary: "关闭工单并记录处理说明",
  audience: ["cs", "ops", "ops_lead", "marketing_head"],
  run(ctx) {
    const id = parseItemNo(ctx.args[0], "T");
    const note = ctx.rest.replace(/^\S+\s*/, "");
    if (id === undefined || !note) throw new UserError(this.usage);
    tickets.close(id, ctx.actor.personId, note);
    ctx.reply(`✅ 已处理 ${ticketNo(id)}：${note}`);
  },
});

/** Every message in a feedback-bound group is feedback (docs/feedback.md). Returns true when it took the message. */
export function takeFeedbackMessage(
  services: Services,
  tickets: TicketService,
  msg: InboundMessage,
  actorId: number,
  reply: (t: string) => void,
): boolean {
  if (msg.chat.chatType !== "group" || !msg.text.trim()) return false;
  const storeId = feedbackStoreOf(services, msg.platform, msg.chat.chatId);
  if (storeId === undefined) return false;
  const text = msg.text.replace(/@\{\d+\}\s*/g, "").trim();
  if (!text) return false;
  reply(
    tickets.open({ text, storeId, reporterId: actorId, platform: msg.platform, chatId: msg.chat.chatId })
      .reply,
  );
  return true;
}

export const feedbackCommands = (tickets: TicketService): CommandDef[] => [
  feedback(tickets),
  ticketList(tickets),
  done(tickets),
];
export type { CommandContext };
