/**
 * The archive's database side: triggers for every source and column, the guards, purges that keep the
 * chain verifiable (also across several purges), and rows that existed before the archive.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { purgeExpired } from "../../../src/core/archive/purge.ts";
import { ARCHIVE_SOURCES } from "../../../src/core/archive/sources.ts";
import { triggerProblems, verifyArchive } from "../../../src/core/archive/verify.ts";
import { MIGRATIONS_FOLDER, openDb } from "../../../src/store/db.ts";

const DAY = 86_400_000;
const RETENTION = 1096 * DAY;
const T0 = Date.parse("2026-01-01T00:00:00Z");

let sqlite: Database.Database;
let clock = T0;
const dirs: string[] = [];
afterEach(() => {
  sqlite?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(): Database.Database {
  sqlite = openDb(":memory:").$client;
  clock = T0;
  sqlite.function("bot_now", () => clock);
  sqlite.prepare("insert into people (id, name, created_at) values (1, '小王', 0)").run();
  return sqlite;
}

const audit = (action: string) =>
  sqlite
    .prepare("insert into audit_log (actor_id, action, detail, at) values (1, ?, '{}', ?)")
    .run(action, clock);
const crisis = (text: string) =>
  sqlite
    .prepare(
      `insert into crises (tier, description, stage, reporter_id, discovered_at, reported_at, report_window_ms,
         paged_at, created_at, updated_at) values (1, ?, 'report', 1, ?, ?, 0, ?, ?, ?)`,
    )
    .run(text, clock, clock, clock, clock, clock);
const count = (where = "1") =>
  (sqlite.prepare(`select count(*) n from archive_records where ${where}`).get() as { n: number }).n;

describe("capture triggers", () => {
  it("every archived table has its triggers, and every column of the table is in them", () => {
    fresh();
    expect(
      triggerProblems(sqlite),
      "an archived table changed: npx tsx scripts/archive-triggers.ts <table> into a new custom migration " +
        "(docs/recipes/add-an-archived-table.md)",
    ).toEqual([]);
    for (const s of ARCHIVE_SOURCES) {
      const columns = sqlite.pragma(`table_info(${s.table})`) as { name: string }[];
      expect(
        columns.map((c) => c.name),
        s.table,
      ).toContain(s.time);
    }
  });

  it("notices a column added to an archived table without new triggers", () => {
    fresh();
    sqlite.exec("alter table tickets add column mood text");
    expect(triggerProblems(sqlite)).toEqual([
      "archive_tickets_insert（未包含列 mood）",
      "archive_tickets_update（未包含列 mood）",
    ]);
  });

  it("only a connection that defines the bot's functions can write to an archived table", () => {
    const dir = mkdtempSync(join(tmpdir(), "archive-"));
    dirs.push(dir);
    const file = join(dir, "bot.db");
    openDb(file).$client.close();
    const other = new Database(file);
    expect(() => other.prepare("insert into audit_log (action, at) values ('x', 1)").run()).toThrow(
      /no such function: bot_now/,
    );
    other.close();
    sqlite = new Database(file);
  });

  it("a crisis opened from a ticket, and a crisis statement, keep those items permanently", () => {
    fresh();
    sqlite
      .prepare(
        `insert into tickets (id, text, sentiment, reasons, category, severe, tags, reporter_id, platform, status, created_at)
         values (7, '有人受伤', 'negative', '[]', '安全', '[]', '[]', 1, 'feishu', 'open', 0)`,
      )
      .run();
    sqlite
      .prepare(
        `insert into crises (tier, description, stage, reporter_id, discovered_at, reported_at, report_window_ms,
           paged_at, created_at, updated_at, ticket_id) values (2, '受伤', 'report', 1, 0, 0, 0, 0, 0, 0, 7)`,
      )
      .run();
    const marks = sqlite.prepare("select scope, level, reason from archive_marks").all();
    expect(marks).toEqual([{ scope: "ticket:T-7", level: "危机", reason: "危机 C-1 的来源工单" }]);
  });
});

describe("guards", () => {
  it("a hashed record is never updated; nothing but the retention job deletes", () => {
    fresh();
    audit("a");
    expect(() => sqlite.prepare("update archive_records set scope = 'x'").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare("delete from archive_records").run()).toThrow(/only the retention job/);
    // Even with a permit, a permanent or not-yet-expired record stays.
    crisis("城东店被曝光");
    sqlite.prepare("insert into archive_purge_permit (id, cutoff) values (1, ?)").run(clock + DAY);
    expect(() => sqlite.prepare("delete from archive_records where kind = 'crises'").run()).toThrow(
      /only the retention job/,
    );
    expect(() =>
      sqlite.prepare("insert into archive_purge_permit (id, cutoff) values (2, 0)").run(),
    ).toThrow();
  });
});

describe("retention keeps the chain verifiable", () => {
  it("purges expired standard records between permanent ones, across several runs, and the chain verifies", () => {
    fresh();
    for (let month = 0; month < 48; month++) {
      clock = T0 + month * 30 * DAY;
      audit(`month-${month}`);
      if (month % 7 === 0) crisis(`crisis-${month}`);
      audit(`month-${month}-b`);
    }
    expect(verifyArchive(sqlite).ok).toBe(true);
    const total = count();
    // Monthly runs over the last year: each removes what has just expired.
    let removed = 0;
    for (let run = 0; run < 14; run++) {
      clock = T0 + RETENTION + run * 30 * DAY;
      const note = purgeExpired(sqlite, clock, "1096d", RETENTION);
      removed += note.removed;
      const v = verifyArchive(sqlite);
      expect(v.broken, `after run ${run}`).toBeUndefined();
    }
    expect(removed).toBeGreaterThan(20);
    expect(count("kind = 'crises'")).toBe(7); // permanent, never removed
    expect(count()).toBe(total - removed + 14); // + one note per run
    const v = verifyArchive(sqlite);
    expect(v).toMatchObject({ ok: true, purges: 14, purged: removed });
  });

  it("a later run that removes records on both sides of an older gap still verifies", () => {
    fresh();
    clock = T0 + 10 * DAY;
    audit("a"); // 1
    clock = T0;
    audit("b"); // 2: older than its neighbours
    clock = T0 + 10 * DAY;
    audit("c"); // 3
    crisis("keep"); // 4, permanent
    clock = T0 + RETENTION + 5 * DAY;
    expect(purgeExpired(sqlite, clock, "1096d", RETENTION).removed).toBe(1); // 2; note 5
    clock = T0 + RETENTION + 20 * DAY;
    expect(purgeExpired(sqlite, clock, "1096d", RETENTION).removed).toBe(2); // 1 and 3 as one run; note 6
    expect(sqlite.prepare("select id, kind from archive_records order by id").all()).toEqual([
      { id: 4, kind: "crises" },
      { id: 5, kind: "archive_purge" },
      { id: 6, kind: "archive_purge" },
    ]);
    expect(verifyArchive(sqlite).ok).toBe(true);
  });

  it("a forged gap, or a tampered retention note, is reported", () => {
    fresh();
    for (const a of ["a", "b", "c", "d"]) audit(a);
    clock = T0 + RETENTION + DAY;
    purgeExpired(sqlite, clock, "1096d", RETENTION); // removes 1–4, note is 5
    audit("e"); // 6
    audit("f"); // 7
    audit("g"); // 8
    sqlite.exec("drop trigger archive_records_purge_only");
    sqlite.prepare("delete from archive_records where id = 7").run();
    expect(verifyArchive(sqlite).broken).toMatchObject({ id: 8, reason: "gap", previousId: 6 });

    fresh();
    for (const a of ["a", "b"]) audit(a);
    clock = T0 + RETENTION + DAY;
    purgeExpired(sqlite, clock, "1096d", RETENTION);
    sqlite.exec("drop trigger archive_records_append_only");
    sqlite
      .prepare("update archive_records set content = replace(content, '\"removed\":2', '\"removed\":1')")
      .run();
    expect(verifyArchive(sqlite).broken).toMatchObject({ id: 3, reason: "content" });
  });
});

describe("rows that existed before the archive", () => {
  it("are copied into the chain once, with their own times, when the archive's migrations run", () => {
    const dir = mkdtempSync(join(tmpdir(), "archive-upgrade-"));
    dirs.push(dir);
    // The migrations as they were before the archive.
    const before = join(dir, "migrations");
    mkdirSync(join(before, "meta"), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
      entries: { tag: string }[];
    };
    const cut = journal.entries.findIndex((e) => e.tag.endsWith("_archive"));
    const old = { ...journal, entries: journal.entries.slice(0, cut) };
    writeFileSync(join(before, "meta/_journal.json"), JSON.stringify(old));
    for (const f of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql"))) {
      if (old.entries.some((e) => f.startsWith(e.tag)))
        copyFileSync(join(MIGRATIONS_FOLDER, f), join(before, f));
    }
    const file = join(dir, "bot.db");
    const legacy = new Database(file);
    migrate(drizzle(legacy), { migrationsFolder: before });
    legacy.prepare("insert into people (id, name, created_at) values (1, '小王', 0)").run();
    legacy
      .prepare(
        `insert into content_items (id, chain, title, platforms, author_id, status, created_at, updated_at)
         values (1, 'default', '老活动', '["douyin"]', 1, 'approved', 1000, 2000)`,
      )
      .run();
    legacy
      .prepare(
        "insert into review_events (item_id, revision, type, actor_id, at) values (1, 1, 'submit', 1, 1500)",
      )
      .run();
    legacy.close();

    sqlite = openDb(file).$client;
    const rows = sqlite.prepare("select kind, op, scope, at from archive_records order by id").all();
    expect(rows).toEqual([
      { kind: "content_items", op: "backfill", scope: "review:#1", at: 2000 },
      { kind: "review_events", op: "backfill", scope: "review:#1", at: 1500 },
    ]);
    expect(verifyArchive(sqlite).ok).toBe(true);
  });
});
