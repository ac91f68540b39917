import { desc } from "drizzle-orm";
import { crisisDrills } from "../../store/schema/index.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { isDrill } from "../crisis/drill-mark.ts";
import { openCrisis } from "../crisis/lifecycle.ts";
import { crisisNo } from "../crisis/model.ts";
import { crisisArg, parseTier } from "../crisis/parse.ts";
import { getCrisis } from "../crisis/repo.ts";
import type { Services } from "../services.ts";
import { formatShort } from "../time.ts";
import { UserError } from "../types.ts";

/** `/drill` (`/演练`): 危机演练 (《制度》第十四条(二)4) on the real pager. */

const USAGE = [
  "用法：/drill <1|2|3> [说明] 发起危机演练（真实呼叫危机小组，消息均标【演练】）",
  "/drill list 演练记录｜/drill report <C-编号> 查看演练报告",
  "结束演练：/crisis close <C-编号> <总结>",
].join("\n");

function requireOrganiser(services: Services, ctx: CommandContext): void {
  const { actor } = ctx;
  if (actor.isAdmin || services.people.hasRole(actor.personId, "marketing_head")) return;
  throw new UserError("只有市场部门负责人（危机小组组长）或管理员可以发起危机演练");
}

function start(ctx: CommandContext): void {
  const { services } = ctx;
  const tier = parseTier(ctx.args[0]);
  if (!tier) throw new UserError(USAGE);
  requireOrganiser(services, ctx);
  const note = [ctx.rest.replace(/^\S+\s*/, "").trim(), ctx.body.trim()]
    .filter(Boolean)
    .join("\n")
    .slice(0, 500);
  const { crisis, reply } = openCrisis(services, {
    tier,
    description: `危机处置模拟演练${note ? `：${note}` : ""}`,
    reporterId: ctx.actor.personId,
    beforePage: (id) => {
      services.db
        .insert(crisisDrills)
        .values({
          crisisId: id,
          note: note || null,
          startedBy: ctx.actor.personId,
          startedAt: services.clock.now(),
        })
        .run();
    },
  });
  const no = crisisNo(crisis.id);
  const escalate = services.policy.get("drill.escalate") === "开" ? "会" : "不会";
  ctx.reply(
    `${reply}\n演练中无人确认时${escalate}升级到管理层（规则 drill.escalate）。结束演练：/crisis close ${no} <总结>，机器人会生成演练报告`,
  );
}

export const drillCommand: CommandDef = {
  name: "drill",
  aliases: ["演练"],
  usage: USAGE,
  summary: "危机处置模拟演练",
  audience: ["marketing_head", "crisis"],
  run(ctx) {
    const sub = (ctx.args[0] ?? "").toLowerCase();
    const { services } = ctx;
    if (sub === "list" || sub === "列表") {
      if (ctx.args.length > 1) throw new UserError(USAGE);
      const rows = services.db
        .select()
        .from(crisisDrills)
        .orderBy(desc(crisisDrills.startedAt))
        .limit(20)
        .all();
      if (rows.length === 0) return ctx.reply("还没有危机演练记录。发起：/drill 2 [说明]");
      return ctx.reply(
        rows
          .map((d) => {
            const c = getCrisis(services.db, d.crisisId);
            const state = d.endedAt ? `已结束 ${formatShort(d.endedAt, services.tz)}` : "进行中";
            return `【演练】${crisisNo(d.crisisId)} ${["", "一级", "二级", "三级"][c.tier]} · ${formatShort(d.startedAt, services.tz)} 发起 · ${state}${d.note ? ` · ${d.note.slice(0, 30)}` : ""}`;
          })
          .join("\n"),
      );
    }
    if (sub === "report" || sub === "报告") {
      const usage = "用法：/drill report <C-编号>";
      if (ctx.args.length !== 2) throw new UserError(usage);
      const id = crisisArg(ctx.args[1], usage);
      if (!isDrill(services.db, id)) throw new UserError(`${crisisNo(id)} 不是演练`);
      const d = services.db
        .select()
        .from(crisisDrills)
        .all()
        .find((x) => x.crisisId === id);
      return ctx.reply(
        d?.report ??
          `【演练】${crisisNo(id)} 还在进行中，结束后生成报告：/crisis close ${crisisNo(id)} <总结>`,
      );
    }
    start(ctx);
  },
};
