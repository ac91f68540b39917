import type { CommandRegistry } from "./registry.ts";

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swapping two neighbours
 * each cost 1, so the common slip 「/sumbit」 is one step from 「/submit」.
 */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const w = y.length + 1;
  // One flat table, (x.length + 1) × (y.length + 1); row 0 and column 0 count pure insertions/deletions.
  const d = new Array<number>((x.length + 1) * w).fill(0);
  const at = (i: number, j: number) => d[i * w + j] ?? 0;
  for (let i = 0; i <= x.length; i++) d[i * w] = i;
  for (let j = 0; j <= y.length; j++) d[j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * w + j] = best;
    }
  }
  return at(x.length, y.length);
}

/**
 * The closest command name or alias to a mistyped word, from the registry (so a new command or alias is
 * suggested without touching this file). Short words allow one slip, longer ones two; a tie or nothing
 * close enough gives no suggestion rather than a guess.
 */
export function suggestCommand(registry: CommandRegistry, typed: string): string | undefined {
  const word = typed.toLowerCase();
  const len = [...word].length;
  if (len === 0 || len > 30) return undefined;
  const allowed = len <= 4 ? 1 : 2;
  let best: { name: string; d: number; tie: boolean } | undefined;
  for (const def of registry.all) {
    for (const name of [def.name, ...def.aliases]) {
      const d = editDistance(word, name);
      if (d > allowed || d >= Math.max(len, [...name].length)) continue;
      if (!best || d < best.d) best = { name, d, tie: false };
      else if (d === best.d && registry.find(best.name) !== def) best.tie = true;
    }
  }
  return best && !best.tie ? best.name : undefined;
}
