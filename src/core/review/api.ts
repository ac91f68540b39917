import { serviceKey } from "../feature.ts";
import type { ReviewDecider } from "./decide.ts";
import type { ReviewEngine } from "./engine.ts";

/** The review chain's engine (submit, publish, hooks) and decider (通过/驳回, chain hooks). */
export interface ReviewApi {
  engine: ReviewEngine;
  decider: ReviewDecider;
}

/** For features that submit into a chain (危机声明, 存档申请) or hook into it (上岗考核, 数据台账). */
export const reviewService = serviceKey<ReviewApi>("review");
