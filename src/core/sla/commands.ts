import { asc, gt } from "drizzle-orm";
import { livePlans } from "../../store/schema/index.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { CommandDef } from "../commands/registry.ts";
import { platformLabel } from "../people/catalog.ts";
import { formatDateTime, parseDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { type DigestParts, digestMessage } from "./digest.ts";
import { linkPreview, planLive } from "./live-accounts.ts";
import { livePlanLine, parseLivePlatforms } from "./live-platforms.ts";

const sla = (parts: DigestParts): CommandDef => ({
  name: "sla",
  aliases: ["超时"],
  usage: "用法：/sla",
  summary: "查看所有超时事项与本周发布节奏",
  audience: [],
  run(ctx) {
    const msg = digestMessage(ctx.services, ctx.now, parts);
    // On demand in a chat: the same text, without @-ing everyone.
    ctx.reply(msg.type === "text" ? { type: "text", text: msg.text } : msg);
  },
});

const LIVE_USAGE =
  "用法：/live <平台[,平台…]> <YYYY-MM-DD HH:mm> <主题>｜/live preview <L-编号> <#内容编号>｜/live list";

const live: CommandDef = {
  name: "live",
  aliases: ["直播"],
  usage: LIVE_USAGE,
  summary: "登记直播计划（预告需提前发布）",
  audience: ["ops", "ops_lead", "marketing_head"],
  run(ctx) {
    const [sub, a, b, ...rest] = ctx.args;
    if (sub === "list" || sub === "列表") {
      const plans = ctx.services.db
        .select()
        .from(livePlans)
        .where(gt(livePlans.startsAt, ctx.now))
        .orderBy(asc(livePlans.startsAt))
        .all();
      if (plans.length === 0) return ctx.reply("没有待进行的直播计划");
      return ctx.reply(plans.map((p) => livePlanLine(ctx.services, p, ctx.services.tz)).join("\n"));
    }
    if (sub === "preview" || sub === "预告") {
      const liveId = parseItemNo(a, "L");
      const itemId = parseItemNo(b);
      if (liveId === undefined || itemId === undefined) throw new UserError(LIVE_USAGE);
      const missing = linkPreview(ctx.services, liveId, itemId);
      if (missing.length > 0)
        return ctx.reply(
          `已关联 L-${liveId} 的预告 #${itemId}，还差：${missing.map(platformLabel).join("、")}（每个平台都要预告）`,
        );
      return ctx.reply(`已关联 L-${liveId} 的预告 #${itemId}`);
    }
    const platforms = parseLivePlatforms(sub ?? "");
    const startsAt = parseDateTime(`${a ?? ""} ${b ?? ""}`, ctx.services.tz);
    const topic = rest.join(" ").trim();
    if (!platforms || startsAt === undefined || !topic) throw new UserError(LIVE_USAGE);
    const { plan, deadline } = planLive(ctx.services, ctx.actor.personId, platforms, startsAt, topic);
    const labels = platforms.map(platformLabel).join("、");
    ctx.reply(
      `已登记直播 L-${plan.id}：${labels} ${formatDateTime(startsAt, ctx.services.tz)}「${topic}」。请在 ${formatDateTime(deadline, ctx.services.tz)} 前${platforms.length > 1 ? `在${labels}各` : ""}发布预告，发布后发送 /live preview L-${plan.id} #编号`,
    );
  },
};

// `/account` (账号台账与账号安全) lives in src/core/accounts/commands.ts.

export const slaCommands = (parts: DigestParts): CommandDef[] => [sla(parts), live];
