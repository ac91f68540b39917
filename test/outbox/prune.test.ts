import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "../../src/store/db.ts";
import { OUTBOX_KEEP_MS, pruneOutbox } from "../../src/store/prune.ts";

/** The outbox keeps finished rows a month, so it does not grow for ever; waiting rows are never dropped. */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("pruneOutbox", () => {
  it("deletes finished rows older than 30 days and keeps recent ones and everything still pending", () => {
    const dir = mkdtempSync(join(tmpdir(), "prune-"));
    dirs.push(dir);
    const db = openDb(join(dir, "bot.db"));
    const now = Date.UTC(2026, 10, 22);
    const old = now - OUTBOX_KEEP_MS - 60_000;
    const insert = db.$client.prepare(
      "insert into outbox (platform, op, target, payload, idem_key, status, next_attempt_at, created_at, done_at) values ('feishu', 'send', 'chat:oc', '{}', ?, ?, 0, ?, ?)",
    );
    insert.run("old-done", "done", old, old);
    insert.run("old-superseded", "superseded", old, old);
    insert.run("old-dead", "dead", old, old);
    insert.run("old-pending", "pending", old, null); // a platform down for a month: still owed
    insert.run("new-done", "done", now, now - 1000);
    insert.run("new-dead", "dead", now, now - 1000);

    expect(pruneOutbox(db, now)).toBe(3);
    const left = db.$client.prepare("select idem_key k from outbox order by id").all() as { k: string }[];
    expect(left.map((r) => r.k)).toEqual(["old-pending", "new-done", "new-dead"]);
    db.$client.close();
  });
});
