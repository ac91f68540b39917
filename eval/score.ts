/** Precision, recall and F1 from counts; an empty denominator scores 1 (nothing to get wrong). */
export type Counts = { tp: number; fp: number; fn: number };

export const counts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

export function add(c: Counts, predicted: boolean, actual: boolean): void {
  if (predicted && actual) c.tp += 1;
  else if (predicted) c.fp += 1;
  else if (actual) c.fn += 1;
}

export function prf(c: Counts): { p: number; r: number; f1: number } {
  const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

export const fmt = (n: number) => n.toFixed(2);
