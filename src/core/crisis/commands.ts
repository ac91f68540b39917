import { and, eq } from "drizzle-orm";
import { groupBindings } from "../../store/schema/index.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { ReviewEngine } from "../review/engine.ts";
import { UserError } from "../types.ts";
import type { ClosedHooks } from "./api.ts";
import { drillText } from "./drill-mark.ts";
import { armEvidence } from "./evidence.ts";
import { closeCrisis, openCrisis, setLevel, setStage } from "./lifecycle.ts";
import { crisisNo, STAGE_LABEL, STAGES } from "./model.ts";
import { acknowledge } from "./paging.ts";
import { crisisArg, parseStage, parseTier, takeDiscovered } from "./parse.ts";
import { addEvent, getCrisis, openCrises, requireResponder } from "./repo.ts";
import { listText, showText } from "./show.ts";
import { publishStatement, submitStatement } from "./statement.ts";

/** `/crisis` (`/危机`) and `/ack` (seeds/000 第十一条(二)). Every command that changes something answers with what. */

const USAGE = [
  "用法：/crisis <1|2|3> <描述> [发现于=HH:mm] 上报危机",
  "/crisis list [all]｜/crisis show <编号>",
  "/crisis stage <编号> <阶段> <说明>｜/crisis level <编号> <1|2|3>",
  "/crisis evidence <编号> [说明]（随后发图片）｜/crisis note <编号> <内容>",
  "/crisis statement <编号> <声明全文>｜/crisis publish <编号> [链接]",
  "/crisis close <编号> <总结>｜/ack <编号>",
].join("\n");

const STAGE_WORDS = STAGES.map((s) => STAGE_LABEL[s]).join("、");

/** The first line after `skip` words, spacing kept, plus the lines below it. */
function textAfter(ctx: CommandContext, skip: number): string {
  let rest = ctx.rest;
  for (let i = 0; i < skip; i++) rest = rest.replace(/^\S+\s*/, "");
  return [rest.trim(), ctx.body.trim()].filter(Boolean).join("\n");
}

/** What the subcommands need beyond the context: the review chain (声明) and the 结案 hooks. */
interface CrisisDeps {
  review: ReviewEngine;
  closed: ClosedHooks;
}

type Sub = (ctx: CommandContext, deps: CrisisDeps) => void;

/**
 * The answer to a command that also told the crisis groups (确认, 阶段, 级别, 结案): typed in a crisis
 * group, the group already has the news, so it gets one message, not the news and an echo of it.
 */
function replyUnlessToldThere(ctx: CommandContext, text: string): void {
  const there = ctx.services.db
    .select({ chatId: groupBindings.chatId })
    .from(groupBindings)
    .where(
      and(
        eq(groupBindings.platform, ctx.chat.platform),
        eq(groupBindings.chatId, ctx.chat.chatId),
        eq(groupBindings.purpose, "crisis"),
      ),
    )
    .get();
  if (!there) ctx.reply(text);
}

