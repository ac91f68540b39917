import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { approveCallback } from "./servers/feishu-app.ts";

/**
 * docs/performance.md, first line: the card-action callback (verify + decrypt + transaction + outbox write
 * + reply) against its durable floor (the same verify + decrypt, one transaction inserting one row, a small
 * JSON answer), with a bare Koa handler answering `{}` beside them; all measured here, now, with 50
 * connections over loopback.
 * Each server runs in its own process and the load generator in this one, so neither shares an event
 * loop with autocannon (on 2 cores: one for the server, one for the client). Every callback is a
 * distinct, valid 通过 on a distinct pending step, so each one really decides, opens the next step and
 * queues its cards.
 */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;

interface Ready {
  ready: true;
  url: string;
  steps?: number[];
}

async function serve(script: string): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), {
    // BENCH_CPU_PROF=<dir> profiles the servers (open the .cpuprofile in Chrome DevTools).
    execArgv: [
      "--import",
      "tsx",
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Ready));
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return { child, ready };
}

async function stop<T>(child: ChildProcess): Promise<T | undefined> {
  const answer = new Promise<T | undefined>((resolve) => {
    child.once("message", (m) => resolve(m as T));
    child.once("exit", () => resolve(undefined));
  });
  child.send("stop");
  return answer;
}

type Body = { headers: Record<string, string>; body: string };

async function load(url: string, bodies?: Body[]) {
  let i = 0;
  const result = await autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { "content-type": "application/json" },
    body: "{}",
    ...(bodies && {
      requests: [
        {
          setupRequest: (req) => {
            const next = bodies[i++ % bodies.length];
            return { ...req, headers: next?.headers ?? {}, body: next?.body ?? "{}" };
          },
        },
      ],
    }),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export async function benchBareKoa(): Promise<LoadResult> {
  const { child, ready } = await serve("./servers/bare-koa.ts");
  try {
    return await load(ready.url);
  } finally {
    await stop(child);
  }
}

export interface CardActionResult extends LoadResult {
  decided: number;
  cpuUsPerDecision: number;
}
export interface FloorResult extends LoadResult {
  rows: number;
  cpuUsPerRow: number;
}

/**
 * The card action and its durable floor (servers/durable-floor.ts), back to back on the SAME signed,
 * encrypted bodies, so that the ratio compares like with like and both see the same machine.
 */
export async function benchCallbacks(): Promise<{ floor: FloorResult; card: CardActionResult }> {
  const bot = await serve("./servers/bot.ts");
  let stopped = false;
  try {
    // Built here, not in the servers' processes: signing and encrypting are the platform's work, not ours.
    const bodies = (bot.ready.steps ?? []).map(approveCallback);
    const floor = await benchFloor(bodies);
    const card = await load(bot.ready.url, bodies);
    // CPU time of the bot's process per decision (HTTP, verify, decrypt, transaction, answer): the figure
    // that does not depend on how busy the machine was.
    stopped = true;
    const done = await stop<{ decided: number; cpuUsPerDecision: number }>(bot.child);
    return {
      floor,
      card: { ...card, decided: done?.decided ?? 0, cpuUsPerDecision: done?.cpuUsPerDecision ?? 0 },
    };
  } finally {
    if (!stopped) await stop(bot.child);
  }
}

async function benchFloor(bodies: Body[]): Promise<FloorResult> {
  const { child, ready } = await serve("./servers/durable-floor.ts");
  let stopped = false;
  try {
    const result = await load(ready.url, bodies);
    stopped = true;
    const done = await stop<{ rows: number; cpuUsPerRow: number }>(child);
    return { ...result, rows: done?.rows ?? 0, cpuUsPerRow: done?.cpuUsPerRow ?? 0 };
  } finally {
    if (!stopped) await stop(child);
  }
}
