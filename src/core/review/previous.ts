import { and, eq } from "drizzle-orm";
import { revisions } from "../../store/schema/index.ts";
import type { Services } from "../services.ts";
import { stepsOf } from "./repo.ts";

const SHOWN_CHARS = 40;
const clip = (s: string) => {
  const c = [...s.trim()];
  return c.length > SHOWN_CHARS ? `${c.slice(0, SHOWN_CHARS).join("")}…` : c.join("");
};

/**
 * The lines that differ between two bodies, in order: a removed line is paired with the added line at the
 * same place, so 「旧句」→「新句」 reads as the edit the author made. Equal lines (by text, counted) are skipped.
 */
export function changedLines(before: string, after: string): { from?: string; to?: string }[] {
  const a = before.split("\n").filter((l) => l.trim());
  const b = after.split("\n").filter((l) => l.trim());
  const left = new Map<string, number>();
  for (const l of b) left.set(l, (left.get(l) ?? 0) + 1);
  const removed = a.filter((l) => {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    return n === 0;
  });
  const kept = new Map<string, number>();
  for (const l of a) kept.set(l, (kept.get(l) ?? 0) + 1);
  const added = b.filter((l) => {
    const n = kept.get(l) ?? 0;
    if (n > 0) kept.set(l, n - 1);
    return n === 0;
  });
  const out: { from?: string; to?: string }[] = [];
  for (let i = 0; i < Math.max(removed.length, added.length); i++) {
    const from = removed[i];
    const to = added[i];
    out.push({ ...(from !== undefined && { from }), ...(to !== undefined && { to }) });
  }
  return out;
}

/**
 * For 第 2 版 and later: why the version before was sent back (who rejected it, with what opinion) and what
 * the author changed since, so the reviewer need not open /status to compare. Empty for 第 1 版.
 */
export function previousRound(d: Services, itemId: number, revision: number): string {
  if (revision <= 1) return "";
  const prev = revision - 1;
  const rejected = stepsOf(d.db, itemId, prev).find((s) => s.status === "rejected");
  const lines: string[] = [];
  if (rejected) {
    const who = rejected.decidedBy ? d.people.name(rejected.decidedBy) : "";
    lines.push(`第 ${prev} 版被 ${who} 在「${rejected.label}」驳回，意见：${clip(rejected.opinion ?? "")}`);
  } else {
    lines.push(`第 ${prev} 版已撤回或被替换`);
  }
  const body = (r: number) =>
    d.db
      .select({ body: revisions.body })
      .from(revisions)
      .where(and(eq(revisions.itemId, itemId), eq(revisions.revision, r)))
      .get()?.body ?? "";
  const changes = changedLines(body(prev), body(revision));
  if (changes.length === 0) {
    lines.push("本版正文与上一版相同");
  } else {
    lines.push(`本版正文改动 ${changes.length} 处：`);
    for (const c of changes.slice(0, 2)) {
      if (c.from !== undefined && c.to !== undefined) lines.push(`「${clip(c.from)}」→「${clip(c.to)}」`);
      else if (c.to !== undefined) lines.push(`新增「${clip(c.to)}」`);
      else lines.push(`删去「${clip(c.from ?? "")}」`);
    }
    if (changes.length > 2) lines.push(`…其余 ${changes.length - 2} 处见 /status ${itemId}`);
  }
  return lines.join("\n");
}
