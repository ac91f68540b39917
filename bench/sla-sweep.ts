import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pino } from "pino";
import { type App, createApp } from "../src/app.ts";
import { ManualClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import { digestMessage } from "../src/core/sla/digest.ts";
import { openDb } from "../src/store/db.ts";

/**
 * docs/performance.md: the daily SLA sweep over 1,000,000 content items and 200,000 tickets within 2 s and 400 MB
 * peak RSS.
 *
 * What "the daily sweep" is in this codebase: nothing scans items on a schedule. Deadlines are timer rows
 * (src/scheduler/timers.ts) and the 09:30 digest is one of them (`digest.daily`, src/core/sla/digest.ts).
 * So the daily work is one `Timers.runDue()` sweep at 09:30 that fires every due timer — per-item
 * reminders and breaches (each marking its breach and writing outbox rows), then the digest, which reads
 * every open breach of every rule, the week's cadence and open crises and writes the digest message.
 * The bench makes that sweep as heavy as a day gets: the bot was down from 01:30, so 8 hours of missed
 * reminders and breaches fire together with the digest (missed reminders fire once on start-up, docs/sla.md).
 *
 * The store (3 years of history) is seeded straight through SQL in this process; the sweep runs in a
 * child process so its peak RSS is the sweep's own (the child resets its high-water mark after start-up,
 * /proc/self/clear_refs, and reads VmHWM afterwards). Seeding time is not part of the figure.
 */
export interface SlaSweepBench {
  items: number;
  tickets: number;
  seedMs: number;
  /** The child's start-up (open the DB, migrations check, build the app): not part of the figure. */
  startupMs: number;
  /** The measured figure: runDue() until nothing is due. */
  sweepMs: number;
  /** Of that, a second digest computed on its own afterwards (warm), for the breakdown. */
  digestMs: number;
  timersFired: number;
  outboxRows: number;
  digestChars: number;
  /** Open breaches the digest counted, by rule label. */
  breaches: Record<string, number>;
  /** RSS when the sweep started (modules loaded, app built) and the peak during the sweep, MB. */
  rssBeforeMb: number;
  peakRssMb: number;
  /** How the peak was measured: VmHWM after a clear_refs reset, or the process-lifetime maxRSS. */
  peakSource: "VmHWM" | "maxRSS";
  /** The child's peak over its whole life (module loading and start-up included), MB. */
  lifetimePeakRssMb: number;
}

const N_ITEMS = Number(process.env.BENCH_SLA_ITEMS ?? 1_000_000);
const N_TICKETS = Number(process.env.BENCH_SLA_TICKETS ?? 200_000);
const TZ = "Asia/Shanghai";
/** A Wednesday 09:30, the digest's default cron time: this week already has publications. */
const NOW = Date.parse("2026-11-25T09:30:00+08:00");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN = 3 * 365 * DAY;
/** The bot was down since 01:30: timers due in this window were missed and fire in the sweep. */
const DOWN = 8 * HOUR;
const AUTHORS = 20;

/**
 * People and roles as a chain would have them: 20 authors (运营), 2 运营负责人, a 市场总监, a 法务, 2 发布专员,
 * 4 客服, each with a Feishu identity so reminders render real outbox rows, and the 运营群 bound as `ops`.
 */
const STAFF: [number, string, string[]][] = [
  [21, "运营负责人-李姐", ["ops_lead"]],
  [22, "运营负责人-王哥", ["ops_lead"]],
  [23, "市场总监-张总", ["marketing_head"]],
  [24, "法务-陈律师", ["legal"]],
  [25, "发布-小刘", ["publisher"]],
  [26, "发布-小赵", ["publisher"]],
  [27, "客服-小美", ["cs"]],
  [28, "客服-小丽", ["cs"]],
  [29, "客服-小芳", ["cs"]],
  [30, "客服-小雪", ["cs"]],
];

/**
 * Seeds the SQLite file with the real migrations, then bulk rows with `INSERT … SELECT` over a recursive
 * counter (seconds for millions of rows). The archive's copy-on-insert triggers are dropped while seeding
 * and put back afterwards: archiving 3 years of history row by row would take minutes and the sweep never
 * reads the archive (its own writes still go through the triggers).
 *
 * Mix (deterministic, by a hash of the row number):
 * - items: submitted evenly over 3 years (~900 a day); the last 48 h in review, the next 24 h approved and
 *   waiting to be published; 3 % of the last 60 days stuck in review; the rest 93 % published (on 1–2
 *   platforms, 70 h after submission), 4 % rejected, 3 % withdrawn. Two decided steps per history item.
 * - publications owe their data (metric_duties): logged after 30 h, except 1 % never logged (breached);
 *   publications of the last 3 days are partly still open.
 * - tickets: ~180 a day, a third positive (素材, nothing owed); the last 2 days open; 1 in 400 older
 *   complaints never answered (open, breached); 8 % of closed ones were late.
 * - timers: pending ones for everything open (fired when their time is before 01:30 today, still pending
 *   and due when it fell while the bot was down), and the cancelled/fired history of the last 30 days.
 */
export function seedSlaStore(path: string): void {
  const db = openDb(path);
  const sq = db.$client;
  const triggers = sq
    .prepare(
      "select name, sql from sqlite_master where type = 'trigger' and name like 'archive\\_%\\_insert' escape '\\'",
    )
    .all() as { name: string; sql: string }[];
  const itemStep = Math.floor(SPAN / N_ITEMS);
  const ticketStep = Math.floor(SPAN / N_TICKETS);
  // A cheap deterministic hash of the row number, 0..99 (Knuth's multiplicative constant).
  const h = (col: string) => `((${col} * 2654435761) >> 11) % 100`;
  sq.pragma("foreign_keys = OFF"); // rows go in parent-first anyway; skip the per-row lookups
  sq.transaction(() => {
    for (const t of triggers) sq.exec(`drop trigger ${t.name}`);
    const person = sq.prepare("insert into people (id, name, created_at) values (?, ?, 0)");
    const identity = sq.prepare(
      "insert into identities (platform, user_id, person_id, name, updated_at) values ('feishu', ?, ?, ?, 0)",
    );
    const grant = sq.prepare(
      "insert into role_grants (person_id, role, granted_by, granted_at) values (?, ?, null, ?)",
    );
    for (let p = 1; p <= AUTHORS; p++) {
      person.run(p, `运营-${p}`);
      identity.run(`ou_author_${p}`, p, `运营-${p}`);
      grant.run(p, "ops", p);
    }
    for (const [id, name, roles] of STAFF) {
      person.run(id, name);
      identity.run(`ou_staff_${id}`, id, name);
      for (const r of roles) grant.run(id, r, id);
    }
    sq.prepare(
      "insert into group_bindings (platform, chat_id, purpose, bound_at) values ('feishu', 'oc_ops', 'ops', 0)",
    ).run();
    const store = sq.prepare("insert into stores (id, name, created_at) values (?, ?, 0)");
    for (let s = 1; s <= 20; s++) store.run(s, `门店${s}`);

    sq.exec(`
      with recursive seq(i) as (select 1 union all select i + 1 from seq where i < ${N_ITEMS}),
      base as (select i, ${NOW} - (${N_ITEMS} - i + 1) * ${itemStep} as created, ${h("i")} as r from seq)
      insert into content_items (id, kind, chain, title, platforms, author_id, status, revision, created_at,
        updated_at, finished_at)
      select i, 'content', 'default', '周末新本推广第' || i || '期',
        case i % 7 when 0 then '["douyin"]' when 1 then '["xiaohongshu"]' when 2 then '["douyin","channels"]'
          when 3 then '["wechat_oa"]' when 4 then '["channels"]' when 5 then '["xiaohongshu","douyin"]'
          else '["weibo"]' end,
        1 + i % ${AUTHORS},
        case when ${NOW} - created < ${2 * DAY} then 'in_review'
          when ${NOW} - created < ${60 * DAY} and r < 3 then 'in_review'
          when ${NOW} - created < ${3 * DAY} then 'approved'
          when r < 93 then 'published' when r < 97 then 'rejected' else 'withdrawn' end,
        1, created, created + ${2 * HOUR},
        case when ${NOW} - created < ${3 * DAY} then null else created + ${70 * HOUR} end
      from base;
    `);
    // Two decided steps per finished item, then the open step(s) of items in review: odd items wait at
    // 初审, even ones passed 初审 two hours after submission and wait at 复审.
    sq.exec(`
      insert into review_steps (item_id, revision, position, step_key, label, role, status, opened_at,
        decided_by, decided_at)
      select id, 1, p.pos, p.k, p.label, p.role,
        case when status = 'rejected' and p.pos = 2 then 'rejected' else 'approved' end,
        created_at + (p.pos - 1) * ${2 * HOUR}, p.decider, created_at + p.pos * ${2 * HOUR}
      from content_items,
        (select 1 as pos, 'first' as k, '初审' as label, 'ops_lead' as role, 21 as decider
         union all select 2, 'second', '复审', 'marketing_head', 23) as p
      where status not in ('in_review')
      order by id, p.pos;
      insert into review_steps (item_id, revision, position, step_key, label, role, status, opened_at,
        decided_by, decided_at)
      select id, 1, 1, 'first', '初审', 'ops_lead', 'approved', created_at, 21, created_at + ${2 * HOUR}
      from content_items where status = 'in_review' and id % 2 = 0;
      insert into review_steps (item_id, revision, position, step_key, label, role, status, opened_at)
      select id, 1, 1 + (id % 2 = 0), case when id % 2 = 0 then 'second' else 'first' end,
        case when id % 2 = 0 then '复审' else '初审' end,
        case when id % 2 = 0 then 'marketing_head' else 'ops_lead' end,
        'pending', created_at + (id % 2 = 0) * ${2 * HOUR}
      from content_items where status = 'in_review';
      -- A step's breach is on record when its 24 h timer fired before the bot went down.
      update review_steps set breached_at = opened_at + ${DAY}
      where status = 'pending' and opened_at + ${DAY} <= ${NOW - DOWN};
    `);
    sq.exec(`
      insert into publications (item_id, platform, published_at, published_by)
      select c.id, j.value, c.finished_at, 25 from content_items c, json_each(c.platforms) j
      where c.status = 'published';
      insert into metric_duties (item_id, platform, published_at, breached_at, logged_at)
      select item_id, platform, published_at,
        case when ${h("item_id + length(platform)")} = 0 and published_at + ${72 * HOUR} <= ${NOW - DOWN}
          then published_at + ${72 * HOUR} end,
        case when ${h("item_id + length(platform)")} = 0 then null
          when published_at + ${30 * HOUR} > ${NOW} then null
          when ${NOW} - published_at < ${3 * DAY} and ${h("item_id")} >= 70 then null
          else published_at + ${30 * HOUR} end
      from publications;
    `);
    sq.exec(`
      with recursive seq(i) as (select 1 union all select i + 1 from seq where i < ${N_TICKETS}),
      base as (
        select i, ${NOW} - (${N_TICKETS} - i + 1) * ${ticketStep} as created,
          case i % 3 when 0 then 'positive' when 1 then 'negative' else 'neutral' end as sentiment,
          case when i % 10 = 1 then 'weibo' end as source, ${h("i")} as r from seq),
      t as (
        select *, case when sentiment = 'positive' then null
            when source = 'weibo' then created + ${HOUR / 2} else created + ${DAY} end as due,
          case when sentiment = 'positive' then 'material'
            when ${NOW} - created < ${2 * DAY} then 'open'
            when sentiment = 'negative' and i % 400 = 1 then 'open' else 'done' end as st
        from base)
      insert into tickets (id, store_id, text, sentiment, reasons, category, source, severe, tags, reporter_id,
        platform, status, created_at, due_at, breached_at, closed_at, closed_by)
      select i, 1 + i % 20, '顾客反馈：' || case sentiment when 'negative' then 'DM 态度差，线索卡印刷模糊，体验很失望'
          when 'neutral' then '剧本还行，就是等位时间有点长' else '超好玩，DM 很投入，下次还来' end,
        sentiment, '[]', '服务', source, '[]', case when sentiment = 'positive' then '["好评素材"]' else '[]' end,
        1 + i % ${AUTHORS}, 'feishu', st, created, due,
        case when st = 'open' and due <= ${NOW - DOWN} then due
          when st = 'done' and r < 8 then due end,
        case when st = 'done' then (case when r < 8 then due + ${HOUR} else created + ${4 * HOUR} end) end,
        case when st = 'done' then 27 + i % 4 end
      from t;
    `);
    // Timers. An open thing's timer fired when its time came before the bot went down; in the downtime
    // window it is still pending and due now. Decided/closed in time: cancelled; decided late: fired.
    const timer = (fire: string, closedAt: string, open: string) =>
      `case when ${open} then (case when ${fire} <= ${NOW - DOWN} then 'fired' else 'pending' end)
         when ${closedAt} < ${fire} then 'cancelled' else 'fired' end,
       ${fire},
       case when ${open} and ${fire} <= ${NOW - DOWN} then ${fire}
         when not (${open}) and ${closedAt} >= ${fire} then ${fire} end`;
    const reviewTimer = (kind: string, rule: string, after: number) => `
      insert into timers (kind, ref, status, fire_at, fired_at, payload, created_at)
      select '${kind}', id, ${timer(`opened_at + ${after}`, "decided_at", "status = 'pending'")},
        json_object('rule', '${rule}', 'basis', opened_at), opened_at
      from review_steps where status = 'pending' or opened_at > ${NOW - 30 * DAY};`;
    const dutyTimer = (kind: string, rule: string, after: number) => `
      insert into timers (kind, ref, status, fire_at, fired_at, payload, created_at)
      select '${kind}', item_id || ':' || platform,
        ${timer(`published_at + ${after}`, "logged_at", "logged_at is null")},
        json_object('rule', '${rule}', 'basis', published_at), published_at
      from metric_duties where logged_at is null or published_at > ${NOW - 30 * DAY};`;
    sq.exec(`
      ${reviewTimer("review.remind", "review.step.remind", 12 * HOUR)}
      ${reviewTimer("review.breach", "review.step.breach", DAY)}
      insert into timers (kind, ref, status, fire_at, fired_at, payload, created_at)
      select 'ticket.breach', id, ${timer("due_at", "closed_at", "status = 'open'")},
        json_object('rule', case source when 'weibo' then 'ticket.response.weibo' else 'ticket.response' end,
          'basis', created_at), created_at
      from tickets where due_at is not null and (status = 'open' or created_at > ${NOW - 30 * DAY});
      ${dutyTimer("metric.remind", "metric.after.publish.remind", DAY)}
      ${dutyTimer("metric.breach", "metric.after.publish.breach", 3 * DAY)}
      insert into timers (kind, ref, status, fire_at, payload, created_at)
      values ('digest.daily', 'ops', 'pending', ${NOW}, '{}', ${NOW - DAY});
    `);
    for (const t of triggers) sq.exec(t.sql);
  })();
  sq.pragma("foreign_keys = ON");
  sq.exec("analyze");
  sq.pragma("wal_checkpoint(TRUNCATE)");
  sq.close();
}

function vmHwmMb(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the kernel's RSS high-water mark to the current RSS (Linux ≥ 4.0); false where unsupported. */
function resetHwm(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return vmHwmMb() !== undefined;
  } catch {
    return false;
  }
}

/** The child: build the app on the seeded file with the clock at 09:30 and run the sweep. */
async function child(path: string): Promise<void> {
  const t0 = performance.now();
  const app = createApp({
    config: loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: path,
      BOT_TIMEZONE: TZ,
      // Feishu is configured (so reminders render real outbox payloads) but nothing is delivered here.
      FEISHU_APP_ID: "cli_bench",
      FEISHU_APP_SECRET: "s",
      FEISHU_VERIFICATION_TOKEN: "bench",
      FEISHU_DOMAIN: "http://127.0.0.1:9",
      LOG_LEVEL: "silent",
    }),
    clock: new ManualClock(NOW),
    log: pino({ level: "silent" }),
    background: false,
  });
  const startupMs = performance.now() - t0;
  const outboxBefore = count(app, "select count(*) n from outbox");
  global.gc?.();
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const hwm = resetHwm();

  const t = performance.now();
  let timersFired = 0;
  for (;;) {
    const n = app.timers.runDue();
    timersFired += n;
    if (n === 0) break;
  }
  const sweepMs = performance.now() - t;
  const peakRssMb = (hwm ? vmHwmMb() : undefined) ?? process.resourceUsage().maxRSS / 1024;

  const t2 = performance.now();
  const { registry } = app.core;
  const parts = { breaches: registry.breachProviders, sections: registry.digestSections };
  const digest = digestMessage(app.core.services, NOW, parts);
  const digestMs = performance.now() - t2;
  const text = digest.type === "text" ? digest.text : "";
  const breaches: Record<string, number> = {};
  for (const m of text.matchAll(/【(.+?)】(\d+) 项/g)) breaches[m[1] ?? ""] = Number(m[2]);
  const result = {
    startupMs,
    sweepMs,
    digestMs,
    timersFired,
    outboxRows: count(app, "select count(*) n from outbox") - outboxBefore,
    digestChars: text.length,
    breaches,
    rssBeforeMb,
    peakRssMb,
    peakSource: hwm ? "VmHWM" : "maxRSS",
    lifetimePeakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  if (process.env.BENCH_SLA_DIGEST_OUT) writeFileSync(process.env.BENCH_SLA_DIGEST_OUT, text);
  await app.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function count(app: App, sql: string): number {
  return (app.db.$client.prepare(sql).get() as { n: number }).n;
}

/** Runs this file as a child (same tsx loader) and parses the one JSON line it prints. */
function runChild(path: string): Promise<Omit<SlaSweepBench, "items" | "tickets" | "seedMs">> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [...process.execArgv, "--expose-gc", fileURLToPath(import.meta.url), "--sweep", path],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    proc.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    proc.on("error", reject);
    proc.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`sla sweep child exited with ${code}: ${out.slice(-500)}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`sla sweep child printed no result: ${out.slice(-500)}`));
      }
    });
  });
}

export async function benchSlaSweep(): Promise<SlaSweepBench> {
  const dir = mkdtempSync(join(tmpdir(), "bench-sla-"));
  try {
    const path = join(dir, "bot.db");
    const t = performance.now();
    seedSlaStore(path);
    const seedMs = performance.now() - t;
    const r = await runChild(path);
    return { items: N_ITEMS, tickets: N_TICKETS, seedMs, ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === "--sweep" && process.argv[3]) {
  await child(process.argv[3]);
} else if (isMain) {
  // `tsx bench/sla-sweep.ts`: this figure alone.
  console.log(JSON.stringify(await benchSlaSweep(), null, 2));
}
