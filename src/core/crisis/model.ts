import { UserError } from "../types.ts";

/** Tiers, stages and the stage transition table of seeds/000 第十一条(一)(二): the lifecycle as data. */

export type Tier = 1 | 2 | 3;

export const TIER_NAME: Record<Tier, string> = { 1: "一级", 2: "二级", 3: "三级" };
export const TIER_LABEL: Record<Tier, string> = { 1: "一级（一般）", 2: "二级（较大）", 3: "三级（重大）" };

/** What the contain clock asks for, in the policy's words (第十一条(三)2). */
export const CONTAIN_GOAL: Record<Tier, string> = { 1: "完成处置", 2: "控制事态", 3: "出台核心处置方案" };

/** 响应流程 (第十一条(二)) in order; `closed` is 结案. */
export const STAGES = [
  "report",
  "assess",
  "verify",
  "plan",
  "respond",
  "execute",
  "repair",
  "closed",
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABEL: Record<Stage, string> = {
  report: "上报",
  assess: "评估定级",
  verify: "核实取证",
  plan: "制定方案",
  respond: "统一回应",
  execute: "执行跟踪",
  repair: "后续修复",
  closed: "结案",
};

/**
 * Where a stage may go. Forward to any later stage (a 一级 complaint often needs no written plan), one
 * step back to correct a mistake (new evidence, a rejected statement). 上报 only leaves through the first
 * 收到 (→ 评估定级), so nobody works a crisis that nobody owns. 结案 is final: the record is permanent.
 */
const MOVES: Record<Stage, readonly Stage[]> = {
  report: [],
  assess: ["verify", "plan", "respond", "execute", "repair", "closed"],
  verify: ["assess", "plan", "respond", "execute", "repair", "closed"],
  plan: ["verify", "respond", "execute", "repair", "closed"],
  respond: ["plan", "execute", "repair", "closed"],
  execute: ["respond", "repair", "closed"],
  repair: ["execute", "closed"],
  closed: [],
};

/**
 * The stage at which the contain clock stops, read from 第十一条: 一级 "完成处置" (后续修复 starts "危机处置
 * 完成后"), 二级 "控制事态" (measures are being carried out: 执行跟踪), 三级 "出台核心处置方案" (the plan is
 * out once the crisis moves on to 统一回应).
 */
export const CONTAINED_AT: Record<Tier, Stage> = { 1: "repair", 2: "execute", 3: "respond" };

export const stageIndex = (s: Stage) => STAGES.indexOf(s);

/** The stage a move to `to` lands in, or a UserError saying why not. */
export function moveStage(crisisNo: string, from: Stage, to: Stage): Stage {
  if (MOVES[from].includes(to)) return to;
  if (from === "closed") throw new UserError(`${crisisNo} 已结案，不能再修改`);
  if (from === to) throw new UserError(`${crisisNo} 已在「${STAGE_LABEL[to]}」阶段`);
  if (from === "report")
    throw new UserError(`${crisisNo} 还没有人确认，请先点卡片上的「收到」或发送 /ack ${crisisNo}`);
  throw new UserError(
    `${crisisNo} 当前在「${STAGE_LABEL[from]}」，不能改为「${STAGE_LABEL[to]}」（可选：${MOVES[from].map((s) => STAGE_LABEL[s]).join("、")}）`,
  );
}

/** The next stage for the card's button; undefined when only 结案 is left (it needs a summary). */
export function nextStage(from: Stage): Stage | undefined {
  const next = STAGES[stageIndex(from) + 1];
  return next && next !== "closed" ? next : undefined;
}

export function isTier(n: unknown): n is Tier {
  return n === 1 || n === 2 || n === 3;
}

/** Roles that may acknowledge, lead and run a crisis (seeds/000 第六条(七), 第十一条: crisis members, marketing_head, management). */
export const RESPONDER_ROLES = ["crisis", "marketing_head", "management"] as const;

/** A rule window as the policy says it: "72小时", "30分钟" (not "3天"). */
export function windowText(ms: number): string {
  const HOUR = 3_600_000;
  if (ms % HOUR === 0) return `${ms / HOUR}小时`;
  return ms % 60_000 === 0 ? `${ms / 60_000}分钟` : `${Math.round(ms / 1000)}秒`;
}

export const crisisNo = (id: number) => `C-${id}`;
export const crisisCardRef = (id: number) => `crisis:${id}`;

export const TIMER_PAGE = "crisis.page";
export const TIMER_CONTAIN = "crisis.contain";
