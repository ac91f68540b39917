import { z } from "zod";
import { patternSource } from "./text.ts";

/** The shapes of the four files in policy/feedback/; each error names the file and the field. */

const comment = z.union([z.string(), z.array(z.string())]).optional();
const word = z.string().trim().min(1);
const why = z.string().optional();

function compiles(pattern: string): boolean {
  try {
    new RegExp(patternSource(pattern), "gu");
    return true;
  } catch {
    return false;
  }
}

const regex = word.refine(compiles, "不是有效的正则 / not a valid RegExp");
const oneOf = { message: "每项须有 term 或 pattern 之一 / exactly one of term, pattern" };
const factor = (max: number) => z.number().positive().max(max);

const weighted = z
  .strictObject({
    term: word.optional(),
    pattern: regex.optional(),
    weight: z.number().positive().max(10),
    /** Negation does not flip it (没退款 is still about a refund). */
    fixed: z.boolean().optional(),
    /** A request, not a complaint, when the clause asks or requests (改期了想退款, 能退吗). */
    ask: z.boolean().optional(),
    /** Politeness when the message asks or requests anything (麻烦看一下，谢谢); thanks otherwise. */
    polite: z.boolean().optional(),
    why,
  })
  .refine((e) => (e.term === undefined) !== (e.pattern === undefined), oneOf);

export const sentimentFile = z.strictObject({
  $comment: comment,
  thresholds: z.strictObject({ positive: z.number().positive(), negative: z.number().negative() }),
  negatedComplaint: z.number().min(0).max(1),
  positive: z.array(weighted).min(1),
  negative: z.array(weighted).min(1),
  ratings: z.array(
    z.strictObject({
      pattern: regex,
      /** Signed; ignored for a middle rating, which the rule feedback.rating.mid reads. */
      score: z.number().min(-10).max(10),
      mid: z.boolean().optional(),
      why,
    }),
  ),
  negators: z.array(
    z
      .strictObject({
        term: word.optional(),
        pattern: regex.optional(),
        factor: factor(1),
        after: z.boolean().optional(),
        why,
      })
      .refine((e) => (e.term === undefined) !== (e.pattern === undefined), oneOf),
  ),
  intensifiers: z.array(z.strictObject({ term: word, factor: factor(3), why })),
  contrast: z.strictObject({
    terms: z.array(word),
    /** Contrast only at the head of a clause: 本子不错，就是前台态度差 (but not 这就是性骚扰). */
    clauseStart: z.array(word).default([]),
    before: z.number().min(0).max(1),
  }),
  neutral: z.array(z.union([word, z.strictObject({ pattern: regex, why })])),
  questions: z.strictObject({
    words: z.array(word),
    /** Complaint words in a question count this much (会不会很挤？ is a question, not a complaint). */
    complaintFactor: z.number().min(0).max(1),
    /** Polite asking (请问, 麻烦, 能不能): a severe event told this way, with no complaint, is not one. */
    polite: z.array(word).default([]),
    /** Rhetorical questions complain: 为什么, 凭什么, 能不能专业点; their clause is not a question. */
    rhetorical: z
      .array(
        z
          .strictObject({
            term: word.optional(),
            pattern: regex.optional(),
            weight: z.number().min(0).max(10),
            why,
          })
          .refine((e) => (e.term === undefined) !== (e.pattern === undefined), oneOf),
      )
      .default([]),
  }),
  requests: z.strictObject({ words: z.array(word) }),
  sarcasm: z.strictObject({
    quotes: z.array(
      z
        .string()
        .refine((q) => [...q].length === 2, "引号须是一对字符，如 “” / a quote pair is two characters"),
    ),
    quoteFactor: factor(5),
    terms: z.array(
      z
        .strictObject({ term: word.optional(), pattern: regex.optional(), weight: factor(10), why })
        .refine((e) => (e.term === undefined) !== (e.pattern === undefined), oneOf),
    ),
    flips: z.array(z.strictObject({ term: word, weight: z.number().min(0).max(10), why })),
    ambivalent: z.array(
      z.strictObject({
        term: word,
        praise: z.number().min(0).max(10),
        mock: z.number().min(0).max(10),
        why,
      }),
    ),
  }),
});

