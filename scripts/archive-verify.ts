import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { verifyArchive } from "../src/core/archive/verify.ts";
import { verifyText } from "../src/core/archive/verify-text.ts";

/**
 * `npm run archive:verify [file]`: re-walks the archive's hash chain in a SQLite file (a backup, or the live
 * DATABASE_PATH when no file is given), read-only, and prints what `/archive verify` would say. Exit code 0
 * when the chain is whole, 1 when it is broken or the file cannot be read. The restore check of docs/operations.md §3.
 */
function main(): void {
  // Same .env as `npm start` (real env vars win), so DATABASE_PATH points at the bot's file.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const file = process.argv[2] ?? process.env.DATABASE_PATH ?? "./data/bot.db";
  const tz = process.env.BOT_TIMEZONE || "Asia/Shanghai";
  if (!existsSync(file)) {
    console.error(`找不到数据库文件 / database not found: ${file}`);
    process.exit(1);
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") {
      console.error(`SQLite 完整性检查失败 / integrity check failed: ${String(integrity)}`);
      process.exit(1);
    }
    const result = verifyArchive(db);
    console.log(verifyText(result, tz));
    if (result.last) console.log(`head ${result.last.id} ${result.last.hash}`);
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    db.close();
  }
}

main();
