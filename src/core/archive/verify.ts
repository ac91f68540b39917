import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { ARCHIVE_SOURCES, PURGE_KIND, triggerName } from "./sources.ts";

/**
 * Re-walks the archive's hash chain (`/archive verify`, and `npm run archive:verify <file>` on a
 * backup). Each record must hash to its `hash`: sha256(prev_hash || json_array(id, at, kind, op, scope,
 * retention, content)), with the canonical text made by SQLite exactly as the trigger made it, and the
 * hash computed here in JavaScript (not by the SQL function the triggers use). Each record's prev_hash
 * must be its predecessor's hash. Ids missing between two records are accepted only when retention-job
 * notes (anchors) cover them: each note lists the runs of ids it removed with the prev_hash of the first
 * and the hash of the last, so the verifier can bridge the gap hash by hash.
 */

export const GENESIS = "0".repeat(64);

/** One run of consecutive records removed by a retention job: [from, to, prev_hash of from, hash of to]. */
export type PurgedRun = [from: number, to: number, prev: string, last: string];

export interface BrokenLink {
  id: number;
  scope: string;
  at: number;
  /** content: the record does not hash to its hash; link: prev_hash is not the predecessor's hash;
   * gap: records are missing and no retention note covers them; unhashed: no hash at all. */
  reason: "content" | "link" | "gap" | "unhashed";
  /** The record before it (or 0 at the start of the chain). */
  previousId: number;
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  first?: { id: number; at: number };
  last?: { id: number; at: number; hash: string };
  /** Retention-job notes in the chain, and the records they removed. */
  purges: number;
  purged: number;
  broken?: BrokenLink;
  /** Capture triggers that are missing, or that miss a column added to their table since. */
  triggerProblems: string[];
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

interface Row {
  id: number;
  at: number;
  scope: string;
  prev_hash: string | null;
  hash: string | null;
  canon: string;
}

export function verifyArchive(sqlite: Database.Database): VerifyResult {
  const { runs, purges, purged } = purgedRuns(sqlite);
  const result: VerifyResult = {
    ok: true,
    records: 0,
    purges,
    purged,
    triggerProblems: triggerProblems(sqlite),
  };
  let prev = { id: 0, hash: GENESIS };
  const rows = sqlite
    .prepare(
      `SELECT id, at, scope, prev_hash, hash,
         json_array(id, at, kind, op, scope, retention, content) AS canon
       FROM archive_records ORDER BY id`,
    )
    .iterate() as IterableIterator<Row>;
  for (const r of rows) {
    result.records++;
    if (!result.first) result.first = { id: r.id, at: r.at };
    const broken = (reason: BrokenLink["reason"]) => ({
      id: r.id,
      scope: r.scope,
      at: r.at,
      reason,
      previousId: prev.id,
    });
    if (!result.broken) {
      if (r.hash === null || r.prev_hash === null) result.broken = broken("unhashed");
      else if (sha256(r.prev_hash + r.canon) !== r.hash) result.broken = broken("content");
      else if (r.id === prev.id + 1 && r.prev_hash !== prev.hash) result.broken = broken("link");
      else if (r.id !== prev.id + 1 && !bridges(runs, prev.id + 1, prev.hash, r.id, r.prev_hash)) {
        result.broken = broken("gap");
      }
    }
    prev = { id: r.id, hash: r.hash ?? "" };
    result.last = { id: r.id, at: r.at, hash: r.hash ?? "" };
  }
  result.ok = !result.broken;
  return result;
}

/** Every run removed by a retention job, by first id; a note that does not parse contributes nothing. */
function purgedRuns(sqlite: Database.Database): {
  runs: Map<number, PurgedRun[]>;
  purges: number;
  purged: number;
} {
  const runs = new Map<number, PurgedRun[]>();
  let purges = 0;
  let purged = 0;
  const notes = sqlite
    .prepare("SELECT id, content FROM archive_records WHERE kind = ? ORDER BY id")
    .all(PURGE_KIND) as { id: number; content: string }[];
  for (const note of notes) {
    purges++;
    try {
      const parsed = JSON.parse(note.content) as { runs?: PurgedRun[]; removed?: number };
      purged += Number(parsed.removed ?? 0);
      for (const run of parsed.runs ?? []) {
        // A note vouches only for records before it.
        if (!Array.isArray(run) || run.length !== 4 || !(run[1] < note.id)) continue;
        const list = runs.get(run[0]) ?? [];
        list.push(run);
        runs.set(run[0], list);
      }
    } catch {
      // A tampered note fails its own hash check in the walk.
    }
  }
  return { runs, purges, purged };
}

/**
 * Whether removed runs lead from `hash` at id `from` to exactly `target - 1`, ending in `expected` (the
 * prev_hash of the record at `target`). Runs of different jobs can abut or nest (a later job removes ids
 * on both sides of an older gap), so this is a small search over them.
 */
function bridges(
  runs: Map<number, PurgedRun[]>,
  from: number,
  hash: string,
  target: number,
  expected: string,
  depth = 0,
): boolean {
  if (depth > 10_000) return false;
  for (const [, to, prev, last] of runs.get(from) ?? []) {
    if (prev !== hash || to >= target) continue;
    if (to === target - 1 ? last === expected : bridges(runs, to + 1, last, target, expected, depth + 1))
      return true;
  }
  return false;
}

/** Names of capture triggers that are missing or stale (a column of the table is not in the trigger). */
export function triggerProblems(sqlite: Database.Database): string[] {
  const sqlOf = new Map(
    (
      sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as {
        name: string;
        sql: string;
      }[]
    ).map((t) => [t.name, t.sql]),
  );
  const problems: string[] = [];
  for (const s of ARCHIVE_SOURCES) {
    const columns = (sqlite.pragma(`table_info(${s.table})`) as { name: string }[]).map((c) => c.name);
    if (columns.length === 0) continue; // an older backup, before that table existed
    for (const op of s.ops) {
      const name = triggerName(s.table, op);
      const body = sqlOf.get(name);
      if (!body) problems.push(`${name}（缺失）`);
      else {
        const missing = columns.filter((c) => !body.includes(`NEW.${c})`) && !body.includes(`NEW.${c},`));
        if (missing.length > 0) problems.push(`${name}（未包含列 ${missing.join("、")}）`);
      }
    }
  }
  for (const name of ["archive_records_chain", "archive_records_append_only", "archive_records_purge_only"]) {
    if (!sqlOf.has(name)) problems.push(`${name}（缺失）`);
  }
  return problems;
}
