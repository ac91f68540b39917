import { z } from "zod";
import { dataFilePath, readDataFile } from "../data-file.ts";

/**
 * 合规预审 (SPEC §3, seeds/000 第八条(一)4–5): flags 《广告法》第九条 absolute terms, a missing “广告” label
 * and violation-category terms in a draft. Findings are advice for the card and force the legal step; they
 * never block submission. The word lists live in policy/compliance/*.json so legal can edit them without a
 * code change; this file only knows how to match them.
 */

export type Finding = {
  category: "absolute" | "ad_label" | "violation";
  term?: string;
  suggestion?: string;
  /** One Chinese line, ready for a card. */
  message: string;
};

export type ComplianceDraft = { title: string; body: string; isAd: boolean };

/**
 * Returns the text matched at `at` (anchored there), or undefined. `first` is a literal's first character,
 * so a scan only tries the literals that can start at a position; patterns (no `first`) are always tried.
 */
type Matcher = ((text: string, at: number) => string | undefined) & { readonly first: string | undefined };
type AbsoluteRule = { match: Matcher; suggest: (hit: string) => string; reason: string };
type ViolationRule = { match: Matcher; name: string; message: string };
type ComboRule = { name: string; message: string; groups: { match: Matcher }[][] };

/** Compiled word lists; build with loadComplianceLists. */
export type ComplianceLists = {
  readonly absolute: readonly AbsoluteRule[];
  readonly allow: readonly Matcher[];
  readonly violations: readonly ViolationRule[];
  readonly combos: readonly ComboRule[];
};

export const COMPLIANCE_FILES = {
  absolute: "absolute-terms.json",
  allow: "allow-list.json",
  violations: "violations.json",
} as const;

const DEFAULT_DIR = new URL("../../../policy/compliance/", import.meta.url);

// Text pasted from Traditional-character sources (like the seeds/ policies) writes 廣告; accept both.
const AD_LABELS = ["广告", "廣告"];

/**
 * Full-width → half-width (NFKC: “１００％” → “100%”, “ＮＯ．１” → “no.1”), lower case, and zero-width
 * characters dropped, so that neither an IME setting nor copy-paste hides a term. Lists get the same
 * treatment, so a term written full-width in a data file still matches.
 */
function normalise(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, "")
    .toLowerCase();
}

// ---------- file shapes ----------

const comment = z.union([z.string(), z.array(z.string())]).optional();
const word = z.string().trim().min(1);

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "uy");
    return true;
  } catch {
    return false;
  }
}

const absoluteFile = z.strictObject({
  $comment: comment,
  terms: z
    .array(
      z
        .strictObject({
          term: word.optional(),
          pattern: word.refine(compiles, "不是有效的正则 / not a valid RegExp").optional(),
          suggestion: word,
          reason: word,
          why: z.string().optional(),
        })
        .refine((e) => (e.term === undefined) !== (e.pattern === undefined), {
          message: "每项须有 term 或 pattern 之一 / exactly one of term, pattern",
        }),
    )
    .min(1),
});

const allowFile = z.strictObject({
  $comment: comment,
  terms: z.array(z.strictObject({ term: word, why: z.string().optional() })),
});

const violationsFile = z.strictObject({
  $comment: comment,
  categories: z
    .array(z.strictObject({ id: word, name: word, message: word, terms: z.array(word).min(1) }))
    .min(1),
  combos: z
    .array(
      z.strictObject({ id: word, name: word, message: word, groups: z.array(z.array(word).min(1)).min(2) }),
    )
    .default([]),
});

// ---------- loading ----------

/** How errors in these files name them. */
const WHAT = { zh: "合规词表", en: "compliance list" };

/** A term listed twice (or both allowed and flagged) is a data mistake that would silently hide a rule. */
function assertUnique(where: string, terms: readonly string[], seen = new Set<string>()): Set<string> {
  for (const t of terms) {
    if (seen.has(t))
      throw new Error(`合规词表重复词 / term listed twice (${where}, or already in another list): 「${t}」`);
    seen.add(t);
  }
  return seen;
}

function literal(term: string): Matcher {
  const t = normalise(term);
  return Object.assign((text: string, at: number) => (text.startsWith(t, at) ? t : undefined), {
    first: t[0],
  });
}

function pattern(source: string): Matcher {
  const sticky = new RegExp(source, "uy");
  const match = (text: string, at: number) => {
    sticky.lastIndex = at;
    // An empty match would flag nothing and never advance the scan, so it counts as no match.
    return sticky.exec(text)?.[0] || undefined;
  };
  return Object.assign(match, { first: undefined });
}

/** Reads and validates the three list files; throws an Error naming the file on any problem. */
export function loadComplianceLists(dir: string | URL = DEFAULT_DIR): ComplianceLists {
  const files = {
    absolute: dataFilePath(dir, COMPLIANCE_FILES.absolute),
    allow: dataFilePath(dir, COMPLIANCE_FILES.allow),
    violations: dataFilePath(dir, COMPLIANCE_FILES.violations),
  };
  const abs = readDataFile(files.absolute, absoluteFile, WHAT);
  const allow = readDataFile(files.allow, allowFile, WHAT);
  const vio = readDataFile(files.violations, violationsFile, WHAT);

  const flagged = assertUnique(
    files.absolute,
    abs.terms.flatMap((e) => (e.term === undefined ? [] : [normalise(e.term)])),
  );
  assertUnique(
    files.violations,
    vio.categories.flatMap((c) => c.terms.map(normalise)),
    flagged,
  );
  assertUnique(
    files.allow,
    allow.terms.map((e) => normalise(e.term)),
    flagged,
  );

  return {
    absolute: abs.terms.map((e) => {
      const suggestion = e.suggestion;
      if (e.pattern === undefined) {
        return { match: literal(e.term ?? ""), suggest: () => suggestion, reason: e.reason };
      }
      // `$1` in a pattern's suggestion refers to its capture groups: 史上最强 → 超强.
      const whole = new RegExp(e.pattern, "u");
      return {
        match: pattern(e.pattern),
        suggest: (hit: string) => hit.replace(whole, suggestion),
        reason: e.reason,
      };
    }),
    allow: allow.terms.map((e) => literal(e.term)),
    violations: vio.categories.flatMap((c) =>
      c.terms.map((t) => ({ match: literal(t), name: c.name, message: c.message })),
    ),
    combos: vio.combos.map((c) => ({
      name: c.name,
      message: c.message,
      groups: c.groups.map((g) => g.map((t) => ({ match: literal(t) }))),
    })),
  };
}

