import { callbackLines, describeCallbacks } from "./callbacks-report.ts";
import { benchBareKoa, benchCallbacks } from "./card-action.ts";
import { line } from "./line.ts";

/**
 * `npx tsx bench/callbacks.ts`: only the card-action figure of `npm run bench` (bare Koa, the durable
 * floor and the card action), for working on the click path without the minutes the rest takes.
 * BENCH_SECONDS shortens each load (default 8 s); BENCH_CPU_PROF=<dir> profiles the servers.
 */
const bare = await benchBareKoa();
const { floor, card } = await benchCallbacks();
describeCallbacks(bare, floor, card);
console.log("");
callbackLines(line, bare, floor, card);
if (card.non2xx > 0 || card.errors > 0 || floor.non2xx > 0 || floor.errors > 0) process.exitCode = 1;
