import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, openDb, tx } from "../../src/store/db.ts";
import { GroupCommit } from "../../src/store/group-commit.ts";

/**
 * Card clicks that arrive together commit in one transaction (store/group-commit.ts), each job atomic on
 * its own inside it (its writes in one tx(), a savepoint). What must hold for exactly-once: nobody is
 * answered before the batch is durable, and a failing job leaves nothing while the others commit.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  dirs.push(dir);
  const path = join(dir, "bot.db");
  return { db: openDb(path), path };
}

const insert = (db: Db, key: string) =>
  db.$client.prepare("insert into inbound_seen (key, seen_at) values (?, 0)").run(key);
const keys = (db: Db) =>
  (db.$client.prepare("select key from inbound_seen order by key").all() as { key: string }[]).map(
    (r) => r.key,
  );

describe("group commit", () => {
  it("answers each job only once the batch is visible to another connection", async () => {
    const { db, path } = open();
    const commits = new GroupCommit(db);
    const reader = new Database(path, { readonly: true });
    const seenAtAnswer: string[][] = [];
    const read = () =>
      (reader.prepare("select key from inbound_seen order by key").all() as { key: string }[]).map(
        (r) => r.key,
      );
    await Promise.all(
      ["a", "b", "c"].map((k) =>
        commits.run(() => tx(db, () => insert(db, k))).then(() => seenAtAnswer.push(read())),
      ),
    );
    expect(seenAtAnswer).toEqual([
      ["a", "b", "c"],
      ["a", "b", "c"],
      ["a", "b", "c"],
    ]);
    reader.close();
  });

  it("rolls a failing job back alone; the rest of its batch commits", async () => {
    const { db } = open();
    const commits = new GroupCommit(db);
    const outcomes = await Promise.allSettled([
      commits.run(() => tx(db, () => insert(db, "first"))),
      commits.run(() =>
        tx(db, () => {
          insert(db, "failing");
          throw new Error("handler bug");
        }),
      ),
      commits.run(() => tx(db, () => insert(db, "third"))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error("handler bug"));
    expect(keys(db)).toEqual(["first", "third"]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("keeps a refusal's record and not the refused work (the dispatcher's two units in one job)", async () => {
    const { db } = open();
    const commits = new GroupCommit(db);
    const answer = await commits.run(() => {
      try {
        return tx(db, () => {
          insert(db, "key");
          insert(db, "half-done effect");
          throw new Error("refused");
        });
      } catch {
        return tx(db, () => {
          insert(db, "key");
          return "refused";
        });
      }
    });
    expect(answer).toBe("refused");
    expect(keys(db)).toEqual(["key"]);
  });
});

describe("tx", () => {
  it("commits outside a transaction and nests as a savepoint inside one", () => {
    const { db } = open();
    const result = tx(db, () => {
      insert(db, "outer");
      expect(() =>
        tx(db, () => {
          insert(db, "inner");
          throw new Error("inner fails");
        }),
      ).toThrow("inner fails");
      expect(db.$client.inTransaction).toBe(true);
      tx(db, () => insert(db, "inner ok"));
      return 7;
    });
    expect(result).toBe(7);
    expect(keys(db)).toEqual(["inner ok", "outer"]);
    expect(() =>
      tx(db, () => {
        insert(db, "lost");
        throw new Error("outer fails");
      }),
    ).toThrow("outer fails");
    expect(keys(db)).toEqual(["inner ok", "outer"]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("refuses a function that returns a promise, and rolls back", () => {
    const { db } = open();
    expect(() =>
      tx(db, (async () => {
        insert(db, "async");
      }) as () => unknown),
    ).toThrow(TypeError);
    expect(keys(db)).toEqual([]);
  });
});
