import { auditLog } from "../../store/schema/index.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import type { RuleDef } from "../policy/rules.ts";
import { typeHint } from "../policy/rules.ts";
import { ruleName, valueFromWords, valueWords } from "../policy/words.ts";
import { parseDuration } from "../time.ts";
import { UserError } from "../types.ts";
import { requireAdmin } from "./guard.ts";

const USAGE =
  "用法：/policy 查看全部规则｜/policy set <规则名称> <值>，如 /policy set 审核步骤催办时间 6小时";

/** The listing: rules grouped by area (in the order areas first appear in policy/rules.json), in words. */
function listing(ctx: CommandContext): string {
  const { policy } = ctx.services;
  const byArea = new Map<string, string[]>();
  for (const r of policy.list()) {
    const shown = valueWords(r, r.value, ctx.now, ctx.services.tz, policy.labelsOf(r.key));
    const line = `· ${ruleName(r)}：${shown}${r.overridden ? "（已修改）" : ""}｜依据 ${r.source}`;
    byArea.set(r.area, [...(byArea.get(r.area) ?? []), line]);
  }
  const out = [
    "规则（管理员发送 /policy set <规则名称> <值> 修改，如 /policy set 审核步骤催办时间 6小时）：",
  ];
  for (const [area, lines] of byArea) out.push("", `【${area}】`, ...lines);
  return out.join("\n");
}

/**
 * The rule a person named after "set": its key, or its Chinese name (which may contain spaces, so the
 * longest name the text starts with wins). Returns the rule and the value text after the name.
 */
function namedRule(ctx: CommandContext): { def: RuleDef; value: string } | undefined {
  const text = ctx.rest.replace(/^\S+\s*/, "");
  const key = text.split(/\s+/)[0] ?? "";
  const byKey = ctx.services.policy.def(key);
  if (byKey) return { def: byKey, value: text.slice(key.length).trim() };
  const defs = ctx.services.policy.list();
  const byName = defs
    .filter((d) => text === ruleName(d) || text.startsWith(`${ruleName(d)} `) || text.startsWith(ruleName(d)))
    .sort((a, b) => ruleName(b).length - ruleName(a).length)[0];
  return byName ? { def: byName, value: text.slice(ruleName(byName).length).trim() } : undefined;
}

export const policyCommand: CommandDef = {
  name: "policy",
  aliases: ["规则"],
  usage: USAGE,
  summary: "查看或修改规则数字",
  audience: [],
  run(ctx) {
    const [sub, first] = ctx.args;
    if (!sub) return ctx.reply(listing(ctx));
    if (sub !== "set" || !first) throw new UserError(USAGE);
    requireAdmin(ctx.actor, "修改规则");
    const named = namedRule(ctx);
    if (!named) throw new UserError(`没有规则「${first}」。发送 /policy 查看全部规则`);
    const { def } = named;
    const { policy } = ctx.services;
    const name = ruleName(def);
    const labels = policy.labelsOf(def.key);
    if (!named.value) {
      // Name the choices when the rule has a set (a missing value must be answered with the valid forms).
      const choices = policy.choices(def.key)?.map((c) => labels?.[c] ?? c);
      throw new UserError(
        `「${name}」需要一个值：${typeHint(def.type)}${choices ? `（可选：${choices.join("、")}）` : ""}`,
      );
    }
    // The value is everything after the name, so 每周一 10:00 and cron strings keep their spaces.
    const value = valueFromWords(def, named.value, labels);
    const { old } = policy.set(def.key, value, ctx.actor.personId);
    const moved =
      def.type === "duration" ? ctx.services.timers.reschedule(def.key, parseDuration(value) ?? 0) : 0;
    ctx.services.db
      .insert(auditLog)
      .values({
        actorId: ctx.actor.personId,
        action: "policy.set",
        detail: { key: def.key, old, value },
        at: ctx.now,
      })
      .run();
    const words = (v: string) => valueWords(def, v, ctx.now, ctx.services.tz, labels);
    ctx.reply(
      `已修改「${name}」：${words(old)} → ${words(value)}${moved ? `（${moved} 个未到期的提醒已按新值调整）` : ""}`,
    );
  },
};
