/** The Feishu app both sides of the card-action bench agree on (the bot's config and the signed bodies). */
export const BENCH_FEISHU = {
  appId: "cli_bench",
  encryptKey: "bench-key",
  token: "bench-token",
  reviewer: "ou_lead",
};
