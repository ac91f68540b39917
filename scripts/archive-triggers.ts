/**
 * Prints the SQL of the archive's triggers, for a custom drizzle migration (docs/recipes/add-an-archived-table.md).
 *
 *   npx tsx scripts/archive-triggers.ts [--init] [--backfill] [表名…]
 *
 * With table names: the capture triggers of those tables (DROP + CREATE, so re-running after a column was
 * added, or after a migration that re-created the table, brings them up to date). Without: every table of
 * src/core/archive/sources.ts. `--init` adds the chain, guard and crisis-mark triggers; `--backfill` copies
 * rows that already exist into the archive once. Columns are read from a database migrated from
 * migrations/ as they are now, so a new table must be migrated (and listed in sources.ts) first.
 *
 *   npx tsx scripts/archive-triggers.ts metric_values > /tmp/archive.sql   (first: it migrates from migrations/,
 *   npx drizzle-kit generate --custom --name=archive_<why>                  and an empty custom file fails)
 *   cp /tmp/archive.sql migrations/<that file>.sql
 */
import { ARCHIVE_SOURCES, type ArchiveSource, triggerName } from "../src/core/archive/sources.ts";
import { openDb } from "../src/store/db.ts";

const BREAK = "\n--> statement-breakpoint\n";
const GENESIS = "0".repeat(64);

/**
 * The chain, the append-only and purge-only guards, and the marks that keep crisis-linked items forever.
 * `NEW.content || ''`: json_object()'s JSON subtype survives into NEW, and json_array would then embed the
 * content as JSON instead of as the text that is stored; concatenating drops the subtype, so the trigger
 * hashes exactly what the verifier reads back.
 */
export const INIT_SQL = [
  `CREATE TRIGGER archive_records_chain AFTER INSERT ON archive_records
BEGIN
  UPDATE archive_records
  SET prev_hash = p.h,
      hash = sha256(p.h || json_array(NEW.id, NEW.at, NEW.kind, NEW.op, NEW.scope, NEW.retention, NEW.content || ''))
  FROM (SELECT coalesce((SELECT hash FROM archive_records WHERE id < NEW.id ORDER BY id DESC LIMIT 1), '${GENESIS}') AS h) AS p
  WHERE archive_records.id = NEW.id;
END;`,
  `CREATE TRIGGER archive_records_append_only BEFORE UPDATE ON archive_records
WHEN OLD.hash IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'archive_records is append-only: an archived record is never changed');
END;`,
  `CREATE TRIGGER archive_records_purge_only BEFORE DELETE ON archive_records
WHEN NOT EXISTS (SELECT 1 FROM archive_purge_permit p WHERE OLD.retention = 'standard' AND OLD.at < p.cutoff)
  OR OLD.scope IN (SELECT scope FROM archive_marks)
BEGIN
  SELECT RAISE(ABORT, 'archive_records: only the retention job deletes, and only expired non-permanent records');
END;`,
  `CREATE TRIGGER archive_marks_append_only BEFORE UPDATE ON archive_marks
BEGIN
  SELECT RAISE(ABORT, 'archive_marks: a permanent mark is never changed');
END;`,
  `CREATE TRIGGER archive_marks_no_delete BEFORE DELETE ON archive_marks
BEGIN
  SELECT RAISE(ABORT, 'archive_marks: a permanent mark is never removed');
END;`,
  `CREATE TRIGGER archive_access_log_append_only BEFORE UPDATE ON archive_access_log
BEGIN
  SELECT RAISE(ABORT, 'archive_access_log is append-only');
END;`,
  `CREATE TRIGGER archive_access_log_no_delete BEFORE DELETE ON archive_access_log
BEGIN
  SELECT RAISE(ABORT, 'archive_access_log is append-only');
END;`,
  // 危机处置相关档案永久保管 (第十二条(三)): the ticket a crisis came from, and its official statement.
  `CREATE TRIGGER archive_mark_crisis_ticket AFTER INSERT ON crises
WHEN NEW.ticket_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO archive_marks (scope, level, reason, marked_by, marked_at)
  VALUES ('ticket:T-' || NEW.ticket_id, '危机', '危机 C-' || NEW.id || ' 的来源工单', NULL, CAST(bot_now() AS INTEGER));
END;`,
  `CREATE TRIGGER archive_mark_crisis_ticket_update AFTER UPDATE OF ticket_id ON crises
WHEN NEW.ticket_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO archive_marks (scope, level, reason, marked_by, marked_at)
  VALUES ('ticket:T-' || NEW.ticket_id, '危机', '危机 C-' || NEW.id || ' 的来源工单', NULL, CAST(bot_now() AS INTEGER));
END;`,
  `CREATE TRIGGER archive_mark_crisis_statement AFTER UPDATE OF statement_item_id ON crises
WHEN NEW.statement_item_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO archive_marks (scope, level, reason, marked_by, marked_at)
  VALUES ('review:#' || NEW.statement_item_id, '危机', '危机 C-' || NEW.id || ' 的官方声明', NULL, CAST(bot_now() AS INTEGER));
END;`,
];

function content(columns: string[], prefix: string): string {
  return `json_object(${columns.map((c) => `'${c}', ${prefix}${c}`).join(", ")})`;
}

export function captureSql(source: ArchiveSource, columns: string[]): string[] {
  const retention = source.retention ?? "'standard'";
  return source.ops.flatMap((op) => {
    const name = triggerName(source.table, op);
    return [
      `DROP TRIGGER IF EXISTS ${name};`,
      `CREATE TRIGGER ${name} AFTER ${op.toUpperCase()} ON ${source.table}
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), '${source.table}', '${op}', ${source.scope}, ${retention},
    ${content(columns, "NEW.")});
END;`,
    ];
  });
}

export function backfillSql(source: ArchiveSource, columns: string[]): string {
  const row = (expr: string) => expr.replaceAll("NEW.", "");
  return `INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT ${source.time}, '${source.table}', 'backfill', ${row(source.scope)}, ${row(source.retention ?? "'standard'")},
  ${content(columns, "")}
FROM ${source.table} ORDER BY rowid;`;
}

function main(): void {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !ARCHIVE_SOURCES.some((s) => s.table === n));
  if (unknown.length > 0) {
    console.error(`不在 src/core/archive/sources.ts 中 / not an archive source: ${unknown.join(", ")}`);
    process.exit(2);
  }
  const sources = names.length ? ARCHIVE_SOURCES.filter((s) => names.includes(s.table)) : ARCHIVE_SOURCES;
  const db = openDb(":memory:");
  const columnsOf = (table: string) => {
    const cols = (db.$client.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    if (cols.length === 0) throw new Error(`table ${table} does not exist after migrations`);
    return cols;
  };
  const out: string[] = [];
  if (args.includes("--init")) out.push(...INIT_SQL);
  for (const s of sources) out.push(...captureSql(s, columnsOf(s.table)));
  if (args.includes("--backfill")) for (const s of sources) out.push(backfillSql(s, columnsOf(s.table)));
  console.log(out.join(BREAK));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
