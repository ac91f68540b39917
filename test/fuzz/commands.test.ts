import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandText } from "../../src/core/commands/parse.ts";
import type { CommandDef } from "../../src/core/commands/registry.ts";
import { nearMiss, slashNoise, unparseable, wellFormed, wellFormedByCommand } from "./grammar/index.ts";
import {
  CHINESE,
  classify,
  expectAlive,
  expectNoTrouble,
  type FuzzBot,
  type Outcome,
  send,
  startFuzzBot,
} from "./support.ts";

/**
 * docs/commands.md "Unknown command or bad arguments: a short Chinese usage line for that command, nothing
 * changed" and docs/reliability.md "Fuzzed command text never crashes the bot and never changes state unless it
 * parses", against the real bot (in process: the real Feishu normaliser straight to the dispatcher, real
 * SQLite, the real outbox to the fake Feishu; a crash answers 500 as the webhook would). The webhook's own
 * parsing is fuzzed over HTTP in card-values.test.ts and attacked in test/security.
 *
 * One bot per property, so runs share (and build up) state, as a real chat does. On a failure
 * fast-check prints the seed and
 * the shrunk counterexample (replay with `{ seed, path }` in the property's options).
 */

const TIMEOUT = 240_000;

/** The command a text would run, as the dispatcher finds it (undefined: no command, or not registered). */
function commandOf(bot: FuzzBot, text: string): CommandDef | undefined {
  const parsed = parseCommandText(text);
  return parsed ? bot.h.app.core.commands.find(parsed.name) : undefined;
}

/** What every message gets, whatever it says: HTTP 200, an answer in Chinese, nothing logged as error. */
function expectAnswered(bot: FuzzBot, text: string, o: Outcome): void {
  const context = `for ${JSON.stringify(text.slice(0, 200))}`;
  expect(o.status, context).toBe(200);
  expect(o.replies.length, `no answer ${context}`).toBeGreaterThan(0);
  expect(
    o.replies.some((r) => CHINESE.test(r) || r.startsWith("[")),
    `answer not Chinese ${context}: ${o.replies.join(" | ")}`,
  ).toBe(true);
  expectNoTrouble(bot, context);
}

describe("the grammar", () => {
  it("covers every registered command and alias", async () => {
    const bot = await startFuzzBot("in-process");
    try {
      const defs = bot.h.app.core.commands.all;
      expect(Object.keys(wellFormedByCommand).sort()).toEqual(defs.map((d) => d.name).sort());
      // Every alias is typed by some well-formed case (a fixed seed keeps this deterministic).
      const typed = new Set(
        fc
          .sample(wellFormed, { numRuns: 6000, seed: 7 })
          .map((c) => parseCommandText(c.text)?.name)
          .filter((n): n is string => n !== undefined),
      );
      const missing = defs.flatMap((d) => [d.name, ...d.aliases]).filter((n) => !typed.has(n.toLowerCase()));
      expect(missing).toEqual([]);
    } finally {
      await bot.close();
    }
  });
});

describe("unparseable commands", () => {
  let bot: FuzzBot;
  beforeAll(async () => {
    bot = await startFuzzBot("in-process");
  }, TIMEOUT);
  afterAll(async () => {
    await expectAlive(bot);
    await bot.close();
  });

  it(
    "get exactly one answer, to the sender, that is the command's usage line or names the valid forms; nothing changes",
    async () => {
      await fc.assert(
        fc.asyncProperty(unparseable, fc.constantFrom(" ", "  ", "\u3000"), async (c, space) => {
          // Odd but harmless spacing: the parser treats U+3000 and runs of spaces as one separator.
          const text = c.text.replace(/ /g, space);
          const o = await send(bot, c.who, text, c.chatId ? { chatId: c.chatId } : {});
          expectAnswered(bot, text, o);
          const def = bot.h.app.core.commands.find(c.command);
          const answer = o.replies.join("\n");
          expect(o.replies, `one answer to ${text}`).toHaveLength(1);
          expect(o.delivered, `nothing sent to anyone else for ${text}`).toBe(1);
          expect(c.answer, `answer to ${JSON.stringify(text)} was: ${answer}`).toContain(
            classify(answer, def),
          );
          expect(o.changed, `state changed by ${JSON.stringify(text)}; answer: ${answer}`).toEqual([]);
        }),
        { numRuns: 250 },
      );
    },
    TIMEOUT,
  );
});

describe("near misses and noise", () => {
  let bot: FuzzBot;
  beforeAll(async () => {
    bot = await startFuzzBot("in-process");
  }, TIMEOUT);
  afterAll(async () => {
    await expectAlive(bot);
    await bot.close();
  });

  it(
    "a mutated command is answered, and an answer that is a usage line or an unknown-command hint changed nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(nearMiss, async (c) => {
          const o = await send(bot, c.who, c.text, c.chatId ? { chatId: c.chatId } : {});
          if (c.chatId && parseCommandText(c.text) === undefined) {
            // In a group the bot reads commands only (and feedback in feedback groups; this one is 运营群).
            expect(o.status).toBe(200);
            expect(o.replies).toEqual([]);
            expect(o.changed).toEqual([]);
            expectNoTrouble(bot, c.text);
            return;
          }
          expectAnswered(bot, c.text, o);
          const def = commandOf(bot, c.text);
          const kinds = o.replies.map((r) => classify(r, def));
          if (kinds.includes("usage") || kinds.includes("unknown")) {
            const context = `${c.mutation}: ${JSON.stringify(c.text.slice(0, 300))} → ${o.replies.join(" | ")}`;
            expect(o.replies, context).toHaveLength(1);
            expect(o.delivered, context).toBe(1);
            expect(o.changed, context).toEqual([]);
          }
        }),
        { numRuns: 250 },
      );
    },
    TIMEOUT,
  );

  it(
    "a slash and random unicode is no command: one answer pointing to /help, nothing changed",
    async () => {
      await fc.assert(
        fc.asyncProperty(slashNoise, async (text) => {
          fc.pre(commandOf(bot, text) === undefined);
          const o = await send(bot, "outsider", text);
          expectAnswered(bot, text, o);
          const context = `${JSON.stringify(text.slice(0, 200))} → ${o.replies.join(" | ").slice(0, 300)}`;
          expect(o.replies, context).toHaveLength(1);
          expect(classify(o.replies[0] ?? "", undefined), context).toBe("unknown");
          expect(o.delivered, context).toBe(1);
          expect(o.changed, context).toEqual([]);
        }),
        { numRuns: 150 },
      );
    },
    TIMEOUT,
  );
});

describe("well-formed commands", () => {
  let bot: FuzzBot;
  beforeAll(async () => {
    bot = await startFuzzBot("in-process");
  }, TIMEOUT);
  afterAll(async () => {
    await expectAlive(bot);
    await bot.close();
  });

  it(
    "sent by someone holding the role, are answered with a result or a refusal, never a usage line",
    async () => {
      await fc.assert(
        fc.asyncProperty(wellFormed, async (c) => {
          const o = await send(bot, c.who, c.text, c.chatId ? { chatId: c.chatId } : {});
          expectAnswered(bot, c.text, o);
          const def = bot.h.app.core.commands.find(c.command);
          const context = `${c.who}: ${JSON.stringify(c.text)} → ${o.replies.join(" | ").slice(0, 400)}`;
          for (const r of o.replies) expect(["other", "hint"], context).toContain(classify(r, def));
        }),
        { numRuns: 250 },
      );
    },
    TIMEOUT,
  );
});
