import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { pino } from "pino";
import { feishuHandlers } from "../src/platforms/feishu/receiver.ts";
import { FeishuRenderer } from "../src/platforms/feishu/render.ts";
import { GroupCommit } from "../src/store/group-commit.ts";
import { startBenchBot } from "./servers/bench-bot.ts";
import { approveEvent } from "./servers/feishu-app.ts";

/**
 * `npx tsx bench/click-loop.ts`: the CPU of a 通过 without HTTP, signature or decryption — the bench's
 * clicks handed to the Feishu handlers in batches of 50 (as 50 connections arrive), each batch one group
 * commit. Printed per round of 500 clicks; the minimum moves least when others share the machine.
 * N=<clicks> (default 4,000, the first 500 warm up); PROF=<file> writes a .cpuprofile of the measured part.
 */
const N = Number(process.env.N ?? 4000);
const BATCH = 50;
const ROUND = 500;
const bot = await startBenchBot(N);
const handlers = feishuHandlers(
  bot.app.dispatcher,
  new FeishuRenderer(),
  pino({ level: "silent" }),
  new GroupCommit(bot.app.db),
);
const events = bot.steps.map(approveEvent);
async function clicks(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += BATCH) {
    // A fresh copy each, as if just decrypted; the answer serialised as Koa would.
    const batch = events.slice(i, Math.min(to, i + BATCH)).map((e) => structuredClone(e));
    for (const answer of await Promise.all(batch.map((e) => handlers.handle(e)))) JSON.stringify(answer);
  }
}

await clicks(0, ROUND);
const session = new Session();
if (process.env.PROF) {
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
}
const rounds: number[] = [];
for (let from = ROUND; from + ROUND <= N; from += ROUND) {
  const cpu0 = process.cpuUsage();
  await clicks(from, from + ROUND);
  const cpu = process.cpuUsage(cpu0);
  rounds.push((cpu.user + cpu.system) / ROUND);
}
if (process.env.PROF) {
  const { profile } = await session.post("Profiler.stop");
  writeFileSync(process.env.PROF, JSON.stringify(profile));
}
const sorted = [...rounds].sort((a, b) => a - b);
console.log(
  `CPU per decision, rounds of ${ROUND}: min ${sorted[0]?.toFixed(0)} µs, median ` +
    `${sorted[sorted.length >> 1]?.toFixed(0)} µs (${rounds.map((r) => r.toFixed(0)).join(" ")})`,
);
await bot.stop();
