import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, type CardCase, invalidClick, looseClick } from "./card-values.ts";
import {
  CHINESE,
  type ClickOutcome,
  click,
  expectAlive,
  expectNoTrouble,
  type FuzzBot,
  GROUPS,
  startFuzzBot,
} from "./support.ts";

/**
 * docs/reliability.md for card callbacks: "Every handled Feishu callback answers HTTP 200 with a JSON body" and
 * fuzzed input "never changes state unless it parses" — here the `value` / `form_value` objects of
 * card clicks (real signed callbacks over HTTP). A crash in a handler is answered 200 with the toast
 * 系统繁忙 by the receiver, so "no crash" is: no such toast and no error-level log line.
 */

const TIMEOUT = 240_000;
const BUSY = "系统繁忙，请稍后再试";

/** Cards of the seeded world to click on (a message id the fake knows, or one it does not). */
async function cardIds(bot: FuzzBot): Promise<Record<CardCase["card"], string>> {
  const { h } = bot;
  await h.say("wang", "/submit");
  const id = (cards: { messageId: string }[], what: string) => {
    const m = cards[0];
    if (!m) throw new Error(`seeded world has no ${what} card`);
    return m.messageId;
  };
  return {
    review: id(h.cards("li"), "初审"),
    ticket: id(h.cards(GROUPS.cs), "ticket"),
    crisis: id(h.cards(GROUPS.crisis), "crisis"),
    form: id(h.cards("wang"), "submit form"),
    unknown: "om_fuzz_unknown",
  };
}

/** What every click gets: 200, a JSON object, a Chinese toast that is not the crash toast, no error log. */
function expectToast(bot: FuzzBot, c: CardCase, o: ClickOutcome): string {
  const context = `${c.why}: ${c.who} ${JSON.stringify(c.value).slice(0, 300)} form ${JSON.stringify(c.formValue ?? null).slice(0, 200)}`;
  expect(o.status, context).toBe(200);
  expect(typeof o.json, context).toBe("object");
  const toast = o.json.toast as { content?: unknown } | undefined;
  const content = typeof toast?.content === "string" ? toast.content : "";
  expect(content, `${context} → ${JSON.stringify(o.json).slice(0, 300)}`).toMatch(CHINESE);
  expect(content, context).not.toBe(BUSY);
  expectNoTrouble(bot, context);
  // The bot runs in this process: a value must never reach Object.prototype.
  expect(Object.keys(Object.prototype), context).toEqual([]);
  expect(({} as Record<string, unknown>).polluted, context).toBeUndefined();
  return context;
}

describe("card values that cannot be acted on", () => {
  let bot: FuzzBot;
  let ids: Record<CardCase["card"], string>;
  beforeAll(async () => {
    bot = await startFuzzBot("http");
    ids = await cardIds(bot);
  }, TIMEOUT);
  afterAll(async () => {
    await expectAlive(bot);
    await bot.close();
  });

  it("the grammar knows every registered card action", () => {
    for (const a of ACTIONS) expect(bot.h.app.core.cardActions.find(a), a).toBeDefined();
  });

  it(
    "are refused with a toast; nothing changes and nothing is sent (a refused click is only logged)",
    async () => {
      await fc.assert(
        fc.asyncProperty(invalidClick, async (c) => {
          const o = await click(bot, c.who, ids[c.card], c.value, c.formValue);
          const context = expectToast(bot, c, o);
          expect((o.json.toast as { type?: string }).type, context).toBe("error");
          expect(o.json.card, context).toBeUndefined();
          expect(o.delivered, context).toBe(0);
          expect(o.changed, context).toEqual([]);
        }),
        { numRuns: 500 },
      );
    },
    TIMEOUT,
  );
});

describe("card values with real ids and random fields", () => {
  let bot: FuzzBot;
  let ids: Record<CardCase["card"], string>;
  beforeAll(async () => {
    bot = await startFuzzBot("http");
    ids = await cardIds(bot);
  }, TIMEOUT);
  afterAll(async () => {
    await expectAlive(bot);
    await bot.close();
  });

  it(
    "are answered with a Chinese toast (acted on or refused), never a crash",
    async () => {
      await fc.assert(
        fc.asyncProperty(looseClick, async (c) => {
          const o = await click(bot, c.who, ids[c.card], c.value, c.formValue);
          expectToast(bot, c, o);
        }),
        { numRuns: 400 },
      );
    },
    TIMEOUT,
  );
});
