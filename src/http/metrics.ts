import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics (GET /metrics). Gauges that need the DB are filled by collect callbacks in app.ts. */
export const registry = new Registry();

export const metrics = {
  deliveries: new Counter({
    name: "bot_outbox_deliveries_total",
    help: "Outbound platform calls accepted by the platform",
    labelNames: ["platform", "op"],
    registers: [registry],
  }),
  failures: new Counter({
    name: "bot_outbox_failures_total",
    help: "Outbound platform calls that failed (retried or dead-lettered)",
    labelNames: ["platform", "code"],
    registers: [registry],
  }),
  callbackSeconds: new Histogram({
    name: "bot_callback_duration_seconds",
    help: "Time to answer a platform callback",
    labelNames: ["platform", "kind"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [registry],
  }),
  callbacksRejected: new Counter({
    name: "bot_callbacks_rejected_total",
    help: "Callbacks rejected before any processing (bad signature, token, size)",
    labelNames: ["platform", "reason"],
    registers: [registry],
  }),
};

/** (Re)defines a gauge read at scrape time; redefining replaces the old reader (tests build many apps). */
export function gauge(name: string, help: string, read: () => number): void {
  registry.removeSingleMetric(name);
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
