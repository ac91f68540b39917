import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { loadConfig } from "../src/config.ts";

/**
 * `npm run backup <file>`: an online backup of the SQLite store (SQLite's backup API copies a consistent
 * snapshot while the bot keeps writing), then an integrity check of the copy.
 */
async function main(): Promise<void> {
  // Same .env as `npm start` (real env vars win), so DATABASE_PATH points at the bot's file.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const target = process.argv[2];
  if (!target) {
    console.error("用法 / usage: npm run backup <备份文件路径>");
    process.exit(2);
  }
  const { databasePath } = loadConfig(process.env);
  if (!existsSync(databasePath)) {
    console.error(`找不到数据库文件 / database not found: ${databasePath}`);
    process.exit(1);
  }
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  await db.backup(target);
  db.close();
  const copy = new Database(target, { readonly: true });
  const check = copy.pragma("integrity_check", { simple: true });
  copy.close();
  if (check !== "ok") {
    console.error(`备份文件完整性检查失败 / integrity check failed: ${String(check)}`);
    process.exit(1);
  }
  console.log(`备份完成 / backup written: ${target}`);
}

await main();
