import { asc } from "drizzle-orm";
import { accounts } from "../../store/schema/index.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { findPlatform, platformLabel } from "../people/catalog.ts";
import { accountRotated, addAccount } from "../sla/live-accounts.ts";
import { formatShort } from "../time.ts";
import { UserError } from "../types.ts";
import {
  CERTIFICATION,
  closeIncidents,
  findAccount,
  loginChecked,
  openIncidents,
  reportIncident,
  securityOf,
  setCertification,
} from "./security.ts";

/**
 * `/account` (`/账号`): the account ledger (《制度》第七条(三)) and account security (第九条(四)): password
 * rotation, 认证状态, the monthly login-record check, abnormal logins. The bot never stores a password.
 */

const STATES = CERTIFICATION.join("|");
export const ACCOUNT_USAGE = `用法：/account add <平台> <账号名> [${STATES}]｜/account cert <平台> <账号名> <${STATES}>｜/account rotated <平台> <账号名>｜/account checked <平台> <账号名>｜/account incident <平台> <账号名> <说明>｜/account list（机器人从不保存密码）`;

const SUBS: Record<string, string> = {
  add: "add",
  登记: "add",
  rotated: "rotated",
  已改密: "rotated",
  cert: "cert",
  认证: "cert",
  checked: "checked",
  已核查: "checked",
  incident: "incident",
  异常: "incident",
  list: "list",
  列表: "list",
};
const CHECKERS = ["marketing_head"];

function list(ctx: CommandContext) {
  const d = ctx.services;
  const all = ctx.services.db
    .select()
    .from(accounts)
    .orderBy(asc(accounts.platform), asc(accounts.name))
    .all();
  if (all.length === 0) return ctx.reply("还没有登记账号");
  const every = ctx.services.policy.durationMs("account.rotation");
  const tz = ctx.services.tz;
  const lines = all.map((x) => {
    const due = x.rotatedAt + every;
    const sec = securityOf(d, x.id);
    const open = openIncidents(d, x.id).length;
    return [
      `${platformLabel(x.platform)}「${x.name}」`,
      `认证：${sec?.certification ?? CERTIFICATION[0]}`,
      `负责人：${d.people.name(x.ownerId)}`,
      `密码上次更换 ${formatShort(x.rotatedAt, tz)}，${due < ctx.now ? "🔴 已到期" : `下次 ${formatShort(due, tz)}`}`,
      sec?.loginCheckedAt ? `登录记录核查 ${formatShort(sec.loginCheckedAt, tz)}` : "登录记录未核查",
      ...(open > 0 ? [`🚨 异常登录待改密 ${open} 起`] : []),
    ].join("｜");
  });
  ctx.reply(lines.join("\n"));
}

function run(ctx: CommandContext) {
  const [subWord, p, ...words] = ctx.args;
  const sub = SUBS[(subWord ?? "").toLowerCase()];
  if (sub === "list") return list(ctx);
  const platform = findPlatform(p ?? "");
  if (!sub || !platform || words.length === 0) throw new UserError(ACCOUNT_USAGE);
  const d = ctx.services;
  const label = platform.label;

  if (sub === "add" || sub === "cert") {
    const last = words.at(-1) as string;
    const state = CERTIFICATION.includes(last) && words.length > 1 ? last : undefined;
    if (sub === "cert" && !state) throw new UserError(ACCOUNT_USAGE);
    const name = (state ? words.slice(0, -1) : words).join(" ");
    if (sub === "add") {
      addAccount(d, ctx.actor.personId, platform.key, name);
      const acct = findAccount(d, platform.key, name);
      setCertification(d, acct.id, state ?? (CERTIFICATION[0] as string));
      return ctx.reply(
        `已登记${label}账号「${name}」（认证：${state ?? CERTIFICATION[0]}），每 ${ctx.services.policy.get("account.rotation")} 提醒更换密码，每月请你核查登录记录（机器人不保存密码）`,
      );
    }
    const acct = findAccount(d, platform.key, name);
    setCertification(d, acct.id, state as string);
    return ctx.reply(`已记录${label}账号「${name}」认证状态：${state}`);
  }

  if (sub === "rotated" || sub === "checked") {
    const name = words.join(" ");
    if (sub === "rotated") {
      accountRotated(d, platform.key, name);
      const acct = findAccount(d, platform.key, name);
      const closed = closeIncidents(d, acct.id);
      return ctx.reply(
        `已记录${label}账号「${name}」今天更换了密码${closed > 0 ? `，异常登录 ${closed} 起已处理完毕` : ""}`,
      );
    }
    const acct = findAccount(d, platform.key, name);
    const allowed =
      acct.ownerId === ctx.actor.personId ||
      ctx.actor.isAdmin ||
      CHECKERS.some((r) => ctx.services.people.hasRole(ctx.actor.personId, r));
    if (!allowed)
      throw new UserError(
        `只有账号负责人 ${d.people.name(acct.ownerId)}、市场部门负责人或管理员可以确认核查`,
      );
    loginChecked(d, acct, ctx.actor.personId);
    return ctx.reply(`已记录：${label}账号「${name}」的登录记录已于今天核查`);
  }

  // incident: the longest leading words that name a registered account, the rest is the note.
  for (let k = words.length - 1; k >= 1; k--) {
    const name = words.slice(0, k).join(" ");
    let acct: ReturnType<typeof findAccount> | undefined;
    try {
      acct = findAccount(d, platform.key, name);
    } catch {
      continue;
    }
    const note = [words.slice(k).join(" "), ctx.body.trim()].filter(Boolean).join("\n");
    if (note.length > 1000) throw new UserError("说明请控制在 1000 字以内");
    const { row, notified } = reportIncident(d, acct, ctx.actor.personId, note);
    return ctx.reply(
      `已上报异常登录 A-${row.id}（${label}「${name}」）${notified > 0 ? `，已通知市场部门负责人` : "，目前没有市场部门负责人，已通知管理员"}。请立即修改密码，改完发送 /account rotated ${label} ${name}`,
    );
  }
  if (words.length === 1) throw new UserError(ACCOUNT_USAGE);
  throw new UserError(`没有登记${label}账号「${words[0]}」，先用 /account add`);
}

export const accountCommand: CommandDef = {
  name: "account",
  aliases: ["账号"],
  usage: ACCOUNT_USAGE,
  summary: "账号台账与账号安全",
  audience: ["ops", "ops_lead", "marketing_head", "admin_office"],
  run,
};
