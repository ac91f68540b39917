/**
 * Which request of a fake platform gets which fault: queued one-offs first (`failNext`), then a seeded
 * random rate (`set({rate, kinds, seed})`), so a fault run is reproducible from its seed. Shared by the
 * fake Feishu and the fake WeCom, which differ only in what a fault is.
 */
export interface FaultRate<K> {
  /** Probability (0..1) that an API request gets a fault. */
  rate: number;
  kinds: K[];
  /** Seed of the deterministic PRNG (default 1). */
  seed?: number;
}

/** mulberry32: a tiny seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPicker<K> {
  private queue: K[] = [];
  private options: FaultRate<K> | undefined;
  private random: () => number = prng(1);
  /** Faults handed out so far, by name (queued and random), for reports. */
  readonly injected = new Map<string, number>();

  constructor(
    options?: FaultRate<K>,
    private readonly nameOf: (kind: K) => string = String,
  ) {
    this.set(options);
  }

  /** Replace the random fault settings (undefined = none). Re-seeds the PRNG. */
  set(options: FaultRate<K> | undefined): void {
    this.options = options;
    this.random = prng(options?.seed ?? 1);
  }

  /** The next `times` API requests get this fault, whatever the random settings say. */
  failNext(kind: K, times = 1): void {
    for (let i = 0; i < times; i++) this.queue.push(kind);
  }

  clear(): void {
    this.queue = [];
    this.set(undefined);
  }

  pick(): K | undefined {
    const kind = this.next();
    if (kind !== undefined) {
      const name = this.nameOf(kind);
      this.injected.set(name, (this.injected.get(name) ?? 0) + 1);
    }
    return kind;
  }

  private next(): K | undefined {
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    const o = this.options;
    if (!o || o.rate <= 0 || o.kinds.length === 0) return undefined;
    if (this.random() >= o.rate) return undefined;
    return o.kinds[Math.floor(this.random() * o.kinds.length)];
  }
}
