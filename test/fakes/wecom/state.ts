/**
 * What the fake WeCom remembers, public so tests assert on what members saw: app messages per member
 * (with each card copy's current state), group-robot posts, card updates with the code each spent, and
 * every message WeCom accepted but silently dropped (over 30/min or 1000/h per member).
 */
import type { Clock } from "../../../src/clock.ts";

export interface AppMessage {
  msgid: string;
  touser: string;
  msgtype: string;
  /** text/markdown content, or the media of file/image. */
  content: string;
  taskId?: string;
  /** The card as the member sees it now (after updates). */
  card?: Record<string, unknown>;
  updates: { at: number; code: string; card: Record<string, unknown> }[];
  at: number;
}

export interface RobotMessage {
  key: string;
  msgtype: string;
  content: string;
  mentioned: string[];
  at: number;
}

export interface IssuedCode {
  code: string;
  taskId: string;
  userId: string;
  source: "send" | "click";
  issuedAt: number;
  usedAt?: number;
}

export interface Media {
  id: string;
  type: string;
  fileName: string;
  bytes: Buffer;
}

export class FakeWecomState {
  /** Delivered app messages (dropped ones are not here). */
  readonly messages: AppMessage[] = [];
  /** Accepted with errcode 0 but never delivered: over a per-member limit. */
  readonly dropped: { touser: string; msgtype: string; content: string; at: number }[] = [];
  /** Accepted but not delivered again: same content to the same member within duplicate_check_interval. */
  readonly duplicates: { touser: string; content: string; at: number }[] = [];
  readonly robot: RobotMessage[] = [];
  readonly robotRejected: { key: string; errcode: number; at: number }[] = [];
  readonly codes = new Map<string, IssuedCode>();
  readonly updateCalls: { code: string; taskId: string; userids: string[]; ok: boolean; errcode: number }[] =
    [];
  readonly media = new Map<string, Media>();
  readonly tokens = new Map<string, number>();
  /** Every API call: path and errcode (for token-refresh and retry assertions); `fault` when injected. */
  readonly calls: { at: number; path: string; errcode: number; fault?: string }[] = [];
  /** Send times per member (accepted, delivered or dropped) for the sliding windows. */
  readonly memberHits = new Map<string, number[]>();
  readonly robotHits = new Map<string, number[]>();
  readonly taskIds = new Set<string>();
  /** Members of the corp (others are `invaliduser`). Empty = everyone exists. */
  readonly members = new Set<string>();
  /** Group robots: key → group name. */
  readonly robots = new Map<string, string>();
  tokenRequests = 0;
  private seq = 0;

  constructor(readonly clock: Clock) {}

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(36).padStart(8, "0")}`;
  }

  expireAllTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, this.clock.now() - 1);
  }

  issueCode(taskId: string, userId: string, source: "send" | "click"): string {
    const code = this.nextId(`rc_${source}_`);
    this.codes.set(code, { code, taskId, userId, source, issuedAt: this.clock.now() });
    return code;
  }

  /** What a click does on WeCom's side: a new response_code for that member's copy of the card. */
  click(taskId: string, userId: string): string {
    const copy = this.messages.find((m) => m.taskId === taskId && m.touser === userId);
    if (!copy) throw new Error(`${userId} has no card ${taskId}`);
    return this.issueCode(taskId, userId, "click");
  }

  to(userId: string): AppMessage[] {
    return this.messages.filter((m) => m.touser === userId);
  }

  robotPosts(key: string): RobotMessage[] {
    return this.robot.filter((m) => m.key === key);
  }
}
