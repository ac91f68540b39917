import { buildFeishuCallback, cardActionEvent } from "../../src/platforms/sandbox/open-platform/index.ts";

/** The Feishu app both sides of the card-action bench agree on (the bot's config and the signed bodies). */
export const BENCH_FEISHU = {
  appId: "cli_bench",
  encryptKey: "bench-key",
  token: "bench-token",
  reviewer: "ou_lead",
};

/** The reviewer's 通过 on the card of `step`, as Feishu's callback event. */
export const approveEvent = (step: number) =>
  cardActionEvent({
    token: BENCH_FEISHU.token,
    operatorOpenId: BENCH_FEISHU.reviewer,
    value: { a: "review.decide", step, v: "approve" },
    formValue: { opinion: "" },
    openMessageId: `om_${step}`,
    openChatId: `oc_p2p_${BENCH_FEISHU.reviewer}`,
  });

/** The same, signed and encrypted as Feishu posts it. */
export const approveCallback = (step: number) =>
  buildFeishuCallback({ encryptKey: BENCH_FEISHU.encryptKey, payload: approveEvent(step) });
