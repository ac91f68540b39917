/**
 * Shared machinery of the fuzz suites: a harness with an error-log collector and a seeded world, a
 * fingerprint of the domain state, and the classification of the bot's answers.
 */
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { expect } from "vitest";
import type { CommandDef } from "../../src/core/commands/registry.ts";
import { type Harness, PEOPLE, p2p, seedRoles, startHarness, type Who } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

/** Error-level log lines and unhandled rejections seen while a harness ran. */
export interface Trouble {
  errors: string[];
}

/**
 * A pino logger that keeps every line at error level or above (the level the bot uses for "callback
 * failed", "timer handler failed", "delivery dead-lettered"…). Written synchronously so a property can
 * check it right after each command.
 */
function collectingLogger(sink: string[]) {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      sink.push(chunk.toString("utf8"));
      done();
    },
  });
  return pino({ level: "error" }, stream);
}

export interface FuzzBot {
  h: Harness;
  trouble: Trouble;
  close(): Promise<void>;
}

/** Chats used by well-formed group commands (/bind needs a group). */
export const GROUPS = { ops: "oc_fuzz_ops", crisis: "oc_fuzz_crisis", cs: "oc_fuzz_cs" } as const;

/**
 * One real bot per property, with the demo company (roles for everyone the grammar sends as), two
 * stores, a content item #1 by 小王 waiting at 初审, a negative ticket T-1 (its card in 客服群), a crisis
 * C-1, a live plan L-1, and every demo person known to the bot. Commands then have something to refer to.
 */
export async function startFuzzBot(
  /**
   * "http": real signed callbacks through the webhook (the card-value fuzz: the receiver's schema is
   * part of what it attacks); "in-process": straight to the dispatcher (the command fuzz: the
   * command layer). Either way Feishu's send pacing is off: it only made each property wait.
   */
  via: "http" | "in-process",
): Promise<FuzzBot> {
  const trouble: Trouble = { errors: [] };
  const onRejection = (reason: unknown) => trouble.errors.push(`unhandledRejection: ${String(reason)}`);
  process.on("unhandledRejection", onRejection);
  const log = collectingLogger(trouble.errors);
  const h = via === "http" ? await startHarness({ log }) : await startInProcess({ log });
  await seedRoles(h);
  const seed = [
    "/role add cs @小美",
    "/role add crisis @林哥",
    "/role add management @陈律师",
    "/store add 城东店",
    "/store add 城西店",
  ];
  for (const text of seed) await h.say("admin", text);
  await h.say("admin", "/bind ops", { chatId: GROUPS.ops });
  await h.say("admin", "/bind crisis", { chatId: GROUPS.crisis });
  await h.say("admin", "/bind cs", { chatId: GROUPS.cs });
  // Everyone has written once, so no later message creates a person as a side effect of being seen.
  for (const who of Object.keys(PEOPLE) as Who[]) await h.say(who, "/help");
  // Feishu message events carry no sender name, and the dispatcher learns names from mentions in any
  // message, parsed or not (dispatch.ts calls ensureMentioned before parsing; reported, not ours to
  // change): let the bot learn every name now, so the properties see commands' changes only.
  await h.say(
    "admin",
    `/role list ${Object.values(PEOPLE)
      .map((p) => `@${p.name}`)
      .join(" ")}`,
  );
  await h.say("wang", "/submit 抖音,小红书 周末新本首发\n本周末新本上线，欢迎预约！");
  await h.say("mei", "/feedback 城东店 差评，服务太差了，要退款");
  await h.say("lin", "/crisis 1 大众点评有一条差评说城东店卫生不好");
  await h.say("wang", "/live 抖音 2026-11-25 20:00 新本直播");
  await h.settle();
  expect(trouble.errors).toEqual([]);
  return {
    h,
    trouble,
    async close() {
      process.off("unhandledRejection", onRejection);
      await h.close();
    },
  };
}

