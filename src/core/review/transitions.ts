import { UserError } from "../types.ts";

/** Item states and the events that move between them: the whole lifecycle in one table. */
export type ItemStatus = "in_review" | "rejected" | "approved" | "published" | "withdrawn";
export type ItemEvent = "approve_step" | "approve_last" | "reject" | "resubmit" | "withdraw" | "publish";

const table: Record<ItemStatus, Partial<Record<ItemEvent, ItemStatus>>> = {
  in_review: {
    approve_step: "in_review",
    approve_last: "approved",
    reject: "rejected",
    withdraw: "withdrawn",
  },
  rejected: { resubmit: "in_review", withdraw: "withdrawn" },
  approved: { publish: "approved" },
  published: { publish: "published" },
  withdrawn: {},
};

export const STATUS_LABEL: Record<ItemStatus, string> = {
  in_review: "审核中",
  rejected: "已驳回",
  approved: "已通过待发布",
  published: "已发布",
  withdrawn: "已撤回",
};

const EVENT_REFUSAL: Record<ItemEvent, string> = {
  approve_step: "不能审核",
  approve_last: "不能审核",
  reject: "不能驳回",
  resubmit: "不能重新提交（只有被驳回的内容可以 /resubmit）",
  withdraw: "不能撤回",
  publish: "不能登记发布（需全部审核通过）",
};

/** The next status, or a UserError naming the current one. */
export function transition(itemNo: number, from: ItemStatus, event: ItemEvent): ItemStatus {
  const to = table[from][event];
  if (!to) throw new UserError(`#${itemNo} 当前状态为「${STATUS_LABEL[from]}」，${EVENT_REFUSAL[event]}`);
  return to;
}
