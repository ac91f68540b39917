// CI guard for drizzle migrations (a drizzle trap): the migrator skips a migration whose journal `when`
// is not newer than the last applied one, so `when` must be strictly increasing; every journal entry
// must have its SQL file and every SQL file a journal entry.
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../migrations/", import.meta.url);
const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", dir), "utf8"));
const problems = [];
let last = 0;
for (const e of journal.entries) {
  if (!(e.when > last)) problems.push(`${e.tag}: journal "when" ${e.when} is not after ${last}`);
  last = e.when;
}
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".sql"))
  .map((f) => f.slice(0, -4));
const tags = journal.entries.map((e) => e.tag);
for (const f of files) if (!tags.includes(f)) problems.push(`${f}.sql is not in meta/_journal.json`);
for (const t of tags) if (!files.includes(t)) problems.push(`${t} is in the journal but ${t}.sql is missing`);
if (problems.length) {
  console.error(`migrations check failed:\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`migrations ok (${tags.length})`);
