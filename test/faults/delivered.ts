/**
 * What people must have received (`Expected`, filled in while the workload plays) and what they did
 * receive, read from the fake platforms' message logs — never from the bot's database.
 */
import type { FakeMessage } from "../../src/platforms/sandbox/open-platform/index.ts";
import type { AppMessage } from "../fakes/wecom/state.ts";
import { p2p } from "../support/harness.ts";
import { sleep } from "./bot-process.ts";
import type { CrisisPlan, Person, PlatformName, ReviewPlan, TicketPlan } from "./plan.ts";
import type { PlatformDriver } from "./platform-driver.ts";

// ---------------------------------------------------------------------------------------------------
// What users must have received

export interface ExpectedText {
  platform: PlatformName;
  /** Feishu: chat id (a DM is `oc_p2p_<open_id>`); WeCom: the member's userid. */
  to: string;
  fragment: string;
  times: number;
}

export class Expected {
  readonly texts = new Map<string, ExpectedText>();
  /** Review steps decided in the run: step id → the plan's decider and outcome. */
  readonly steps = new Map<
    number,
    { item: number; label: string; revision: number; by: Person; verdict: "approve" | "reject" }
  >();
  /** Planned end state per item, ticket and crisis number. */
  readonly items = new Map<
    number,
    { plan: ReviewPlan; status: "approved" | "published"; revision: number }
  >();
  readonly tickets = new Map<
    number,
    { plan: TicketPlan; status: "open" | "done" | "material"; by?: Person }
  >();
  readonly crises = new Map<number, { plan: CrisisPlan; lead: Person }>();

  text(to: Person | { platform: PlatformName; chat: string }, fragment: string): void {
    const dest = "chat" in to ? to.chat : to.platform === "feishu" ? p2p(to.id) : to.id;
    const key = `${to.platform}|${dest}|${fragment}`;
    const e = this.texts.get(key);
    if (e) e.times += 1;
    else this.texts.set(key, { platform: to.platform, to: dest, fragment, times: 1 });
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading what the fakes delivered

export function feishuTexts(d: PlatformDriver, chatId: string): string[] {
  return d.feishu.state.messages
    .filter((m) => m.chatId === chatId && m.msgType === "text")
    .map((m) => (m.content as { text: string }).text);
}

export function wecomTexts(d: PlatformDriver, userId: string): string[] {
  return d.wecom.state.messages
    .filter((m) => m.touser === userId && (m.msgtype === "text" || m.msgtype === "markdown"))
    .map((m) => m.content);
}

export function textsOf(d: PlatformDriver, p: Person): string[] {
  return p.platform === "feishu" ? feishuTexts(d, p2p(p.id)) : wecomTexts(d, p.id);
}

/** The card as first sent (what the button values were), as JSON text. */
export const sentJson = (m: FakeMessage | AppMessage): string =>
  "rawContent" in m ? m.rawContent : m.content;

/** A number field of a button value `{a: action, <field>: n}` in a card's JSON (also JSON-in-JSON). */
export function buttonValue(json: string, action: string, field: string): number | undefined {
  const q = '\\\\?"';
  const m = new RegExp(`"a${q}:${q}${action.replace(".", "\\.")}${q},${q}${field}${q}:(\\d+)`).exec(json);
  return m ? Number(m[1]) : undefined;
}

export function feishuCardsIn(d: PlatformDriver, chatId: string): FakeMessage[] {
  return d.feishu.state.messages.filter((m) => m.chatId === chatId && m.msgType === "interactive");
}

export function wecomCardsOf(d: PlatformDriver, userId: string): AppMessage[] {
  return d.wecom.state.messages.filter((m) => m.touser === userId && m.msgtype === "template_card");
}

const WAIT_MS = 150_000;

export async function waitFor<T>(find: () => T | undefined, what: string, ms = WAIT_MS): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = find();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}
