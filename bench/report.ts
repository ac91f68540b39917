import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../src/clock.ts";
import { addDays, dayOf, dayStart } from "../src/core/metrics/days.ts";
import { Policy } from "../src/core/policy/policy.ts";
import { buildReport } from "../src/core/reports/build.ts";
import { renderChart } from "../src/core/reports/chart.ts";
import { currentWeek } from "../src/core/reports/period.ts";
import type { Services } from "../src/core/services.ts";
import { openDb } from "../src/store/db.ts";

/**
 * docs/performance.md: `/report week` over 3 years of data (7 platforms, 20 stores) within 300 ms without the chart,
 * and the chart PNG within 1 s. The store is seeded straight through SQL (the numbers a busy chain would
 * have logged): every platform and store every day, ~10 content items a day through the whole review
 * chain with publications, item metrics and targets, ~30 tickets a day and a crisis a week.
 */
export interface ReportBench {
  rows: number;
  reportMs: number;
  chartMs: number;
  pngBytes: number;
}

const TZ = "Asia/Shanghai";
const DAYS = 3 * 365;
const PLATFORMS = ["douyin", "xiaohongshu", "wechat_oa", "channels", "weibo", "dianping", "meituan"];
const STORES = 20;
const ITEMS_PER_DAY = 10;
const TICKETS_PER_DAY = 30;
const HOUR = 3_600_000;

