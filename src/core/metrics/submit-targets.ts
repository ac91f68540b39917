import { and, desc, eq } from "drizzle-orm";
import { contentItems } from "../../store/schema/index.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { OutMessage } from "../types.ts";
import { parseTargets, targetSummary } from "./commands.ts";
import { setTargets } from "./repo.ts";

const TARGET_TOKEN = /^目标(.+[=＝].+)$/;

/**
 * `/submit 抖音 标题 目标曝光=50万 目标互动=1万`: the `目标…=` words are taken out before the submit parser
 * sees the line (so they never end up in the title), validated first (a bad target refuses the whole
 * submission, nothing is created), and stored on the new item.
 */
export function withSubmitTargets(def: CommandDef): CommandDef {
  return {
    ...def,
    usage: `${def.usage}；可加目标：目标曝光=50万 目标互动=1万`,
    run(ctx: CommandContext) {
      const targetTokens = ctx.args.filter((t) => TARGET_TOKEN.test(t));
      if (targetTokens.length === 0) return def.run.call(def, ctx);
      const pairs = parseTargets(targetTokens.map((t) => t.replace(/^目标/, "")));
      let answer: string | undefined;
      const inner: CommandContext = {
        ...ctx,
        args: ctx.args.filter((t) => !TARGET_TOKEN.test(t)),
        reply: (m: string | OutMessage) => {
          if (typeof m === "string" && answer === undefined) answer = m;
          else ctx.reply(m);
        },
      };
      def.run.call(def, inner);
      const item = ctx.services.db
        .select({ id: contentItems.id })
        .from(contentItems)
        .where(and(eq(contentItems.authorId, ctx.actor.personId), eq(contentItems.createdAt, ctx.now)))
        .orderBy(desc(contentItems.id))
        .get();
      if (item) setTargets(ctx.services.db, item.id, pairs, ctx.actor.personId, ctx.now);
      const lines = item ? targetSummary(ctx, item.id) : [];
      if (answer !== undefined) ctx.reply([answer, ...lines.map((l) => `🎯 ${l}`)].join("\n"));
    },
  };
}
