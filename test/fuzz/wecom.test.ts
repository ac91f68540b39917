import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandText } from "../../src/core/commands/parse.ts";
import { startWecomHarness, type WecomHarness } from "../fakes/wecom/harness.ts";
import { type BadCase, STORES, slashNoise, unparseable } from "./grammar/index.ts";
import { CHINESE, changedTables, classify, fingerprint } from "./support.ts";

/**
 * The same text commands through WeCom (企业微信): signed, encrypted XML callbacks to /webhooks/wecom,
 * answers read from the fake WeCom. Lighter than the Feishu suites: the command layer is shared, this
 * checks the WeCom path in front of it (XML, decryption, the WeCom-specific /bind in a DM). The WeCom
 * harness logs nothing, but a crash there is a 500 (the receiver answers 500 so WeCom retries), which
 * the status check sees.
 */

const TIMEOUT = 180_000;
/** WeCom app members, one per role the unparseable cases need (the app chat carries no mentions). */
const ADMIN = "admin";
const MEMBERS = ["wx_wang", "wx_li", "wx_mei", "wx_x"];
/** Rate limits are another suite's subject (wecom-delivery): generous windows keep the fuzz fast. */
const WIDE = [{ limit: 100_000, windowMs: 60_000 }];

let h: WecomHarness;
beforeAll(async () => {
  h = await startWecomHarness({ memberLimits: WIDE, botLimits: { member: WIDE, robot: WIDE } });
  for (const store of STORES) await h.wecomSay(ADMIN, `/store add ${store}`);
  // A member's first message creates their person: say hello first, so the properties see no such change.
  for (const m of MEMBERS) await h.wecomSay(m, "/help");
  // #1 by 小王's WeCom account: the /target cases refer to it.
  await h.wecomSay("wx_wang", "/submit 抖音 周末新本首发\n本周末新本上线，欢迎预约！");
}, TIMEOUT);
afterAll(async () => {
  await h.wecomSay(ADMIN, "/help");
  expect(h.texts(ADMIN).at(-1) ?? "").toContain("你的角色：");
  await h.close();
});

/**
 * Sends one text and collects what came back, with the state before and after (no timers fired).
 * `answers` are the outbox rows the message caused (what the bot said, once each); `text` is what the
 * member got, joined: WeCom splits a long text into parts, and drops a text identical to one sent to the
 * same member within 30 minutes (`enable_duplicate_check`), so dropped duplicates count as received.
 */
async function send(userId: string, text: string) {
  await h.settle();
  const db = h.app.db.$client;
  const lastRow = (db.prepare("select coalesce(max(id), 0) as id from outbox").get() as { id: number }).id;
  const mine = h.wecom.state.to(userId).length;
  const dropped = h.wecom.state.duplicates.length;
  const before = fingerprint(h);
  const res = await h.wecomSay(userId, text, { settle: false });
  for (let i = 0; i < 20 && h.app.worker.depth() > 0; i++) await h.app.worker.drain();
  const answers = db.prepare("select target from outbox where id > ?").all(lastRow) as { target: string }[];
  const received = [
    ...h.wecom.state
      .to(userId)
      .slice(mine)
      .map((m) => (m.msgtype === "text" || m.msgtype === "markdown" ? m.content : `[${m.msgtype}]`)),
    ...h.wecom.state.duplicates
      .slice(dropped)
      .filter((d) => d.touser === userId)
      .map((d) => d.content),
  ];
  return {
    status: res.status,
    answers: answers.map((a) => a.target),
    text: received.join(""),
    changed: changedTables(before, fingerprint(h)),
  };
}

/** XML 1.0 characters only (tab, line breaks, no other C0 controls, no lone surrogates, no U+FFFE/F). */
function xmlSafe(t: string): boolean {
  for (const ch of t) {
    const cp = ch.codePointAt(0) ?? 0;
    if (
      (cp < 0x20 && cp !== 0x9 && cp !== 0xa && cp !== 0xd) ||
      (cp >= 0xd800 && cp <= 0xdfff) ||
      (cp >= 0xfffe && cp <= 0xffff)
    )
      return false;
  }
  return true;
}

/** The Feishu sender of a case as a WeCom member (the admin stays the admin: admin-only commands). */
const MEMBER_OF: Partial<Record<BadCase["who"], string>> = {
  admin: ADMIN,
  wang: "wx_wang",
  li: "wx_li",
  mei: "wx_mei",
};
const sender = (c: BadCase) => MEMBER_OF[c.who] ?? "wx_x";

describe("WeCom text commands", () => {
  it(
    "unparseable: one answer, the usage line or the valid forms, nothing changed",
    async () => {
      await fc.assert(
        // Group cases (/bind in a group) have no WeCom equivalent: the app reads DMs only.
        fc.asyncProperty(
          unparseable.filter((c) => !c.chatId),
          async (c) => {
            const who = sender(c);
            const o = await send(who, c.text);
            const def = h.app.core.commands.find(c.command);
            const context = `${JSON.stringify(c.text)} → ${o.text}`;
            expect(o.status, context).toBe(200);
            expect(o.answers, `one answer, to the sender: ${context}`).toEqual([`chat:${who}`]);
            expect(o.text, context).toMatch(CHINESE);
            expect(c.answer, context).toContain(classify(o.text, def));
            expect(o.changed, context).toEqual([]);
          },
        ),
        { numRuns: 200 },
      );
    },
    TIMEOUT,
  );

  it(
    "a slash and random text: one answer pointing to /help, nothing changed",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          // WeCom delivers XML 1.0 text: no control characters and no lone surrogates. Short enough that
          // the echo fits one WeCom text (2048 bytes): longer answers are split, and a part identical to
          // an earlier one is dropped by WeCom's duplicate check (see the report of this suite).
          slashNoise.filter((t) => Buffer.byteLength(t) < 1500 && xmlSafe(t)),
          async (text) => {
            const parsed = parseCommandText(text);
            fc.pre(!parsed || h.app.core.commands.find(parsed.name) === undefined);
            const o = await send("wx_x", text);
            const context = `${JSON.stringify(text.slice(0, 200))} → ${o.text.slice(0, 300)}`;
            expect(o.status, context).toBe(200);
            expect(o.answers, context).toEqual(["chat:wx_x"]);
            expect(classify(o.text, undefined), context).toBe("unknown");
            expect(o.changed, context).toEqual([]);
          },
        ),
        { numRuns: 100 },
      );
    },
    TIMEOUT,
  );
});
