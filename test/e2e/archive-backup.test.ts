/**
 * The restore check of docs/operations.md §3: `npm run backup <file>` while the bot keeps writing, then
 * `npm run archive:verify <file>`, then the bot started on the backup answers `/archive verify`.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness | undefined;
let restored: Harness | undefined;
let dir: string;
afterEach(async () => {
  await h?.close();
  await restored?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npx tsx <script> <args>` (what the npm scripts run) and collects its output. */
function run(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, out })),
  );
  return {
    done,
    get exited() {
      return child.exitCode !== null;
    },
  };
}

it("a backup taken while the bot writes opens, and its archive verifies", async () => {
  dir = mkdtempSync(join(tmpdir(), "archive-backup-"));
  h = await startInProcess();
  const bot = h;
  await seedRoles(bot);
  // Some volume, so the copy takes more than one step of the backup API.
  const insert = bot.app.db.$client.prepare(
    "insert into audit_log (actor_id, action, detail, at) values (1, 'bulk', ?, ?)",
  );
  bot.app.db.$client.transaction(() => {
    for (let i = 0; i < 3000; i++) insert.run(JSON.stringify({ i, pad: "档案".repeat(40) }), i);
  })();

  const file = join(dir, "backup.db");
  const backup = run("scripts/backup.ts", [file], { DATABASE_PATH: bot.dbPath });
  // Two writers: commands over HTTP, and a steady stream of rows on the bot's own connection every few ms.
  let rows = 0;
  const stream = setInterval(() => {
    insert.run(JSON.stringify({ during: rows }), Date.now());
    rows++;
  }, 3);
  let writes = 0;
  while (!backup.exited) {
    await bot.say("wang", `/submit 抖音 备份期间的活动${writes}\n正文 ${writes}`);
    writes++;
  }
  clearInterval(stream);
  const result = await backup.done;
  expect(result.out).toContain(`备份完成 / backup written: ${file}`);
  expect(result.code).toBe(0);
  expect(writes).toBeGreaterThan(1);
  expect(rows).toBeGreaterThan(20);
  // The bot went on writing after the copy.
  await bot.say("wang", "/submit 抖音 备份之后的活动\n正文");

  const check = await run("scripts/archive-verify.ts", [file], {}).done;
  expect(check.out).toMatch(/^✅ 档案完整：\d+ 条记录逐条校验哈希链通过/);
  expect(check.code).toBe(0);
  // The backup's chain is a prefix of the live one: its head is a live record with the same hash.
  const [, headId, headHash] = /head (\d+) ([0-9a-f]{64})/.exec(check.out) ?? [];
  const live = bot.app.db.$client
    .prepare("select hash from archive_records where id = ?")
    .get(Number(headId)) as { hash: string } | undefined;
  expect(live?.hash).toBe(headHash);
  const liveCount = (
    bot.app.db.$client.prepare("select count(*) n from archive_records").get() as { n: number }
  ).n;
  expect(Number(headId)).toBeLessThan(liveCount);

  // Restore: the bot started on the backup (migrations bring it up to date) verifies it too.
  await bot.close();
  h = undefined;
  restored = await startInProcess({ dbPath: file });
  await restored.say("admin", "/archive verify");
  expect(restored.texts("admin").at(-1)).toMatch(/^✅ 档案完整/);
  await restored.say("admin", "/archive search 备份期间的活动0");
  expect(restored.texts("admin").at(-1)).toContain("#1 内容：内容 · 内容审核 · 备份期间的活动0");
});