/** A small deterministic generator, so every run measures the same data. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function seed(path: string, today: string): number {
  const db = openDb(path);
  const sq = db.$client;
  const r = rng(42);
  const int = (lo: number, hi: number) => Math.floor(lo + r() * (hi - lo));
  let rows = 0;
  sq.transaction(() => {
    sq.prepare("insert into people (id, name, created_at) values (1, '运营', 0), (2, '审核', 0)").run();
    const store = sq.prepare("insert into stores (id, name, created_at) values (?, ?, 0)");
    for (let s = 1; s <= STORES; s++) store.run(s, `门店${s}`);
    const metric = sq.prepare(
      `insert into metric_values (subject, scope, platform, store_id, item_id, day, key, value, logged_by, logged_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, 1, 0)`,
    );
    const item = sq.prepare(
      `insert into content_items (id, kind, chain, title, platforms, author_id, status, revision, created_at, updated_at, finished_at)
       values (?, 'content', 'default', ?, ?, 1, 'published', 1, ?, ?, ?)`,
    );
    const revision = sq.prepare(
      "insert into revisions (item_id, revision, body, findings, submitted_at) values (?, 1, '正文', ?, ?)",
    );
    const step = sq.prepare(
      `insert into review_steps (item_id, revision, position, step_key, label, role, status, opened_at, decided_by, decided_at)
       values (?, 1, ?, ?, ?, ?, 'approved', ?, 2, ?)`,
    );
    const event = sq.prepare(
      "insert into review_events (item_id, revision, type, actor_id, step_key, at) values (?, 1, ?, ?, ?, ?)",
    );
    const publication = sq.prepare(
      "insert into publications (item_id, platform, published_at, published_by) values (?, ?, ?, 2)",
    );
    const target = sq.prepare(
      "insert into content_targets (item_id, key, value, set_by, set_at) values (?, 'exposure', ?, 1, 0)",
    );
    const ticket = sq.prepare(
      `insert into tickets (store_id, text, sentiment, reasons, category, severe, tags, reporter_id, platform, status,
         created_at, due_at, breached_at, closed_at) values (?, '反馈', ?, '[]', '其他', '[]', '[]', 1, 'feishu', ?, ?, ?, ?, ?)`,
    );
    const crisis = sq.prepare(
      `insert into crises (tier, description, stage, reporter_id, discovered_at, reported_at, report_window_ms, paged_at,
         contained_at, created_at, updated_at) values (?, '危机', 'closed', 1, ?, ?, 0, ?, ?, ?, ?)`,
    );
    const ack = sq.prepare(
      "insert into crisis_events (crisis_id, type, detail, at) values (?, 'ack', '', ?)",
    );
    const steps = [
      ["first", "初审", "ops_lead"],
      ["second", "复审", "marketing_head"],
      ["publish", "发布确认", "publisher"],
    ] as const;
    let itemId = 0;
    let crisisId = 0;
    for (let i = DAYS; i >= 1; i--) {
      const day = addDays(today, -i);
      const t0 = dayStart(day, TZ);
      for (const p of PLATFORMS) {
        const exposure = int(5_000, 200_000);
        const values: [string, number][] = [
          ["exposure", exposure],
          ["likes", Math.round(exposure * (0.01 + r() * 0.04))],
          ["comments", Math.round(exposure * r() * 0.01)],
          ["shares", Math.round(exposure * r() * 0.005)],
          ["saves", Math.round(exposure * r() * 0.005)],
          ["follows", int(10, 500)],
        ];
        for (const [key, value] of values)
          metric.run(`platform:${p}`, "platform", p, null, null, day, key, value);
        rows += values.length;
      }
      for (let s = 1; s <= STORES; s++) {
        const values: [string, number][] = [
          ["visits", int(20, 200)],
          ["bookings", int(10, 150)],
          ["packages", int(5, 80)],
          ["positive_rate", 85 + r() * 15],
          ["negatives", int(0, 4)],
        ];
        for (const [key, value] of values) metric.run(`store:${s}`, "store", null, s, null, day, key, value);
        rows += values.length;
      }
      for (let n = 0; n < ITEMS_PER_DAY; n++) {
        itemId++;
        const platform = PLATFORMS[n % PLATFORMS.length] as string;
        const submitted = t0 + 9 * HOUR + n * 600_000;
        const done = submitted + 3 * 1_800_000;
        item.run(itemId, `内容${itemId}`, JSON.stringify([platform]), submitted, done, done);
        const findings = n % 4 === 0 ? '[{"category":"absolute","term":"最好"}]' : "[]";
        revision.run(itemId, findings, submitted);
        event.run(itemId, "submit", 1, null, submitted);
        steps.forEach(([key, label, role], k) => {
          const opened = submitted + k * 1_800_000;
          step.run(itemId, k + 1, key, label, role, opened, opened + 1_800_000);
          event.run(itemId, "approve", 2, key, opened + 1_800_000);
        });
        publication.run(itemId, platform, done + HOUR);
        event.run(itemId, "publish", 2, null, done + HOUR);
        const exposure = int(1_000, 600_000);
        for (const [key, value] of [
          ["exposure", exposure],
          ["likes", Math.round(exposure * 0.03)],
          ["comments", Math.round(exposure * 0.005)],
          ["shares", Math.round(exposure * 0.002)],
        ] as const) {
          metric.run(
            `item:${itemId}:${platform}`,
            "item",
            platform,
            null,
            itemId,
            addDays(day, 1),
            key,
            value,
          );
        }
        if (n % 3 === 0) target.run(itemId, 300_000);
        rows += 14;
      }
      for (let n = 0; n < TICKETS_PER_DAY; n++) {
        const created = t0 + int(0, 24) * HOUR;
        const sentiment = ["positive", "neutral", "negative"][n % 3] as string;
        const due = sentiment === "positive" ? null : created + 24 * HOUR;
        const late = due !== null && r() < 0.1;
        const closed = due === null ? null : late ? due + HOUR : created + int(1, 20) * HOUR;
        ticket.run(
          int(1, STORES + 1),
          sentiment,
          due === null ? "material" : "done",
          created,
          due,
          late ? due : null,
          closed,
        );
        rows++;
      }
      if (i % 7 === 0) {
        crisisId++;
        const reported = t0 + 11 * HOUR;
        crisis.run(
          (crisisId % 3) + 1,
          reported,
          reported,
          reported,
          reported + 20 * HOUR,
          reported,
          reported,
        );
        ack.run(crisisId, reported + int(2, 30) * 60_000);
        rows += 2;
      }
    }
  })();
  sq.pragma("optimize");
  sq.close();
  return rows;
}

export async function benchReport(): Promise<ReportBench> {
  const dir = mkdtempSync(join(tmpdir(), "bench-report-"));
  try {
    const now = Date.parse("2026-11-23T10:00:00+08:00");
    const path = join(dir, "bot.db");
    const rows = seed(path, dayOf(now, TZ));
    const db = openDb(path);
    const clock = new ManualClock(now);
    const deps = { db, clock, tz: TZ, policy: new Policy(db, clock) } as unknown as Services;
    const period = currentWeek(now, TZ, 1);
    buildReport(deps, period); // warm-up: statement compilation, page cache
    const times: number[] = [];
    let data = buildReport(deps, period);
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      data = buildReport(deps, period);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    // The first chart of a process loads ECharts, resvg and the font: that is what a weekly post pays.
    const t = performance.now();
    const png = renderChart(data);
    const chartMs = performance.now() - t;
    if (!png) throw new Error("the benchmark's report has no chart");
    writeFileSync(join(dir, "chart.png"), png);
    if (process.env.BENCH_CHART_OUT) writeFileSync(process.env.BENCH_CHART_OUT, png);
    db.$client.close();
    return { rows, reportMs: times[Math.floor(times.length / 2)] ?? 0, chartMs, pngBytes: png.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
