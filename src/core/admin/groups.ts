import { eq } from "drizzle-orm";
import { auditLog, groupBindings, stores, wecomRobots } from "../../store/schema/index.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { catalog, findPurpose } from "../people/catalog.ts";
import { UserError } from "../types.ts";
import { takeReplaceFlag, webhookTwins } from "./bind-replace.ts";
import { requireAdminOrHead } from "./guard.ts";

const BIND_USAGE = `用法：在群里发送 /bind <用途> [门店名]（企业微信群：@智能机器人 发送；只有群机器人 webhook 的群：私聊发送 /bind <用途> <群机器人webhook或key>）。用途：${catalog.groupPurposes.map((p) => `${p.key} ${p.label}`).join("、")}`;

/**
 * A WeCom group robot's webhook (`…/cgi-bin/webhook/send?key=KEY`) or its bare key. A WeCom app can
 * neither read nor post in ordinary groups (docs/platforms.md), so on WeCom a group is bound by its robot, in a DM.
 * Only the key is kept (the host is always WECOM_API_BASE), in its own table: it is a credential.
 */
const ROBOT = /^(?:https?:\/\/[^\s?]+\?(?:[^\s]*&)?key=)?([A-Za-z0-9-]{16,64})(?:&\S*)?$/;

function bindRobot(
  ctx: CommandContext,
  purpose: { key: string; label: string; needsStore?: boolean | undefined },
) {
  const hook = ROBOT.exec(ctx.args.at(-1) ?? "")?.[1];
  if (!hook || ctx.args.length < 2) throw new UserError(`请在群里发送此命令。${BIND_USAGE}`);
  if (purpose.needsStore) {
    throw new UserError(
      "企业微信群机器人只能发消息、收不到群消息，不能作为反馈群；门店反馈请用 /feedback <门店> <内容>",
    );
  }
  ctx.services.db
    .insert(wecomRobots)
    .values({ webhookKey: hook, addedBy: ctx.actor.personId, addedAt: ctx.now })
    .onConflictDoNothing()
    .run();
  const robot = ctx.services.db.select().from(wecomRobots).where(eq(wecomRobots.webhookKey, hook)).get();
  if (!robot) throw new UserError("群机器人登记失败，请重试");
  return { chatId: `robot:${robot.id}`, label: `群机器人（key 末四位 ${hook.slice(-4)}）` };
}

export const bindCommand: CommandDef = {
  name: "bind",
  aliases: ["绑定"],
  usage: BIND_USAGE,
  summary: "登记本群的用途",
  audience: ["marketing_head"],
  run(ctx) {
    requireAdminOrHead(ctx.services, ctx.actor, "绑定群");
    const purpose = findPurpose(ctx.args[0] ?? "");
    if (!purpose) throw new UserError(BIND_USAGE);
    let chatId = ctx.chat.chatId;
    let where = "本群";
    // In a group of a platform with group robots (WeCom's 智能机器人), a trailing 替换 unbinds the group
    // robots of that purpose.
    const robots = ctx.services.outbound.can(ctx.chat.platform, "groupRobotWebhook");
    const robotGroup = robots && ctx.chat.chatType === "group";
    const { args, replace } = robotGroup ? takeReplaceFlag(ctx.args) : { args: ctx.args, replace: false };
    let storeName = args.slice(1).join(" ").trim();
    if (ctx.chat.chatType !== "group") {
      if (!robots) throw new UserError(`请在要登记的群里发送此命令。${BIND_USAGE}`);
      const robot = bindRobot(ctx, purpose);
      chatId = robot.chatId;
      where = robot.label;
      storeName = "";
    }
    let storeId: number | null = null;
    if (purpose.needsStore) {
      if (!storeName) throw new UserError(`门店反馈群需要写门店名：/bind feedback <门店名>`);
      const store = ctx.services.db.select().from(stores).where(eq(stores.name, storeName)).get();
      if (!store) throw new UserError(`没有门店「${storeName}」，请先 /store add ${storeName}`);
      storeId = store.id;
    }
    ctx.services.db
      .insert(groupBindings)
      .values({
        platform: ctx.chat.platform,
        chatId,
        purpose: purpose.key,
        storeId,
        boundBy: ctx.actor.personId,
        boundAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [groupBindings.platform, groupBindings.chatId, groupBindings.purpose],
        set: { storeId, boundBy: ctx.actor.personId, boundAt: ctx.now },
      })
      .run();
    ctx.services.db
      .insert(auditLog)
      .values({
        actorId: ctx.actor.personId,
        action: "group.bind",
        detail: { chat: { ...ctx.chat, chatId }, purpose: purpose.key, storeId },
        at: ctx.now,
      })
      .run();
    const twins = robotGroup && !purpose.needsStore ? webhookTwins(ctx, purpose.key, replace) : "";
    ctx.reply(`已将${where}登记为「${purpose.label}」${storeName ? `（${storeName}）` : ""}${twins}`);
  },
};

const STORE_USAGE = "用法：/store add <门店名>｜/store list";

export const storeCommand: CommandDef = {
  name: "store",
  aliases: ["门店"],
  usage: STORE_USAGE,
  summary: "门店管理",
  audience: ["marketing_head"],
  run(ctx) {
    const [sub] = ctx.args;
    if (sub === "list" || sub === "列表") {
      const all = ctx.services.db.select().from(stores).orderBy(stores.id).all();
      return ctx.reply(
        all.length
          ? `门店（${all.length}）：${all.map((s) => s.name).join("、")}`
          : "还没有门店，用 /store add <门店名> 添加",
      );
    }
    if (sub !== "add") throw new UserError(STORE_USAGE);
    requireAdminOrHead(ctx.services, ctx.actor, "添加门店");
    const name = ctx.rest.replace(/^\S+\s*/, "").trim();
    if (!name || name.length > 40) throw new UserError(STORE_USAGE);
    const res = ctx.services.db
      .insert(stores)
      .values({ name, createdAt: ctx.now })
      .onConflictDoNothing()
      .run();
    if (res.changes === 0) throw new UserError(`门店「${name}」已存在`);
    ctx.services.db
      .insert(auditLog)
      .values({ actorId: ctx.actor.personId, action: "store.add", detail: { name }, at: ctx.now })
      .run();
    ctx.reply(`已添加门店「${name}」`);
  },
};
