import { parseItemNo } from "../commands/parse.ts";
import type { CommandContext, CommandDef } from "../commands/registry.ts";
import { platformLabel } from "../people/catalog.ts";
import { getItem, publicationsOf } from "../review/repo.ts";
import { formatShort } from "../time.ts";
import { UserError } from "../types.ts";
import { dayOf, parseDay } from "./days.ts";
import { completeDuty } from "./duties.ts";
import { INTERACTIONS, metricKeys, metricKind, metricLabel, targetKeysText, validKeysText } from "./keys.ts";
import { refusal, resolveMetric, resolveTarget, validatePairs } from "./line.ts";
import { formatCount, formatPercent, formatValue, ratioPct } from "./numbers.ts";
import {
  changesOf,
  itemTotals,
  type MetricSubject,
  setTargets,
  subjectKey,
  targetsOf,
  valuesOf,
  type Written,
  writeValues,
} from "./repo.ts";
import { resolveSubject, subjectLabel } from "./subject.ts";

export const METRIC_USAGE =
  "用法：/metric <平台|门店> [YYYY-MM-DD] 指标=数值 …｜/metric #编号 [平台] [YYYY-MM-DD] 指标=数值 …｜/metric 指标｜/metric 历史 <平台|门店|#编号>";
const TARGET_USAGE = "用法：/target #编号 曝光=50万 互动=1万（查看：/target #编号）";

/** "曝光 28万、点赞 6000" in dictionary order. */
function valuesText(values: Map<string, number>): string {
  return metricKeys
    .filter((k) => values.has(k.key))
    .map((k) => `${k.label} ${formatValue(values.get(k.key) ?? 0, k.kind)}`)
    .join("、");
}

/** 互动量 and 互动率 of a set of values, when it has the numbers for them. */
export function derivedText(values: Map<string, number>): string | undefined {
  const parts = INTERACTIONS.sum.filter((k) => values.has(k));
  if (parts.length === 0) return undefined;
  const interactions = parts.reduce((s, k) => s + (values.get(k) ?? 0), 0);
  const rate = ratioPct(interactions, values.get("exposure") ?? 0);
  return `${INTERACTIONS.label} ${formatCount(interactions)}${rate === undefined ? "" : `，互动率 ${formatPercent(rate)}`}`;
}

/** 达成率 = 实际 / 目标 (seeds/003 三.2: 目标曝光量50万，实际45万，达成率90%) for every target of the item. */
export function achievementLines(totals: Map<string, number>, targets: Map<string, number>): string[] {
  const actual = (key: string) =>
    key === INTERACTIONS.key
      ? INTERACTIONS.sum.reduce((s, k) => s + (totals.get(k) ?? 0), 0)
      : (totals.get(key) ?? 0);
  return [...targets].map(([key, target]) => {
    const a = actual(key);
    const pct = ratioPct(a, target);
    return `${metricLabel(key)} ${pct === undefined ? "—" : formatPercent(pct)}（${formatCount(a)}/${formatCount(target)}）`;
  });
}

function changeNotes(ctx: CommandContext, written: Written[]): string[] {
  return written
    .filter((w) => w.old)
    .map((w) => {
      const kind = metricKind(w.key) ?? "count";
      const old = w.old as NonNullable<Written["old"]>;
      return `${metricLabel(w.key)} ${formatValue(old.value, kind)} → ${formatValue(w.value, kind)}（原值由 ${ctx.services.people.name(old.by)} 于 ${formatShort(old.at, ctx.services.tz)} 登记）`;
    });
}

function showLogged(ctx: CommandContext, subject: MetricSubject, day: string): void {
  const values = valuesOf(ctx.services.db, subject, day);
  if (values.size === 0) {
    ctx.reply(`${subjectLabel(subject)} ${day} 还没有登记数据。${METRIC_USAGE}`);
    return;
  }
  const derived = derivedText(values);
  ctx.reply(
    [`${subjectLabel(subject)} ${day}：${valuesText(values)}`, ...(derived ? [derived] : [])].join("\n"),
  );
}

