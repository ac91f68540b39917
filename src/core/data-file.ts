import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Policy data (word lists, chains, rules) lives in JSON files; these read and check them in one way. */

/** A file in a data folder given as a path or as a URL (defaults are resolved from `import.meta.url`). */
export function dataFilePath(dir: string | URL, name: string): string {
  return typeof dir === "string" ? join(dir, name) : fileURLToPath(new URL(name, dir));
}

/**
 * Reads and validates one data file. A broken file stops start-up with a Chinese + English line naming
 * the file and what is wrong in it, e.g. `合规词表格式错误 / invalid compliance list <file>: …`.
 */
export function readDataFile<S extends z.ZodType>(
  file: string | URL,
  schema: S,
  what: { zh: string; en: string },
): z.output<S> {
  const shown = typeof file === "string" ? file : fileURLToPath(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${what.zh}无法读取 / cannot read ${what.en} ${shown}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${what.zh}格式错误 / invalid ${what.en} ${shown}:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
