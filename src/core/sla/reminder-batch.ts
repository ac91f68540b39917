import type { SweepHook, Timers } from "../../scheduler/timers.ts";
import type { Outbound } from "../ports.ts";

interface Line {
  timerId: number | undefined;
  text: string;
}

/** More lines than this in one person's message are counted, not listed (the rest is in /sla). */
const MAX_LINES = 20;

/**
 * One reminder message per person per sweep. Review 催办/超时 and ticket 超时 handlers add their line here
 * instead of messaging at once; when the sweep ends each person gets one message listing all their items
 * (after a week away: one message for five overdue items, not ten). A line whose timer failed (rolled back)
 * is dropped with it. Outside a sweep a line is sent at once.
 */
class ReminderBatch implements SweepHook {
  private readonly byPerson = new Map<number, Line[]>();

  constructor(
    private readonly timers: Timers,
    private readonly outbound: Outbound,
  ) {}

  add(personId: number, text: string): void {
    if (!this.timers.current) {
      this.outbound.toPerson(personId, { type: "text", text });
      return;
    }
    const lines = this.byPerson.get(personId) ?? [];
    // The same line twice (a person who both reviews and authors) is said once.
    if (!lines.some((l) => l.text === text)) lines.push({ timerId: this.timers.current.id, text });
    this.byPerson.set(personId, lines);
  }

  failed(timerId: number): void {
    for (const [p, lines] of this.byPerson) {
      this.byPerson.set(
        p,
        lines.filter((l) => l.timerId !== timerId),
      );
    }
  }

  end(): void {
    for (const [personId, lines] of this.byPerson) {
      if (lines.length === 0) continue;
      this.outbound.toPerson(personId, { type: "text", text: reminderText(lines.map((l) => l.text)) });
    }
    this.byPerson.clear();
  }
}

/** One item: its own line as before. Several: a header with the count, then one numbered line each. */
export function reminderText(lines: string[]): string {
  if (lines.length === 1) return lines[0] ?? "";
  const shown = lines.slice(0, MAX_LINES).map((l, i) => `${i + 1}. ${l}`);
  if (lines.length > MAX_LINES) shown.push(`…另有 ${lines.length - MAX_LINES} 项，发送 /sla 查看全部`);
  return [`📌 您有 ${lines.length} 项待办提醒：`, ...shown].join("\n");
}

const batches = new WeakMap<Timers, ReminderBatch>();

/** Queues a reminder line for `personId` into the running sweep's one message. */
export function remind(deps: { timers: Timers; outbound: Outbound }, personId: number, text: string): void {
  let batch = batches.get(deps.timers);
  if (!batch) {
    batch = new ReminderBatch(deps.timers, deps.outbound);
    batches.set(deps.timers, batch);
    deps.timers.onSweep(batch);
  }
  batch.add(personId, text);
}
