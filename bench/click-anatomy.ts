import type Database from "better-sqlite3";
import { FeishuRenderer } from "../src/platforms/feishu/render.ts";
import { startBenchBot } from "./servers/bench-bot.ts";
import { approveCallback } from "./servers/feishu-app.ts";

/**
 * `npx tsx bench/click-anatomy.ts`: what one card click costs, counted rather than timed under load. Sends
 * `CLICKS` clicks one after another to the bench's bot and prints, per click, the transactions and
 * savepoints opened, every SQL statement run (how often, and its time), and the Feishu cards rendered.
 * One click at a time, so each group-commit batch holds one click and the counts are that click's own.
 */
const CLICKS = Number(process.env.CLICKS ?? 50);
const WARM = 10;
const bot = await startBenchBot(CLICKS + WARM);
const body = approveCallback;
const click = async (step: number) => {
  const { headers, body: text } = body(step);
  const res = await fetch(bot.url, { method: "POST", headers, body: text });
  if (res.status !== 200) throw new Error(`click answered ${res.status}`);
  await res.text();
};

interface Tally {
  n: number;
  ns: bigint;
}
const bySql = new Map<string, Tally>();
let counting = false;
const proto = Object.getPrototypeOf(bot.app.db.$client.prepare("select 1")) as Record<string, unknown>;
for (const method of ["run", "get", "all", "iterate"]) {
  const original = proto[method] as (...args: unknown[]) => unknown;
  proto[method] = function (this: Database.Statement, ...args: unknown[]) {
    if (!counting) return original.apply(this, args);
    const t0 = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const t = bySql.get(this.source) ?? { n: 0, ns: 0n };
      t.n++;
      t.ns += process.hrtime.bigint() - t0;
      bySql.set(this.source, t);
    }
  };
}
// Cards asked of the Feishu renderer (the outbox's update, the click's answer, each holder's copy) and the
// distinct views among them: the renderer fills each view once.
let cardCalls = 0;
const views = new Set<unknown>();
const seen = (view: unknown) => {
  if (!counting) return;
  cardCalls++;
  views.add(view);
};
const { card, send } = FeishuRenderer.prototype;
FeishuRenderer.prototype.card = function (this: FeishuRenderer, view) {
  seen(view);
  return card.call(this, view);
};
FeishuRenderer.prototype.send = function (this: FeishuRenderer, to, msg, mentions) {
  if (msg.type === "card") seen(msg.card);
  return send.call(this, to, msg, mentions);
};

for (const step of bot.steps.slice(0, WARM)) await click(step);
counting = true;
const t0 = performance.now();
for (const step of bot.steps.slice(WARM)) await click(step);
const wallMs = performance.now() - t0;
counting = false;

const per = (n: number) => (n / CLICKS).toFixed(2).replace(/\.00$/, "");
const all = [...bySql].sort((a, b) => Number(b[1].ns - a[1].ns));
const count = (re: RegExp) => all.filter(([sql]) => re.test(sql)).reduce((s, [, t]) => s + t.n, 0);
const totalUs = all.reduce((s, [, t]) => s + Number(t.ns), 0) / 1000 / CLICKS;
console.log(`${CLICKS} clicks, one at a time: ${(wallMs / CLICKS).toFixed(2)} ms each (wall, HTTP included)`);
console.log(
  `per click: ${per(count(/^BEGIN/))} transactions, ${per(count(/^SAVEPOINT/))} savepoints, ` +
    `${per(all.reduce((s, [, t]) => s + t.n, 0) - count(/^(BEGIN|COMMIT|SAVEPOINT|RELEASE)/))} statements ` +
    `(${totalUs.toFixed(0)} µs in SQLite), ${per(cardCalls)} Feishu cards asked for, ${per(views.size)} distinct views (each filled once)`,
);
for (const [sql, t] of all) {
  const us = (Number(t.ns) / 1000 / CLICKS).toFixed(0).padStart(5);
  console.log(`${per(t.n).padStart(5)}× ${us} µs  ${sql.replace(/\s+/g, " ").slice(0, 150)}`);
}
await bot.stop();