function history(ctx: CommandContext, tokens: string[]): void {
  if (tokens.length === 0) throw new UserError(METRIC_USAGE);
  const first = tokens[0] ?? "";
  const itemNo = /^[#＃]/.test(first) ? parseItemNo(first) : undefined;
  let subjects: string[];
  let label: string;
  if (itemNo !== undefined) {
    const item = getItem(ctx.services.db, itemNo);
    subjects = [
      ...publicationsOf(ctx.services.db, itemNo).map((p) => `item:${itemNo}:${p.platform}`),
      `target:${itemNo}`,
    ];
    label = `#${itemNo}《${item.title}》`;
  } else {
    const { subject } = resolveSubject(ctx.services, tokens);
    subjects = [subjectKey(subject)];
    label = subjectLabel(subject);
  }
  const rows = changesOf(ctx.services.db, subjects, 20);
  if (rows.length === 0) {
    ctx.reply(`${label} 还没有登记记录`);
    return;
  }
  const lines = rows.map((r) => {
    const kind = metricKind(r.key) ?? "count";
    const what = r.subject.startsWith("target:")
      ? `目标${metricLabel(r.key)}`
      : `${r.day} ${metricLabel(r.key)}`;
    const platform = r.subject.startsWith("item:")
      ? `[${platformLabel(r.subject.split(":")[2] ?? "")}] `
      : "";
    const change =
      r.oldValue === null
        ? formatValue(r.newValue, kind)
        : `${formatValue(r.oldValue, kind)} → ${formatValue(r.newValue, kind)}`;
    return `${formatShort(r.changedAt, ctx.services.tz)} ${ctx.services.people.name(r.changedBy)}：${platform}${what} ${change}`;
  });
  ctx.reply([`${label} 最近 ${rows.length} 条登记记录：`, ...lines].join("\n"));
}

const metric: CommandDef = {
  name: "metric",
  aliases: ["数据"],
  usage: METRIC_USAGE,
  summary: "登记运营数据（曝光、点赞、到店…）",
  audience: ["ops", "ops_lead", "marketing_head", "store"],
  run(ctx) {
    const [first, ...rest] = ctx.args;
    if (!first) throw new UserError(`${METRIC_USAGE}\n可用指标：${validKeysText()}`);
    if (first === "指标" || first === "keys") return ctx.reply(`可用指标：${validKeysText()}`);
    if (first === "历史" || first === "history") return history(ctx, rest);
    const { subject, used } = resolveSubject(ctx.services, ctx.args);
    let tokens = ctx.args.slice(used);
    const today = dayOf(ctx.now, ctx.services.tz);
    let day = today;
    const maybeDay = tokens[0] && !tokens[0].match(/[=＝:：]/) ? parseDay(tokens[0], today) : undefined;
    if (maybeDay) {
      if (maybeDay > today) throw new UserError(`不能登记未来日期（${maybeDay}）的数据，未登记任何数据`);
      day = maybeDay;
      tokens = tokens.slice(1);
    }
    if (tokens.length === 0) return showLogged(ctx, subject, day);
    const { pairs, problems } = validatePairs(tokens, resolveMetric);
    if (problems.length > 0)
      throw new UserError(refusal(`${subjectLabel(subject)} ${day} 的数据有误`, problems));
    const written = writeValues(ctx.services.db, subject, day, pairs, ctx.actor.personId, ctx.now);
    const dayValues = valuesOf(ctx.services.db, subject, day);
    const lines = [
      `✅ 已登记 ${subjectLabel(subject)} ${day}：${valuesText(new Map(pairs.map((p) => [p.key, p.value])))}`,
    ];
    const derived = derivedText(dayValues);
    if (subject.scope === "item") {
      completeDuty(ctx.services, subject.itemId, subject.platform, ctx.now);
      const totals = itemTotals(ctx.services.db, subject.itemId);
      const totalText = derivedText(totals);
      const multi = publicationsOf(ctx.services.db, subject.itemId).length > 1;
      if (totalText) lines.push(multi ? `全部平台合计：${totalText}` : totalText);
      const achieved = achievementLines(totals, targetsOf(ctx.services.db, subject.itemId));
      if (achieved.length) lines.push(`目标达成率：${achieved.join("；")}`);
    } else if (derived) lines.push(`当日${derived}`);
    const notes = changeNotes(ctx, written);
    if (notes.length) lines.push("已覆盖原值：", ...notes.map((n) => `· ${n}`));
    ctx.reply(lines.join("\n"));
  },
};

/** Who may set an item's targets: its author, the 运营团队负责人, the 市场部门负责人, admins. */
function mayTarget(ctx: CommandContext, authorId: number): boolean {
  const p = ctx.actor.personId;
  return (
    ctx.actor.isAdmin ||
    p === authorId ||
    ctx.services.people.hasRole(p, "ops_lead") ||
    ctx.services.people.hasRole(p, "marketing_head")
  );
}

/** Validated target pairs, or a UserError naming every problem (shared with `目标曝光=…` on /submit). */
export function parseTargets(tokens: string[]): { key: string; value: number }[] {
  const { pairs, problems } = validatePairs(tokens, resolveTarget);
  if (problems.length > 0) throw new UserError(refusal("目标有误", problems, targetKeysText()));
  return pairs;
}

export function targetSummary(ctx: CommandContext, itemId: number): string[] {
  const targets = targetsOf(ctx.services.db, itemId);
  if (targets.size === 0) return [];
  const set = [...targets].map(([k, v]) => `${metricLabel(k)} ${formatCount(v)}`).join("、");
  const lines = [`目标：${set}`];
  const totals = itemTotals(ctx.services.db, itemId);
  if (totals.size > 0) lines.push(`目标达成率：${achievementLines(totals, targets).join("；")}`);
  return lines;
}

const target: CommandDef = {
  name: "target",
  aliases: ["目标"],
  usage: TARGET_USAGE,
  summary: "设定内容的目标（曝光、互动量…）",
  audience: ["ops", "ops_lead", "marketing_head"],
  run(ctx) {
    const itemNo = parseItemNo(ctx.args[0]);
    if (itemNo === undefined) throw new UserError(TARGET_USAGE);
    const item = getItem(ctx.services.db, itemNo);
    if (item.kind !== "content") throw new UserError(`#${itemNo} 不是内容稿件`);
    const tokens = ctx.args.slice(1);
    if (tokens.length === 0) {
      const lines = targetSummary(ctx, itemNo);
      return ctx.reply(
        lines.length
          ? [`#${itemNo}《${item.title}》`, ...lines].join("\n")
          : `#${itemNo} 还没有设定目标。${TARGET_USAGE}`,
      );
    }
    if (!mayTarget(ctx, item.authorId))
      throw new UserError("只有作者、运营团队负责人或市场部门负责人可以设定目标");
    const pairs = parseTargets(tokens);
    const written = setTargets(ctx.services.db, itemNo, pairs, ctx.actor.personId, ctx.now);
    const changed = written
      .filter((w) => w.old)
      .map((w) => `${metricLabel(w.key)} ${formatCount(w.old?.value ?? 0)} → ${formatCount(w.value)}`);
    ctx.reply(
      [
        `🎯 已设定 #${itemNo}《${item.title}》的目标`,
        ...targetSummary(ctx, itemNo),
        ...(changed.length ? [`已修改：${changed.join("、")}`] : []),
      ].join("\n"),
    );
  },
};

export const metricCommands: CommandDef[] = [metric, target];
