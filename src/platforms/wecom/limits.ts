/**
 * Sliding-window gates for WeCom's limits that fail silently: per member 30 messages/min and 1000/h
 * (over that WeCom drops the message and still answers ok), per group robot 20/min. A token bucket can
 * only approximate a sliding window, so each key keeps the finish times of its recent calls and a call
 * may start only when every window allows one more.
 *
 * Finish times are recorded, not start times: a request reaches WeCom before it finishes, so "start of
 * call n+limit ≥ finish of call n + window" keeps arrivals one full window apart however long each request
 * took. Calls per key run one at a time (the deliverer's Bottleneck group, maxConcurrent 1), so nothing is
 * in flight uncounted.
 */

export interface WindowRule {
  limit: number;
  windowMs: number;
}

export class SlidingGate {
  private readonly log = new Map<string, number[]>();
  private readonly longest: number;

  constructor(
    readonly rules: WindowRule[],
    /** Extra spacing beyond the window (clock granularity, WeCom counting at second precision). */
    private readonly padMs = 250,
  ) {
    this.longest = Math.max(...rules.map((r) => r.windowMs));
  }

  /** ms until one more call may start for this key (0 = now). */
  waitMs(key: string, now: number): number {
    const times = this.log.get(key);
    if (!times) return 0;
    while (times.length > 0 && (times[0] ?? 0) <= now - this.longest - this.padMs) times.shift();
    let wait = 0;
    for (const r of this.rules) {
      const inWindow = times.filter((t) => t > now - r.windowMs - this.padMs);
      if (inWindow.length >= r.limit) {
        const oldest = inWindow[inWindow.length - r.limit] ?? now;
        wait = Math.max(wait, oldest + r.windowMs + this.padMs - now + 1);
      }
    }
    return wait;
  }

  record(key: string, at: number): void {
    const times = this.log.get(key);
    if (!times) this.log.set(key, [at]);
    else {
      times.push(at);
      if (times.length > 1 && (times.at(-2) ?? 0) > at) times.sort((a, b) => a - b);
    }
  }

  /** Waits (real time) until the key may go. */
  async wait(key: string): Promise<void> {
    for (let w = this.waitMs(key, Date.now()); w > 0; w = this.waitMs(key, Date.now())) {
      await new Promise((r) => setTimeout(r, w));
    }
  }
}
