import { eq } from "drizzle-orm";
import { auditLog, groupBindings, stores } from "../../store/schema/index.ts";
import type { CommandDef } from "../commands/registry.ts";
import { catalog, findPurpose } from "../people/catalog.ts";
import { UserError } from "../types.ts";
import { requireAdminOrHead } from "./guard.ts";

const BIND_USAGE = `用法：在群里发送 /bind <用途> [门店名]。用途：${catalog.groupPurposes.map((p) => `${p.key} ${p.label}`).join("、")}`;

export const bindCommand: CommandDef = {
  name: "bind",
  aliases: ["绑定"],
  usage: BIND_USAGE,
  summary: "登记本群的用途",
  audience: ["marketing_head"],
  run(ctx) {
    requireAdminOrHead(ctx.core, ctx.actor, "绑定群");
    const purpose = findPurpose(ctx.args[0] ?? "");
    if (!purpose) throw new UserError(BIND_USAGE);
    if (ctx.chat.chatType !== "group") throw new UserError(`请在要登记的群里发送此命令。${BIND_USAGE}`);
    let storeId: number | null = null;
    const storeName = ctx.args.slice(1).join(" ").trim();
    if (purpose.needsStore) {
      if (!storeName) throw new UserError(`门店反馈群需要写门店名：/bind feedback <门店名>`);
      const store = ctx.core.db.select().from(stores).where(eq(stores.name, storeName)).get();
      if (!store) throw new UserError(`没有门店「${storeName}」，请先 /store add ${storeName}`);
      storeId = store.id;
    }
    ctx.core.db
      .insert(groupBindings)
      .values({
        platform: ctx.chat.platform,
        chatId: ctx.chat.chatId,
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
    ctx.core.db
      .insert(auditLog)
      .values({
        actorId: ctx.actor.personId,
        action: "group.bind",
        detail: { chat: ctx.chat, purpose: purpose.key, storeId },
        at: ctx.now,
      })
      .run();
    ctx.reply(`已将本群登记为「${purpose.label}」${storeName ? `（${storeName}）` : ""}`);
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
      const all = ctx.core.db.select().from(stores).orderBy(stores.id).all();
      return ctx.reply(
        all.length
          ? `门店（${all.length}）：${all.map((s) => s.name).join("、")}`
          : "还没有门店，用 /store add <门店名> 添加",
      );
    }
    if (sub !== "add") throw new UserError(STORE_USAGE);
    requireAdminOrHead(ctx.core, ctx.actor, "添加门店");
    const name = ctx.rest.replace(/^\S+\s*/, "").trim();
    if (!name || name.length > 40) throw new UserError(STORE_USAGE);
    const res = ctx.core.db.insert(stores).values({ name, createdAt: ctx.now }).onConflictDoNothing().run();
    if (res.changes === 0) throw new UserError(`门店「${name}」已存在`);
    ctx.core.db
      .insert(auditLog)
      .values({ actorId: ctx.actor.personId, action: "store.add", detail: { name }, at: ctx.now })
      .run();
    ctx.reply(`已添加门店「${name}」`);
  },
};
