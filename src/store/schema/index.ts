export * from "./audit.ts";
export * from "./inbound.ts";
export * from "./outbox.ts";
export * from "./people.ts";
export * from "./policy.ts";
export * from "./review.ts";
export * from "./timers.ts";
