import { and, eq, inArray } from "drizzle-orm";
import { contentItems, reviewSteps } from "../../store/schema/index.ts";
import { parseItemNo } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { Finding } from "../compliance/check.ts";
import { findPlatform, roleLabel } from "../people/catalog.ts";
import { formatShort, monthRange, wallTime } from "../time.ts";
import { UserError } from "../types.ts";
import { windowWarningLines } from "../windows/publish-windows.ts";
import type { ReviewApi } from "./api.ts";
import type { OpenedStep } from "./engine.ts";
import { plannedExample } from "./example-date.ts";
import { ledgerCsv } from "./ledger.ts";
import { parseSubmitArgs, SUBMIT_USAGE } from "./submit-parse.ts";
import { statusText } from "./views.ts";

/** Text commands of the review chain (seeds/000 第八条(二); docs/review.md). Each answers with what changed. */

function itemArg(ctx: CommandContext, usage: string): number {
  const no = parseItemNo(ctx.args[0]);
  if (no === undefined) throw new UserError(usage);
  return no;
}

export function submittedReply(
  itemNo: number,
  title: string,
  findings: Finding[],
  opened: OpenedStep,
  revision = 1,
  notes: string[] = [],
): string {
  const lines = [
    `已提交 #${itemNo}《${title}》${revision > 1 ? `第 ${revision} 版` : ""}，当前：${opened.step.label}（${roleLabel(opened.step.role)}）`,
  ];
  if (opened.reviewers === 0)
    lines.push(`⚠️ 目前没有可审核的「${roleLabel(opened.step.role)}」，已通知管理员`);
  if (findings.length > 0) {
    lines.push(
      `合规预审发现 ${findings.length} 处问题（将进入合规审核）：`,
      ...findings.map((f) => `⚠️ ${f.message}`),
    );
  }
  lines.push(...notes);
  return lines.join("\n");
}

const submit = (api: ReviewApi): CommandDef => ({
  name: "submit",
  aliases: ["提审"],
  usage: SUBMIT_USAGE,
  summary: "提交内容审核",
  audience: ["ops", "ops_lead", "marketing_head"],
  run(ctx) {
    if (ctx.args.length === 0 && ctx.services.outbound.can(ctx.chat.platform, "cardForms")) {
      const data = { plannedExample: plannedExample(ctx.now, ctx.services.tz) };
      ctx.reply({ type: "card", card: { template: "submit_form", data } });
      return;
    }
    const a = parseSubmitArgs(ctx.args, ctx.services.tz, ctx.now);
    if (!ctx.body.trim()) throw new UserError(`请在第二行起写正文。${SUBMIT_USAGE}`);
    const { item, findings, opened } = api.engine.submit({
      authorId: ctx.actor.personId,
      body: ctx.body,
      ...a,
    });
    const notes = windowWarningLines(item.platforms, item.plannedAt, ctx.services.tz);
    ctx.reply(submittedReply(item.id, item.title, findings, opened, 1, notes));
  },
});

const resubmit = (api: ReviewApi): CommandDef => ({
  name: "resubmit",
  aliases: ["重新提交", "重提"],
  usage: "用法：/resubmit <编号>，第二行起写修改后的正文",
  summary: "被驳回后修改重提",
  audience: ["ops", "ops_lead", "marketing_head"],
  run(ctx) {
    const no = itemArg(ctx, this.usage);
    const { item, findings, opened } = api.engine.resubmit(ctx.actor.personId, no, ctx.body);
    const notes = windowWarningLines(item.platforms, item.plannedAt, ctx.services.tz);
    ctx.reply(submittedReply(item.id, item.title, findings, opened, item.revision, notes));
  },
});

function decideCommand(
  api: ReviewApi,
  verdict: "approve" | "reject",
  name: string,
  alias: string,
  usage: string,
): CommandDef {
  return {
    name,
    aliases: [alias],
    usage,
    summary: verdict === "approve" ? "通过当前审核步骤" : "驳回（必须写意见）",
    audience: ["ops_lead", "marketing_head", "legal", "publisher"],
    run(ctx) {
      const no = itemArg(ctx, usage);
      const opinion = ctx.rest.replace(/^\S+\s*/, "") || undefined;
      const { step } = api.decider.decideItem(ctx.actor.personId, no, verdict, opinion);
      ctx.log.info({ item: no, step: step.id, verdict }, "审核决定 / review decision");
      ctx.reply(
        `${verdict === "approve" ? "✅ 已通过" : "❌ 已驳回"} #${no} 的「${step.label}」${opinion ? `，意见：${opinion}` : ""}`,
      );
    },
  };
}