export const categoriesFile = z.strictObject({
  $comment: comment,
  default: word,
  categories: z
    .array(z.strictObject({ name: word, weight: factor(10).optional(), keywords: z.array(word).min(1), why }))
    .min(1),
});

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, "key 须为小写字母、数字、下划线 / lower-case identifier");
const responseRule = z
  .string()
  .regex(/^ticket\.response\.[a-z0-9_]+$/, "须为 ticket.response.<来源> / a ticket.response.* rule key");
export const KINDS = ["comment", "message", "review"] as const;

export const sourcesFile = z.strictObject({
  $comment: comment,
  platforms: z
    .array(
      z.strictObject({
        key,
        label: word,
        keywords: z.array(word).min(1),
        /** How this platform calls a private message (公众号: 留言); the kind's label otherwise. */
        messageLabel: word.optional(),
        /** The kind of a message that opens with this name and a colon (大众点评：… is a review). */
        colonKind: z.enum(KINDS).optional(),
        why,
      }),
    )
    .min(1),
  kinds: z.array(z.strictObject({ key: z.enum(KINDS), label: word, keywords: z.array(word).min(1), why })),
  /** How far after a platform's name a kind word still belongs to it (抖音私信, 大众点评的五星评价). */
  kindReach: z.number().int().min(0).max(20),
  /** Words around a platform's name that make it a mere mention (在抖音刷到你们, 我要去点评给差评). */
  mention: z.strictObject({
    before: z.array(word),
    after: z.array(word),
    reach: z.number().int().min(0).max(20),
    why,
  }),
  rules: z.array(
    z.strictObject({
      platform: key.optional(),
      kind: z.enum(KINDS).optional(),
      responseRule,
      why,
    }),
  ),
});

const cueWords = {
  terms: z.array(word).default([]),
  patterns: z.array(regex).default([]),
};

const cue = z
  .strictObject({
    ...cueWords,
    /** The cue counts only with one of these within `window` characters (孩子 … 吓哭). */
    with: z
      .strictObject({
        ...cueWords,
        window: z.number().int().min(1).max(400),
        /** A shorter reach after the cue, when one is given (我的号被限流了，…夸你们 is not the store's). */
        windowAfter: z.number().int().min(0).max(400).optional(),
      })
      .optional(),
    /** Concrete facts (缝针, 送医): a filter marked spareFirm does not silence them. */
    firm: z.boolean().optional(),
    why,
  })
  .refine((e) => e.terms.length + e.patterns.length > 0, {
    message: "至少一个 term 或 pattern / at least one term or pattern",
  });

export const severeFile = z.strictObject({
  $comment: comment,
  filters: z.array(
    z.strictObject({
      name: word,
      scope: z.enum(["clause", "sentence", "message"]),
      before: z.array(word).default([]),
      after: z.array(word).default([]),
      anywhere: z.array(word).default([]),
      /** At most this many characters between the word and the cue (否定: 没人受伤, not 没人管…受伤). */
      reach: z.number().int().min(0).max(100).optional(),
      quoted: z.boolean().optional(),
      /** Not when 了 follows the cue: 孩子受伤了你们管吗？ asks about something that happened. */
      perfective: z.boolean().optional(),
      /** Only when the message, read without severe events, has this sentiment. */
      when: z.enum(["positive", "notNegative"]).optional(),
      /** With when: positive, only when the praise weighs at least this much (not one stray 好). */
      atLeast: z.number().min(0).max(20).optional(),
      unless: z.array(word).default([]),
      spareFirm: z.boolean().optional(),
      /** Only for these classes (a notice 惊悚本谢绝未成年人 silences 未成年人, nothing else). */
      only: z.array(key).optional(),
      why,
    }),
  ),
  classes: z
    .array(
      z.strictObject({
        key,
        name: word,
        weight: z.number().min(0).max(10),
        cues: z.array(cue).min(1),
        why,
      }),
    )
    .min(1),
});