/**
 * Tables whose rows legitimately change on every inbound event, whatever it says; every other table of
 * sqlite_master is domain state:
 * - inbound_seen: the de-duplication key of each delivery (dispatch.ts claims it even for a refusal, so
 *   a Feishu retry of the same message is not answered twice);
 * - outbox: the answer itself is a row; what went out is checked on the fake instead (exactly one
 *   message, to the sender);
 * - sqlite_sequence: only for the two tables above (the outbox id grows with each answer); the counters
 *   of domain tables are compared, so even an insert that was deleted again shows.
 */
const ALWAYS_CHANGING = ["inbound_seen", "outbox"];

/**
 * Card clicks may additionally record a refused click (docs/review.md: "a click by anyone else gets a clear
 * refusal and is logged"): dispatch.ts inserts the RefusedDecision's audit row (`review.refused`,
 * `crisis.refused`) after the rollback, and the archive trigger copies it into archive_records. Those
 * rows, and only those, are left out when `allowRefusalLog` is set; any other audit row still counts.
 */
const REFUSED = "action like '%.refused'";

/** A fingerprint of the domain state: row count and a hash of every row of every domain table. */
export function fingerprint(
  h: Pick<Harness, "app">,
  opts: { allowRefusalLog?: boolean } = {},
): Map<string, string> {
  const db = h.app.db.$client;
  const tables = (
    db.prepare("select name from sqlite_master where type = 'table' order by name").all() as {
      name: string;
    }[]
  )
    .map((t) => t.name)
    .filter((n) => !ALWAYS_CHANGING.includes(n));
  // Autoincrement counters of the tables whose refusal rows are allowed move with those rows.
  const counters = [...ALWAYS_CHANGING, ...(opts.allowRefusalLog ? ["audit_log", "archive_records"] : [])];
  const where: Record<string, string> = {
    sqlite_sequence: `name not in (${counters.map((s) => `'${s}'`).join(",")})`,
    ...(opts.allowRefusalLog
      ? {
          audit_log: `not (${REFUSED})`,
          archive_records: `not (kind = 'audit_log' and json_extract(content, '$.action') like '%.refused')`,
        }
      : {}),
  };
  const out = new Map<string, string>();
  for (const t of tables) {
    const filter = where[t] ? ` where ${where[t]}` : "";
    const rows = db.prepare(`select * from "${t}"${filter} order by rowid`).raw().all();
    const hash = createHash("sha256").update(JSON.stringify(rows, bigints)).digest("hex").slice(0, 16);
    out.set(t, `${rows.length}:${hash}`);
  }
  return out;
}

const bigints = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

/** Tables whose fingerprint differs, as "table before → after". */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((n) => before.get(n) !== after.get(n))
    .map((n) => `${n} ${before.get(n)} → ${after.get(n)}`);
}

/** Counts of what the fake Feishu holds: messages and card updates, everywhere. */
function deliveredCount(h: Harness): number {
  let n = 0;
  for (const m of h.fake.state.byId.values()) n += 1 + m.updates.length;
  return n;
}

/** What one message did: the HTTP status, the new messages to the sender's chat, everything delivered. */
export interface Outcome {
  status: number;
  /** Texts (and "[card]" / "[file]" / "[image]" markers) newly delivered to the chat the command came from. */
  replies: string[];
  /** Messages and card updates newly delivered anywhere, including the replies. */
  delivered: number;
  changed: string[];
}

/**
 * Sends one message and waits for its answers without firing timers or moving the clock, so nothing but
 * the message itself can change the state between the two fingerprints. Timers due from earlier
 * commands are fired before the first fingerprint.
 */
export async function send(
  bot: FuzzBot,
  who: Who,
  text: string,
  opts: { chatId?: string; allowRefusalLog?: boolean } = {},
): Promise<Outcome> {
  const { h } = bot;
  await h.settle();
  const chat = opts.chatId ?? p2p(PEOPLE[who].openId);
  const seen = new Set(h.inbox(chat).map((m) => m.messageId));
  const deliveredBefore = deliveredCount(h);
  const before = fingerprint(h, opts);
  const res = await h.say(who, text, { settle: false, ...(opts.chatId ? { chatId: opts.chatId } : {}) });
  await drain(h);
  const after = fingerprint(h, opts);
  const replies = h
    .inbox(chat)
    .filter((m) => !seen.has(m.messageId))
    .map((m) => (m.msgType === "text" ? (m.content as { text: string }).text : `[${m.msgType}]`));
  return {
    status: res.status,
    replies,
    delivered: deliveredCount(h) - deliveredBefore,
    changed: changedTables(before, after),
  };
}

