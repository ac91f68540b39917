import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../../src/store/checkpointer.ts";
import { openDb } from "../../src/store/db.ts";

/**
 * WAL checkpoints run on a worker thread so no COMMIT on the callback path waits for the disk. What must
 * hold: written data reaches the database file without the writer checkpointing, and stopping is clean
 * (twice, too: app.stop may race a signal).
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("background WAL checkpoints", () => {
  it("copy committed pages into the database file while the writer never checkpoints itself", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ckpt-"));
    dirs.push(dir);
    const path = join(dir, "bot.db");
    const db = openDb(path);
    const checkpointer = startCheckpointer(db, path, pino({ level: "silent" }), 50);
    // The writer's own threshold is now far above what this writes (~6 MB): only the thread can move it.
    expect(db.$client.pragma("wal_autocheckpoint", { simple: true })).toBeGreaterThan(10_000);
    const sizeBefore = statSync(path).size;
    db.$client.exec("create table t (v text)");
    const insert = db.$client.prepare("insert into t values (?)");
    db.$client.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run("x".repeat(3000));
    })();
    for (let i = 0; i < 100 && statSync(path).size < sizeBefore + 5_000_000; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(statSync(path).size).toBeGreaterThan(sizeBefore + 5_000_000);
    await checkpointer.stop();
    await checkpointer.stop();
    expect((db.$client.prepare("select count(*) n from t").get() as { n: number }).n).toBe(2000);
    db.$client.close();
  });
});
