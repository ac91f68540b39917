import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema/index.ts";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Resolved from this file, so it works from any working directory (npm start, tests, backups). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Opens (creating if needed) the SQLite file and applies pending migrations.
 * WAL lets readers (healthz, reports) run beside the single writer; busy_timeout rides out the backup
 * process holding a lock; foreign keys are per-connection in SQLite so they are switched on here.
 */
export function openDb(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  cacheStatements(sqlite);
  registerArchiveFunctions(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  const broken = sqlite.pragma("foreign_key_check") as unknown[];
  if (broken.length > 0)
    throw new Error(`数据库外键检查失败 / foreign_key_check failed: ${JSON.stringify(broken[0])}`);
  return db;
}

/**
 * The archive's triggers (migrations/*_archive_triggers.sql) hash each record with `sha256()` and stamp it
 * with `bot_now()`. Only connections opened here define them, so only the bot can write to an archived
 * table (any other connection fails with "no such function"). Registered before the migrations run, which
 * create the triggers and copy rows that already exist. The core re-registers `bot_now` with its clock.
 */
export function registerArchiveFunctions(sqlite: Database.Database): void {
  sqlite.function("sha256", { deterministic: true }, (text: unknown) =>
    createHash("sha256").update(String(text), "utf8").digest("hex"),
  );
  sqlite.function("bot_now", () => Date.now());
}

/**
 * Runs fn in one IMMEDIATE transaction (takes the write lock at once, so guards read fresh state); inside
 * another transaction, in a savepoint that undoes fn's writes alone when it throws. The same semantics as
 * better-sqlite3's `transaction(fn).immediate()`, without building four wrapper functions per call (a card
 * click's path calls this for every callback, `npm run bench`).
 */
export function tx<T>(db: Db, fn: () => T): T {
  const sqlite = db.$client;
  const s = txStatements(sqlite);
  const outer = !sqlite.inTransaction;
  (outer ? s.begin : s.savepoint).run();
  try {
    const result = fn();
    // An async fn would commit before its awaits ran: refused, as better-sqlite3 does.
    if (result instanceof Promise) throw new TypeError("tx: the function must not return a promise");
    (outer ? s.commit : s.release).run();
    return result;
  } catch (err) {
    // A failed COMMIT may already have ended the transaction (SQLite rolls back by itself on some errors).
    if (sqlite.inTransaction) {
      if (outer) s.rollback.run();
      else {
        s.rollbackTo.run();
        s.release.run();
      }
    }
    throw err;
  }
}

interface TxStatements {
  begin: Database.Statement;
  commit: Database.Statement;
  rollback: Database.Statement;
  savepoint: Database.Statement;
  release: Database.Statement;
  rollbackTo: Database.Statement;
}
const txStatementsOf = new WeakMap<Database.Database, TxStatements>();
function txStatements(sqlite: Database.Database): TxStatements {
  let s = txStatementsOf.get(sqlite);
  if (!s) {
    s = {
      begin: sqlite.prepare("BEGIN IMMEDIATE"),
      commit: sqlite.prepare("COMMIT"),
      rollback: sqlite.prepare("ROLLBACK"),
      savepoint: sqlite.prepare("SAVEPOINT tx"),
      release: sqlite.prepare("RELEASE tx"),
      rollbackTo: sqlite.prepare("ROLLBACK TO tx"),
    };
    txStatementsOf.set(sqlite, s);
  }
  return s;
}

/**
 * drizzle asks better-sqlite3 to compile every query again on every call, and compiling dominates the
 * card-click path (measured by `npm run bench`). Statements are reusable, so compiled ones are kept by SQL
 * text. drizzle switches a statement to raw (array) rows when it wants them and never switches back, so a
 * reused statement is reset to object rows first.
 */
function cacheStatements(sqlite: Database.Database, max = 500): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      if (stmt.reader) stmt.raw(false);
      return stmt;
    }
    stmt = compile(source);
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
}