export interface ClickOutcome {
  status: number;
  json: Record<string, unknown>;
  delivered: number;
  changed: string[];
}

/** Clicks a card (real signed callback) and waits for what it caused, like `send`. */
export async function click(
  bot: FuzzBot,
  who: Who,
  messageId: string,
  value: Record<string, unknown>,
  formValue: Record<string, unknown> | undefined,
): Promise<ClickOutcome> {
  const { h } = bot;
  await h.settle();
  const deliveredBefore = deliveredCount(h);
  const before = fingerprint(h, { allowRefusalLog: true });
  const res = await h.click(who, messageId, value, { settle: false, ...(formValue ? { formValue } : {}) });
  await drain(h);
  const after = fingerprint(h, { allowRefusalLog: true });
  return {
    status: res.status,
    json: res.json,
    delivered: deliveredCount(h) - deliveredBefore,
    changed: changedTables(before, after),
  };
}

/**
 * Delivers the outbox. A send the fake refused for its rate limits waits for a retry on the bot's
 * (manual) clock: move the clock, but fire no timers (`settle` would), so only the message under test
 * can have changed anything.
 */
export async function drain(h: Harness): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await h.app.worker.drain();
    if (h.app.worker.depth() === 0) return;
    h.clock.advance(1000);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bot still answers: /help from the admin lists the commands. */
export async function expectAlive(bot: FuzzBot): Promise<void> {
  const o = await send(bot, "admin", "/help");
  expect(o.status).toBe(200);
  expect(o.replies.at(-1) ?? "").toContain("你的角色：");
}

/** No error-level log line and no unhandled rejection so far; clears the list for the next run. */
export function expectNoTrouble(bot: FuzzBot, context: string): void {
  const errors = bot.trouble.errors.splice(0);
  expect(errors, context).toEqual([]);
}

/**
 * How the bot answered a command, from the code's own conventions:
 * - "usage": a line "用法：…" naming the command (`/name` or one of its aliases), i.e. the command's
 *   `usage` (CommandDef: "One Chinese line: the syntax, shown on any misuse") or a subcommand's usage
 *   line ("用法：/crisis stage <编号> <阶段> <说明>…");
 * - "hint": an answer about one bad argument that names the valid choices or the format instead
 *   ("没有角色「boss」。可选：…", "…可用指标：…", "发现时间格式：…", "…应为时长，如 30s…",
 *   "review.step.remind 需要一个值：时长，如 30s…", "没有规则「x」。发送 /policy 查看全部规则键");
 * - "unknown": an unknown command (or `/` + space, which is no command) pointing to /help;
 * - "other": anything else — a result, or a refusal of a command that parsed (not found, no permission).
 */
export type AnswerKind = "usage" | "hint" | "unknown" | "other";

const HINT = /可选：|可用指标：|格式|应为|，如 |需要一个值：|发送 \/\S+ 查看/;
const UNKNOWN =
  /^(?:没有这个命令。您是不是想用 \/\S+？|未知命令「\/[\s\S]*」。发送 \/help 查看可用命令|你好！发送 \/help 查看可用命令)$/;

export function classify(text: string, def: CommandDef | undefined): AnswerKind {
  // A WeCom text repeated within 30 min ends in zero-width marks (platforms/wecom/render.ts: repeatMark).
  const reply = text.replace(/[\u200b-\u200d]+$/, "");
  if (UNKNOWN.test(reply)) return "unknown";
  if (def) {
    const names = [def.name, ...def.aliases].map((n) => `/${n}`);
    const usageLines = reply.split("\n").filter((l) => l.includes("用法："));
    if (usageLines.some((l) => names.some((n) => l.includes(n)))) return "usage";
  }
  return HINT.test(reply) ? "hint" : "other";
}

/** Han characters: every answer people read is Chinese. */
export const CHINESE = /\p{Script=Han}/u;
