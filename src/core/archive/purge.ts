import type Database from "better-sqlite3";
import { PURGE_KIND } from "./sources.ts";
import type { PurgedRun } from "./verify.ts";

/**
 * The retention job (docs/archive.md: monthly, removes expired records, never permanent ones, and archives a note
 * of what it removed). Expired = class standard, recorded before `now - archive.retention`, and its scope
 * not marked (重大 or crisis-linked). Runs inside the caller's transaction (the timer's).
 *
 * Keeping the chain verifiable: the job first appends its note (an anchor) to the chain, listing every run
 * of consecutive records it is about to remove with the prev_hash of the run's first record and the hash
 * of its last; then it removes them. The verifier bridges each gap through those runs. The note is
 * permanent. Deleting needs the permit row, which exists only inside this function: the delete trigger
 * refuses any other delete, and any record that is permanent, marked or not yet expired.
 */

export interface PurgeNote {
  recordId: number;
  cutoff: number;
  removed: number;
  /** Removed records per kind (source table). */
  kinds: Record<string, number>;
  /** Records older than the cutoff kept because they are permanent or marked. */
  keptPermanent: number;
  runs: number;
}

interface Scan {
  id: number;
  kind: string;
  prev: string;
  hash: string;
  expired: number;
  old: number;
}

export function purgeExpired(
  sqlite: Database.Database,
  now: number,
  retention: string,
  retentionMs: number,
): PurgeNote {
  const cutoff = now - retentionMs;
  const runs: PurgedRun[] = [];
  const kinds: Record<string, number> = {};
  let open: PurgedRun | undefined;
  let removed = 0;
  let keptPermanent = 0;
  const rows = sqlite
    .prepare(
      `SELECT id, kind, prev_hash AS prev, hash, at < ? AS old,
         (retention = 'standard' AND at < ? AND scope NOT IN (SELECT scope FROM archive_marks)) AS expired
       FROM archive_records ORDER BY id`,
    )
    .iterate(cutoff, cutoff) as IterableIterator<Scan>;
  for (const r of rows) {
    if (!r.expired) {
      if (r.old) keptPermanent++;
      open = undefined;
      continue;
    }
    removed++;
    kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    if (open) {
      open[1] = r.id;
      open[3] = r.hash;
    } else {
      open = [r.id, r.id, r.prev, r.hash];
      runs.push(open);
    }
  }
  const content = JSON.stringify({ cutoff, retention, removed, kinds, keptPermanent, runs });
  sqlite.prepare("INSERT INTO archive_purge_permit (id, cutoff) VALUES (1, ?)").run(cutoff);
  const recordId = Number(
    sqlite
      .prepare(
        `INSERT INTO archive_records (at, kind, op, scope, retention, content)
         VALUES (?, ?, 'purge', 'archive:purge', 'permanent', ?)`,
      )
      .run(now, PURGE_KIND, content).lastInsertRowid,
  );
  const remove = sqlite.prepare("DELETE FROM archive_records WHERE id BETWEEN ? AND ?");
  let deleted = 0;
  for (const [from, to] of runs) deleted += remove.run(from, to).changes;
  sqlite.prepare("DELETE FROM archive_purge_permit").run();
  if (deleted !== removed) throw new Error(`archive purge removed ${deleted} records, expected ${removed}`);
  return { recordId, cutoff, removed, kinds, keptPermanent, runs: runs.length };
}