const subcommands: { names: string[]; run: Sub }[] = [
  {
    names: ["list", "列表", "ls"],
    run: (ctx) => ctx.reply(listText(ctx.services, ctx.now, ctx.args[1] === "all" || ctx.args[1] === "全部")),
  },
  {
    names: ["show", "查看", "详情"],
    run: (ctx) =>
      ctx.reply(showText(ctx.services, crisisArg(ctx.args[1], "用法：/crisis show <编号>"), ctx.now)),
  },
  {
    names: ["stage", "阶段"],
    run(ctx, { closed }) {
      const usage = `用法：/crisis stage <编号> <阶段> <说明>（阶段：${STAGE_WORDS}）`;
      const id = crisisArg(ctx.args[1], usage);
      const to = parseStage(ctx.args[2]);
      if (!to) throw new UserError(usage);
      setStage(ctx.services, ctx.actor, { id, to, note: textAfter(ctx, 3) }, closed);
      const c = getCrisis(ctx.services.db, id);
      replyUnlessToldThere(ctx, `${crisisNo(id)} 当前阶段：「${STAGE_LABEL[c.stage]}」`);
    },
  },
  {
    names: ["level", "级别", "定级"],
    run(ctx) {
      const usage = "用法：/crisis level <编号> <1|2|3>";
      const id = crisisArg(ctx.args[1], usage);
      const tier = parseTier(ctx.args[2]);
      if (!tier) throw new UserError(usage);
      setLevel(ctx.services, ctx.actor, id, tier);
      replyUnlessToldThere(ctx, `${crisisNo(id)} 已调整为${["", "一级", "二级", "三级"][tier]}`);
    },
  },
  {
    names: ["evidence", "证据"],
    run(ctx) {
      const id = crisisArg(ctx.args[1], "用法：/crisis evidence <编号> [说明]，然后发送图片");
      ctx.reply(armEvidence(ctx.services, ctx.actor, id, textAfter(ctx, 2)));
    },
  },
  {
    names: ["note", "记录", "备注"],
    run(ctx) {
      const usage = "用法：/crisis note <编号> <内容>";
      const id = crisisArg(ctx.args[1], usage);
      const text = textAfter(ctx, 2);
      if (!text) throw new UserError(usage);
      const c = getCrisis(ctx.services.db, id);
      if (c.stage === "closed") throw new UserError(`${crisisNo(id)} 已结案`);
      requireResponder(ctx.services, ctx.actor, c, "记录危机进展", [
        c.reporterId,
        ...(c.leadId ? [c.leadId] : []),
      ]);
      addEvent(ctx.services.db, {
        crisisId: id,
        type: "note",
        actorId: ctx.actor.personId,
        detail: `记录：${text}`,
        at: ctx.now,
      });
      ctx.reply(`已记录到 ${crisisNo(id)} 的时间线`);
    },
  },
  {
    names: ["statement", "声明"],
    run(ctx, { review }) {
      const id = crisisArg(ctx.args[1], "用法：/crisis statement <编号> <声明全文>（可多行）");
      ctx.reply(submitStatement(ctx.services, review, ctx.actor, id, textAfter(ctx, 2)));
    },
  },
  {
    names: ["publish", "发布"],
    run(ctx) {
      const id = crisisArg(ctx.args[1], "用法：/crisis publish <编号> [链接]");
      ctx.reply(publishStatement(ctx.services, ctx.actor, id, ctx.args[2]));
    },
  },
  {
    names: ["close", "结案", "关闭"],
    run(ctx, { closed }) {
      const id = crisisArg(ctx.args[1], "用法：/crisis close <编号> <总结>");
      closeCrisis(ctx.services, ctx.actor, { id, summary: textAfter(ctx, 2), closed });
      replyUnlessToldThere(
        ctx,
        `🏁 ${crisisNo(id)} 已结案，记录永久保存。/crisis show ${crisisNo(id)} 查看时间线`,
      );
    },
  },
];

function report(ctx: CommandContext): void {
  const tier = parseTier(ctx.args[0]);
  if (!tier) throw new UserError(USAGE);
  const { words, discoveredAt } = takeDiscovered(ctx.args.slice(1), ctx.now, ctx.services.tz);
  const description = [words.join(" "), ctx.body.trim()].filter(Boolean).join("\n");
  if (!description) throw new UserError(`请写上危机描述。${USAGE}`);
  if (description.length > 2000) throw new UserError("危机描述请控制在 2000 字以内");
  const { reply } = openCrisis(ctx.services, {
    tier,
    description,
    reporterId: ctx.actor.personId,
    ...(discoveredAt !== undefined ? { discoveredAt } : {}),
  });
  ctx.reply(reply);
}

/** `/crisis`; its 声明 goes through the review chain of `review`. */
export const crisisCommand = (deps: CrisisDeps): CommandDef => ({
  name: "crisis",
  aliases: ["危机"],
  usage: USAGE,
  summary: "上报与处置危机（呼叫、确认、阶段、声明、结案）",
  audience: [],
  run(ctx) {
    const word = (ctx.args[0] ?? "").toLowerCase();
    const sub = subcommands.find((s) => s.names.includes(word));
    if (!sub) return report(ctx);
    // Answers about a drill (演练) say so, like every other message of it.
    const id = parseItemNo(ctx.args[1], "C");
    const reply: typeof ctx.reply = (m) =>
      ctx.reply(typeof m === "string" && id !== undefined ? drillText(ctx.services.db, id, m) : m);
    sub.run({ ...ctx, reply }, deps);
  },
});

export const ackCommand: CommandDef = {
  name: "ack",
  aliases: ["收到"],
  usage: "用法：/ack <编号>，例如 /ack C-7",
  summary: "确认危机呼叫（成为负责人）",
  audience: ["crisis", "marketing_head", "management"],
  run(ctx) {
    let id: number;
    if (ctx.args[0]) id = crisisArg(ctx.args[0], this.usage);
    else {
      // Without a number: the one crisis still waiting for a 收到, if there is exactly one.
      const waiting = openCrises(ctx.services.db).filter((c) => c.ackedAt === null);
      if (waiting.length !== 1 || !waiting[0]) throw new UserError(this.usage);
      id = waiting[0].id;
    }
    const r = acknowledge(ctx.services, ctx.actor, id);
    // The one who came second is told who leads, wherever they typed it.
    if (r.won) replyUnlessToldThere(ctx, r.text);
    else ctx.reply(r.text);
  },
};
