import { asc, gt } from "drizzle-orm";
import { accounts, livePlans } from "../../store/schema/index.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { CommandDef } from "../commands/registry.ts";
import { findPlatform, platformLabel } from "../people/catalog.ts";
import { formatDateTime, formatShort, parseDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { digestMessage } from "./digest.ts";
import { accountRotated, addAccount, linkPreview, planLive } from "./live-accounts.ts";
import { livePlanLine, parseLivePlatforms } from "./live-platforms.ts";

const sla: CommandDef = {
  name: "sla",
  aliases: ["超时"],
  usage: "用法：/sla",
  summary: "查看所有超时事项与本周发布节奏",
  audience: [],
  run(ctx) {
    const msg = digestMessage(ctx.core, ctx.now, ctx.core.digestSections);
    // On demand in a chat: the same text, without @-ing everyone.
    ctx.reply(msg.type === "text" ? { type: "text", text: msg.text } : msg);
  },
};

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
      const plans = ctx.core.db
        .select()
        .from(livePlans)
        .where(gt(livePlans.startsAt, ctx.now))
        .orderBy(asc(livePlans.startsAt))
        .all();
      if (plans.length === 0) return ctx.reply("没有待进行的直播计划");
      return ctx.reply(plans.map((p) => livePlanLine(ctx.core.reviewDeps, p, ctx.core.tz)).join("\n"));
    }
    if (sub === "preview" || sub === "预告") {
      const liveId = parseItemNo(a, "L");
      const itemId = parseItemNo(b);
      if (liveId === undefined || itemId === undefined) throw new UserError(LIVE_USAGE);
      const missing = linkPreview(ctx.core.reviewDeps, liveId, itemId);
      if (missing.length > 0)
        return ctx.reply(
          `已关联 L-${liveId} 的预告 #${itemId}，还差：${missing.map(platformLabel).join("、")}（每个平台都要预告）`,
        );
      return ctx.reply(`已关联 L-${liveId} 的预告 #${itemId}`);
    }
    const platforms = parseLivePlatforms(sub ?? "");
    const startsAt = parseDateTime(`${a ?? ""} ${b ?? ""}`, ctx.core.tz);
    const topic = rest.join(" ").trim();
    if (!platforms || startsAt === undefined || !topic) throw new UserError(LIVE_USAGE);
    const { plan, deadline } = planLive(ctx.core.reviewDeps, ctx.actor.personId, platforms, startsAt, topic);
    const labels = platforms.map(platformLabel).join("、");
    ctx.reply(
      `已登记直播 L-${plan.id}：${labels} ${formatDateTime(startsAt, ctx.core.tz)}「${topic}」。请在 ${formatDateTime(deadline, ctx.core.tz)} 前${platforms.length > 1 ? `在${labels}各` : ""}发布预告，发布后发送 /live preview L-${plan.id} #编号`,
    );
  },
};

const ACCOUNT_USAGE =
  "用法：/account add <平台> <账号名>｜/account rotated <平台> <账号名>｜/account list（机器人从不保存密码）";

const account: CommandDef = {
  name: "account",
  aliases: ["账号"],
  usage: ACCOUNT_USAGE,
  summary: "账号密码更换提醒",
  audience: ["ops_lead", "marketing_head", "admin_office"],
  run(ctx) {
    const [sub, p] = ctx.args;
    if (sub === "list" || sub === "列表") {
      const all = ctx.core.db.select().from(accounts).orderBy(accounts.platform, accounts.name).all();
      if (all.length === 0) return ctx.reply("还没有登记账号");
      const every = ctx.core.policy.durationMs("account.rotation");
      return ctx.reply(
        all
          .map((x) => {
            const due = x.rotatedAt + every;
            return `${platformLabel(x.platform)}「${x.name}」上次更换 ${formatShort(x.rotatedAt, ctx.core.tz)}，${due < ctx.now ? "🔴 已到期" : `下次 ${formatShort(due, ctx.core.tz)}`}`;
          })
          .join("\n"),
      );
    }
    const platform = findPlatform(p ?? "");
    const name = ctx.rest.replace(/^\S+\s+\S+\s*/, "").trim();
    if ((sub !== "add" && sub !== "rotated") || !platform || !name) throw new UserError(ACCOUNT_USAGE);
    if (sub === "add") addAccount(ctx.core.reviewDeps, ctx.actor.personId, platform.key, name);
    else accountRotated(ctx.core.reviewDeps, platform.key, name);
    ctx.reply(
      sub === "add"
        ? `已登记${platform.label}账号「${name}」，每 ${ctx.core.policy.get("account.rotation")} 提醒更换密码（机器人不保存密码）`
        : `已记录${platform.label}账号「${name}」今天更换了密码`,
    );
  },
};

export const slaCommands: CommandDef[] = [sla, live, account];
