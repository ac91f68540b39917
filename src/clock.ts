/** Time comes from here only, so tests and the sandbox can move it. Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (tests) or runs ahead of real time by an offset (sandbox 快进). */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  /** To `t`, never back. */
  advanceTo(t: number): void {
    if (t > this.t) this.t = t;
  }
}

/** Real time plus an offset that only grows: the sandbox's 快进时间 moves it forward, never back. */
export class OffsetClock implements Clock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    if (ms > 0) this.offset += ms;
  }
  /** Jumps to the instant `t` (no-op when already past it); real time then runs on from there. */
  advanceTo(t: number): void {
    this.advance(t - this.now());
  }
}
