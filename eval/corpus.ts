import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * The labelled corpora in test/corpus/ (see its GUIDELINES.md). Each writer's file is wholly in one half;
 * split.json, committed before any tuning, says which. Tuning reads only the tuning half.
 */

const dir = new URL("../test/corpus/", import.meta.url);

export const CATEGORY_KEYS = [
  "absolute",
  "false_promise",
  "vulgar",
  "violence",
  "discrimination",
  "disparagement",
  "infringement",
  "gambling",
  "minors",
  "personal_info",
] as const;

export const SEVERE_KEYS = [
  "injury",
  "police",
  "food",
  "media",
  "minors",
  "harassment",
  "fire",
  "regulator",
  "legal",
  "platform",
  "privacy",
] as const;

const post = z.strictObject({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  labels: z.array(z.enum(CATEGORY_KEYS)),
  note: z.string().optional(),
});

const message = z.strictObject({
  id: z.string(),
  text: z.string(),
  sentiment: z.enum(["positive", "neutral", "negative"]),
  severe: z.enum(SEVERE_KEYS).nullable(),
  platform: z
    .enum(["douyin", "xiaohongshu", "wechat_oa", "channels", "weibo", "dianping", "meituan"])
    .nullable(),
  kind: z.enum(["comment", "message", "review"]).nullable(),
  note: z.string().optional(),
});

export type Post = z.output<typeof post>;
export type Message = z.output<typeof message>;
export type Half = "tuning" | "heldout";

const split = z.object({
  seed: z.number(),
  compliance: z.object({ tuning: z.array(z.string()), heldout: z.array(z.string()) }),
  feedback: z.object({ tuning: z.array(z.string()), heldout: z.array(z.string()) }),
});

function readJsonl<T>(path: URL, schema: z.ZodType<T>): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      const parsed = schema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${path.pathname}:${i + 1}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
}

function writers(corpus: "compliance" | "feedback", half: Half): string[] {
  const s = split.parse(JSON.parse(readFileSync(new URL("split.json", dir), "utf8")));
  return s[corpus][half];
}

export function posts(half: Half): Post[] {
  return writers("compliance", half).flatMap((w) => readJsonl(new URL(`compliance/${w}.jsonl`, dir), post));
}

export function messages(half: Half): Message[] {
  return writers("feedback", half).flatMap((w) => readJsonl(new URL(`feedback/${w}.jsonl`, dir), message));
}