const withdraw = (api: ReviewApi): CommandDef => ({
  name: "withdraw",
  aliases: ["撤回"],
  usage: "用法：/withdraw <编号> <原因>",
  summary: "撤回审核中的内容",
  audience: ["ops", "marketing_head"],
  run(ctx) {
    const no = itemArg(ctx, this.usage);
    const reason = ctx.rest.replace(/^\S+\s*/, "");
    if (!reason) throw new UserError(this.usage);
    api.engine.withdraw(ctx.actor.personId, no, reason);
    ctx.reply(`已撤回 #${no}，原因：${reason}`);
  },
});

const publish = (api: ReviewApi): CommandDef => ({
  name: "publish",
  aliases: ["发布"],
  usage: "用法：/publish <编号> <平台> [链接]",
  summary: "登记实际发布",
  audience: ["publisher"],
  run(ctx) {
    const no = itemArg(ctx, this.usage);
    const platform = findPlatform(ctx.args[1] ?? "");
    if (!platform) throw new UserError(this.usage);
    const link = ctx.args[2];
    const { remaining } = api.engine.publish(ctx.actor.personId, no, platform.key, link);
    const tail = remaining.length === 0 ? "，全部平台已发布" : `，待发布：${remaining.length} 个平台`;
    ctx.reply(`📢 已登记 #${no} 在${platform.label}发布${link ? `（${link}）` : ""}${tail}`);
  },
});

const pending: CommandDef = {
  name: "review",
  aliases: ["待审"],
  usage: "用法：/review",
  summary: "我待处理的审核",
  audience: ["ops_lead", "marketing_head", "legal", "publisher"],
  run(ctx) {
    const roles = ctx.services.people.rolesOf(ctx.actor.personId);
    const rows =
      roles.length === 0
        ? []
        : ctx.services.db
            .select({ step: reviewSteps, title: contentItems.title, authorId: contentItems.authorId })
            .from(reviewSteps)
            .innerJoin(contentItems, eq(contentItems.id, reviewSteps.itemId))
            .where(and(eq(reviewSteps.status, "pending"), inArray(reviewSteps.role, roles)))
            .orderBy(reviewSteps.openedAt)
            .all()
            .filter((r) => r.authorId !== ctx.actor.personId);
    if (rows.length === 0) return ctx.reply("你目前没有待处理的审核 👍");
    const lines = rows.map(
      (r) =>
        `#${r.step.itemId}《${r.title}》${r.step.label}，${formatShort(r.step.openedAt ?? 0, ctx.services.tz)} 起等待`,
    );
    ctx.reply(
      [`你有 ${rows.length} 项待审：`, ...lines, "用 /approve <编号> 或 /reject <编号> <意见> 处理"].join(
        "\n",
      ),
    );
  },
};

const status: CommandDef = {
  name: "status",
  aliases: ["进度"],
  usage: "用法：/status <编号>",
  summary: "查看内容的审核进度与全文",
  audience: [],
  run(ctx) {
    ctx.reply(statusText(ctx.services, itemArg(ctx, this.usage)));
  },
};

const ledger: CommandDef = {
  name: "ledger",
  aliases: ["台账"],
  usage: "用法：/ledger [YYYY-MM]（默认本月）",
  summary: "导出审核台账 CSV",
  audience: ["ops_lead", "marketing_head", "legal"],
  run(ctx) {
    const w = wallTime(ctx.now, ctx.services.tz);
    const month = ctx.args[0] ?? `${w.year}-${String(w.month).padStart(2, "0")}`;
    const range = monthRange(month, ctx.services.tz);
    if (!range || ctx.args.length > 1) throw new UserError(this.usage);
    const { csv, rows } = ledgerCsv(ctx.services, range[0], range[1]);
    ctx.reply({
      type: "file",
      fileName: `审核台账-${month}.csv`,
      base64: Buffer.from(csv, "utf8").toString("base64"),
    });
    ctx.reply(`已生成 ${month} 审核台账，共 ${rows} 条`);
  },
};

export const reviewCommands = (api: ReviewApi): CommandDef[] => [
  submit(api),
  resubmit(api),
  decideCommand(api, "approve", "approve", "通过", "用法：/approve <编号> [意见]"),
  decideCommand(api, "reject", "reject", "驳回", "用法：/reject <编号> <意见>"),
  withdraw(api),
  publish(api),
  pending,
  status,
  ledger,
];
