import { startBenchBot } from "./bench-bot.ts";

/**
 * The bot for the card-action figure, in its own process (as in production: the load generator must
 * not share the bot's event loop). Seeds `BENCH_ITEMS` items whose first step is pending, tells the
 * parent the step ids, serves until asked for the number of decisions made, then stops.
 */
const bot = await startBenchBot(Number(process.env.BENCH_ITEMS ?? 40_000));
const cpuAtReady = process.cpuUsage();
process.send?.({ ready: true, url: bot.url, steps: bot.steps });

process.on("message", async (m) => {
  if (m !== "stop") return;
  const db = bot.app.db.$client;
  const row = db.prepare("select count(*) n from review_events where type = 'approve'").get();
  const decided = (row as { n: number }).n;
  const cpu = process.cpuUsage(cpuAtReady);
  const cpuUsPerDecision = decided > 0 ? (cpu.user + cpu.system) / decided : 0;
  await bot.stop();
  process.send?.({ decided, cpuUsPerDecision }, () => process.exit(0));
});