let defaults: ComplianceLists | undefined;

/** Lazily, so that importing this module never throws; a bad data file surfaces on the first check. */
function defaultLists(): ComplianceLists {
  defaults ??= loadComplianceLists();
  return defaults;
}

// ---------- matching ----------

type Hit<R> = { at: number; text: string; rule: R };

/** Groups items by their matcher's first character; the lookup keeps data-file order within a group. */
function byFirst<T>(items: readonly T[], matcher: (item: T) => Matcher): (c: string) => readonly T[] {
  const always: T[] = [];
  const index = new Map<string, T[]>();
  for (const item of items) {
    const first = matcher(item).first;
    if (first === undefined) always.push(item);
    else index.set(first, [...(index.get(first) ?? []), item]);
  }
  return (c) => {
    const literals = index.get(c);
    return literals === undefined ? always : always.length === 0 ? literals : [...literals, ...always];
  };
}

/**
 * Left to right; at each position the longest match wins (全网最低价 over 最低价), and an allow-list word at
 * least as long as the best flagged match swallows that span (最后一幕 stays clean, 最好玩 is 最好).
 */
function scan<R extends { match: Matcher }>(
  text: string,
  rules: readonly R[],
  allow: readonly Matcher[],
): Hit<R>[] {
  const candidates = byFirst(rules, (r) => r.match);
  const shields = byFirst(allow, (m) => m);
  const hits: Hit<R>[] = [];
  let at = 0;
  while (at < text.length) {
    const c = text.charAt(at);
    let shield = 0;
    for (const m of shields(c)) shield = Math.max(shield, m(text, at)?.length ?? 0);
    let best: Hit<R> | undefined;
    for (const rule of candidates(c)) {
      const t = rule.match(text, at);
      // Strictly longer, so on a tie a literal beats a pattern, then the data file order decides.
      if (t !== undefined && t.length > (best?.text.length ?? 0)) best = { at, text: t, rule };
    }
    if (best !== undefined && best.text.length > shield) {
      hits.push(best);
      at += best.text.length;
    } else {
      at += Math.max(shield, 1);
    }
  }
  return hits;
}

/** One entry per distinct matched text, in order of first appearance, with its count. */
function tally<R>(hits: readonly Hit<R>[]): { first: Hit<R>; count: number }[] {
  const byText = new Map<string, { first: Hit<R>; count: number }>();
  for (const h of hits) {
    const seen = byText.get(h.text);
    if (seen) seen.count += 1;
    else byText.set(h.text, { first: h, count: 1 });
  }
  return [...byText.values()];
}

const times = (count: number) => (count > 1 ? `（出现 ${count} 次）` : "");

export function checkCompliance(draft: ComplianceDraft, lists: ComplianceLists = defaultLists()): Finding[] {
  // Joined with a newline so that no term can straddle the title and the body.
  const text = normalise(`${draft.title}\n${draft.body}`);
  const located: { at: number; finding: Finding }[] = [];

  for (const { first, count } of tally(scan(text, lists.absolute, lists.allow))) {
    const suggestion = first.rule.suggest(first.text);
    located.push({
      at: first.at,
      finding: {
        category: "absolute",
        term: first.text,
        suggestion,
        message: `「${first.text}」${times(count)}属于《广告法》第九条禁用的绝对化用语（${first.rule.reason}），建议改为「${suggestion}」`,
      },
    });
  }

  for (const { first, count } of tally(scan(text, lists.violations, lists.allow))) {
    located.push({
      at: first.at,
      finding: {
        category: "violation",
        term: first.text,
        message: `「${first.text}」${times(count)}涉嫌${first.rule.name}：${first.rule.message}`,
      },
    });
  }

  // A combo (未成年人 + 恐怖) needs a hit in every group; it is placed where it became complete.
  for (const combo of lists.combos) {
    const firsts = combo.groups.map((g) => scan(text, g, lists.allow)[0]);
    const hits = firsts.filter((h) => h !== undefined);
    if (hits.length < firsts.length) continue;
    const terms = hits.map((h) => h.text);
    located.push({
      at: Math.max(...hits.map((h) => h.at)),
      finding: {
        category: "violation",
        term: terms.join("+"),
        message: `${terms.map((t) => `「${t}」`).join("与")}同时出现，涉嫌${combo.name}：${combo.message}`,
      },
    });
  }

  // Array.prototype.sort is stable: at equal positions absolute stays before violation, as pushed.
  const findings = located.sort((a, b) => a.at - b.at).map((l) => l.finding);

  if (draft.isAd && !AD_LABELS.some((label) => text.includes(label))) {
    // Item-level, so it leads the list rather than sitting at a text position.
    findings.unshift({
      category: "ad_label",
      message: "标记为 #广告 的内容需标注“广告”字样（《广告法》第十四条：广告应当具有可识别性）",
    });
  }
  return findings;
}
