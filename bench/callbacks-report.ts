import type { CardActionResult, FloorResult, LoadResult } from "./card-action.ts";

/** What the card-action figure prints: the detail lines, then its rows of the table (run.ts's `line`). */
export type Line = (name: string, value: string, target: string, ok: boolean | undefined) => void;

const perRequestUs = (rps: number) => (rps > 0 ? 1e6 / rps : 0).toFixed(0);

export function describeCallbacks(bare: LoadResult, floor: FloorResult, card: CardActionResult): void {
  console.log(`bare Koa {}: ${bare.rps.toFixed(0)} req/s, p99 ${bare.p99} ms`);
  console.log(
    `durable floor (verify + decrypt + 1 transaction, 1 row): ${floor.rps.toFixed(0)} req/s, p50 ${floor.p50} ms, ` +
      `p99 ${floor.p99} ms, ${floor.rows} rows, ${floor.non2xx} non-2xx, ${floor.errors} errors; ` +
      `its CPU per request ${floor.cpuUsPerRow.toFixed(0)} µs`,
  );
  console.log(
    `card action: ${card.rps.toFixed(0)} req/s, p50 ${card.p50} ms, p99 ${card.p99} ms, ${card.decided} decisions, ` +
      `${card.non2xx} non-2xx, ${card.errors} errors; the bot's CPU per decision ${card.cpuUsPerDecision.toFixed(0)} µs ` +
      `(bare Koa ${perRequestUs(bare.rps)} µs of wall time per request)`,
  );
}

export function callbackLines(
  line: Line,
  bare: LoadResult,
  floor: FloorResult,
  card: CardActionResult,
): void {
  const ofFloor = floor.rps > 0 ? card.rps / floor.rps : 0;
  line("card-action throughput vs durable floor", `${ofFloor.toFixed(2)}×`, "≥ 0.5×", ofFloor >= 0.5);
  // The same ratio in CPU per request: steadier than req/s when others share the machine.
  const cpuRatio = card.cpuUsPerDecision > 0 ? floor.cpuUsPerRow / card.cpuUsPerDecision : 0;
  line("  the same, in server CPU per request", `${cpuRatio.toFixed(2)}×`, "—", undefined);
  line("durable floor vs bare Koa", `${((floor.rps / bare.rps) * 100).toFixed(0)} %`, "—", undefined);
  line("card-action throughput vs bare Koa", `${((card.rps / bare.rps) * 100).toFixed(0)} %`, "—", undefined);
  line("card-action p99 at 50 connections", `${card.p99} ms`, "≤ 50 ms", card.p99 <= 50);
}
