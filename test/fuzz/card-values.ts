/**
 * Card-action values as arbitraries. A card's button carries a `value` object the bot itself put there
 * (`{a: "review.decide", step: 12, v: "approve"}`), and a form carries `form_value`. Feishu signs the
 * callback, but the bot must still treat both as input: stale cards, old card versions and
 * hand-crafted callbacks all arrive here. The handlers live in src/core/{review,feedback,crisis}.
 */
import fc from "fast-check";
import { STAGES } from "../../src/core/crisis/model.ts";
import type { Who } from "../support/harness.ts";

/** Action names registered with core.cardActions (checked against the registry in the test). */
export const ACTIONS = [
  "review.decide",
  "submit.form",
  "ticket.done",
  "ticket.transfer",
  "crisis.ack",
  "crisis.escalate",
  "crisis.stage",
  "crisis.fromSuggestion",
  "crisis.ignoreSuggestion",
] as const;

export const CLICKERS: Who[] = ["admin", "wang", "li", "lin", "zhang", "chen", "liu", "mei", "outsider"];

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

/** Any JSON value, including the shapes that coerce oddly (`Number([]) === 0`, `Number("") === 0`). */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, "", " ", "abc", "1e999", "NaN", [], {}, [1, 2], { a: 1 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e308, -0),
  fc.constant("长".repeat(5000)),
);

/**
 * Ids that name nothing: zero, negative, fractional, beyond any row, or values that are no number at
 * all. (`true`, `"1"` and `[1]` are left out: they coerce to 1, a real row.)
 */
const noSuchId: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, -999, 1.5, 1e20, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -0),
  fc.constantFrom("abc", "", "-5", "1e999", "NaN", null, {}, [1, 2], "0x"),
  fc.integer({ min: 100_000, max: 2 ** 31 }),
  fc.integer({ min: -(2 ** 31), max: -1 }),
);

/** Extra keys a value may carry, prototype-pollution keys among them (as own properties, as JSON has them). */
const extras = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), anyJson), {
    maxLength: 3,
  })
  .map((entries) =>
    entries.map(([k, v]) => [k, PROTO_KEYS.includes(k) ? { polluted: "yes", a: "x", step: 1 } : v] as const),
  );

const build = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> =>
  // fromEntries defines own properties: {"__proto__": …} stays a key, as JSON.parse makes it.
  Object.fromEntries(entries.filter(([, v]) => v !== undefined));

export interface CardCase {
  who: Who;
  /** Which card is clicked: a key of the test's message-id table. */
  card: "review" | "ticket" | "crisis" | "form" | "unknown";
  value: Record<string, unknown>;
  formValue: Record<string, unknown> | undefined;
  why: string;
}

const withExtras = (
  why: string,
  card: CardCase["card"],
  core: fc.Arbitrary<readonly (readonly [string, unknown])[]>,
  form: fc.Arbitrary<Record<string, unknown> | undefined> = fc.constant(undefined),
  who: fc.Arbitrary<Who> = fc.constantFrom(...CLICKERS),
): fc.Arbitrary<CardCase> =>
  fc.record({ who, core, extra: extras, formValue: form }).map((r) => ({
    who: r.who,
    card,
    // The action's own fields last, so an extra "a" or "step" cannot replace them.
    value: build([...r.extra.filter(([k]) => !r.core.some(([c]) => c === k)), ...r.core]),
    formValue: r.formValue,
    why,
  }));

const invalidText = fc.constantFrom(undefined, "", "   ", 42, null, [], {}, ["x"]);
const invalidPlatforms = fc.constantFrom(
  undefined,
  [],
  "",
  "火星台",
  ["不存在"],
  42,
  [{}],
  ",",
  "抖音,月球台",
);
const formOf = (f: Record<string, unknown>) => build(Object.entries(f));
const validPlatforms = fc.constantFrom(["douyin"], "抖音", ["xiaohongshu", "weibo"]);

/**
 * Values that cannot be acted on: an unknown action, or a known one whose ids name nothing, whose
 * fields have the wrong type, or whose form misses what it needs. Each must be refused with a toast
 * and change nothing.
 */
export const invalidClick: fc.Arbitrary<CardCase> = fc.oneof(
  withExtras(
    "unknown action",
    "review",
    fc
      .oneof(
        fc.constantFrom<unknown>(
          undefined,
          "",
          "__proto__",
          "constructor",
          "toString",
          "review",
          "REVIEW.DECIDE",
          42,
          null,
          [],
          {},
        ),
        fc.string({ maxLength: 16 }).filter((s) => !(ACTIONS as readonly string[]).includes(s)),
      )
      .map((a) => [["a", a] as const]),
  ),
  withExtras(
    "review.decide on no step",
    "review",
    fc.tuple(noSuchId, anyJson).map(
      ([step, v]) =>
        [
          ["a", "review.decide"],
          ["step", step],
          ["v", v],
        ] as const,
    ),
    fc.option(
      anyJson.map((o) => ({ opinion: o })),
      { nil: undefined },
    ),
  ),
  withExtras(
    "submit.form missing a field",
    "form",
    fc.constant([["a", "submit.form"] as const]),
    fc.oneof(
      fc.record({ title: invalidText, body: fc.constant("正文"), platforms: validPlatforms }).map(formOf),
      fc.record({ title: fc.constant("标题"), body: invalidText, platforms: validPlatforms }).map(formOf),
      fc
        .record({ title: fc.constant("标题"), body: fc.constant("正文"), platforms: invalidPlatforms })
        .map(formOf),
      fc
        .record({ planned: fc.constantFrom("明天", "2026-13-01 10:00", "2026-11-20 25:00", "abc") })
        .map((p) => ({ title: "标题", body: "正文", platforms: ["douyin"], ...p })),
      fc.constant(undefined),
    ),
    fc.constant<Who>("wang"),
  ),
  withExtras(
    "ticket.done on no ticket",
    "ticket",
    noSuchId.map(
      (t) =>
        [
          ["a", "ticket.done"],
          ["ticket", t],
        ] as const,
    ),
    fc.option(
      anyJson.map((n) => ({ note: n })),
      { nil: undefined },
    ),
  ),
  withExtras(
    "ticket.done without a note",
    "ticket",
    fc.constant([
      ["a", "ticket.done"],
      ["ticket", 1],
    ] as const),
    fc.constantFrom(undefined, { note: "" }, { note: "   " }, { note: 42 }, { note: ["已处理"] }),
  ),
  withExtras(
    "ticket.transfer on no ticket",
    "ticket",
    noSuchId.map(
      (t) =>
        [
          ["a", "ticket.transfer"],
          ["ticket", t],
        ] as const,
    ),
    fc.option(
      anyJson.map((x) => ({ assignee: x })),
      { nil: undefined },
    ),
  ),
  withExtras(
    "ticket.transfer to nobody",
    "ticket",
    fc.constant([
      ["a", "ticket.transfer"],
      ["ticket", 1],
    ] as const),
    noSuchId.map((x) => ({ assignee: x })),
    fc.constantFrom<Who>("mei", "admin", "zhang"),
  ),
  withExtras(
    "crisis action on no crisis",
    "crisis",
    fc
      .tuple(
        fc.constantFrom("crisis.ack", "crisis.escalate", "crisis.stage"),
        noSuchId,
        anyJson,
        fc.constantFrom(...STAGES),
      )
      .map(
        ([a, c, from, to]) =>
          [
            ["a", a],
            ["c", c],
            ["from", from],
            ["to", to],
          ] as const,
      ),
  ),
  withExtras(
    "crisis.stage to no stage",
    "crisis",
    fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS, "结案", "CLOSED", ""), anyJson), anyJson).map(
      ([to, from]) =>
        [
          ["a", "crisis.stage"],
          ["c", 1],
          ["to", to],
          ["from", from],
        ] as const,
    ),
  ),
  withExtras(
    "crisis.escalate from a stale tier",
    "crisis",
    fc.constantFrom<unknown>(0, 4, "x", null, 9, -1, 2.5).map(
      (from) =>
        [
          ["a", "crisis.escalate"],
          ["c", 1],
          ["from", from],
        ] as const,
    ),
  ),
  withExtras(
    "crisis.fromSuggestion without a tier or summary",
    "crisis",
    fc.oneof(
      fc.constantFrom<unknown>(0, 4, -1, 1.5, "abc", null, undefined, {}, [1, 2], 1e308).map(
        (tier) =>
          [
            ["a", "crisis.fromSuggestion"],
            ["tier", tier],
            ["summary", "顾客受伤"],
          ] as const,
      ),
      fc.constantFrom<unknown>(undefined, "", "   ", 42, [], {}).map(
        (summary) =>
          [
            ["a", "crisis.fromSuggestion"],
            ["tier", 2],
            ["summary", summary],
          ] as const,
      ),
    ),
  ),
  withExtras(
    "crisis.ignoreSuggestion of no suggestion",
    "crisis",
    fc.tuple(fc.oneof(noSuchId, fc.constant(undefined)), fc.oneof(noSuchId, fc.constant(undefined))).map(
      ([suggestion, ticket]) =>
        [
          ["a", "crisis.ignoreSuggestion"],
          ["suggestion", suggestion],
          ["ticket", ticket],
        ] as const,
    ),
  ),
);

/** Real action names and real ids (#1's steps, T-1, C-1) with random other fields, by anyone. */
export const looseClick: fc.Arbitrary<CardCase> = fc
  .record({
    who: fc.constantFrom(...CLICKERS),
    card: fc.constantFrom<CardCase["card"]>("review", "ticket", "crisis", "form", "unknown"),
    a: fc.constantFrom(...ACTIONS),
    id: fc.constantFrom<unknown>(1, 2, 3, "1", [1], true),
    v: fc.oneof(fc.constantFrom<unknown>("approve", "reject", ...STAGES, 1, 2, 3), anyJson),
    extra: extras,
    form: fc.option(
      fc.dictionary(
        fc.constantFrom(
          "opinion",
          "note",
          "assignee",
          "title",
          "body",
          "platforms",
          "planned",
          "flags",
          ...PROTO_KEYS,
        ),
        anyJson,
      ),
      { nil: undefined },
    ),
  })
  .map((r) => ({
    who: r.who,
    card: r.card,
    value: build([
      ...r.extra,
      ["a", r.a],
      ["step", r.id],
      ["ticket", r.id],
      ["c", r.id],
      ["v", r.v],
      ["to", r.v],
      ["from", r.v],
      ["tier", r.v],
      ["summary", typeof r.v === "string" ? r.v : undefined],
    ]),
    formValue: r.form,
    why: "real ids, random fields",
  }));
