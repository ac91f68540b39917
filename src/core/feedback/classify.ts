import { z } from "zod";
import { dataFilePath, readDataFile } from "../data-file.ts";

/**
 * Feedback classification (SPEC §4): sentiment, category, named source platform and severe terms of a
 * customer message, for the ticket it becomes. The word lists live in policy/feedback/*.json so that
 * customer service can tune them without a code change; this file only knows how to match and weigh them.
 *
 * Sentiment is a lexicon score: the text is cut into tokens (longest match at each position), each
 * praise or complaint word adds its weight, modified by what precedes it in the same clause — a negator
 * (不好玩), an intensifier (太差), a sarcasm marker (好一个…, ‘好’ in quotes) — and by where it stands
 * (before 但是, inside a question). Deterministic and allocation-light: every RegExp is built at load time.
 */

export type Sentiment = "positive" | "neutral" | "negative";

export type FeedbackSource = { key: string; label: string; responseRule?: string };

export type Classification = {
  sentiment: Sentiment;
  /** Sum of the weighed evidence; ≥ thresholds.positive is positive, ≤ thresholds.negative negative. */
  score: number;
  /** The matched words, in text order, so that people can see why (不好玩, ‘好’（反讽）, 1星). */
  reasons: string[];
  category: string;
  source?: FeedbackSource;
  /** Canonical severe terms (受伤, 报警, 食品安全, 媒体, 曝光, 未成年), in order of first appearance. */
  severe: string[];
};

export const FEEDBACK_FILES = {
  sentiment: "sentiment.json",
  categories: "categories.json",
  sources: "sources.json",
  severe: "severe.json",
} as const;

const DEFAULT_DIR = new URL("../../../policy/feedback/", import.meta.url);

// ---------- normalisation ----------

/**
 * Traditional → simplified for the characters the lists use, so that a message pasted from a
 * traditional-character source (服務態度很差, 大眾點評) still matches. Pairs: traditional, simplified.
 */
const TRADITIONAL =
  "專专業业丟丢兩两嚴严個个臨临為为爲为麼么麽么樂乐書书買买亂乱虧亏僅仅從从們们價价眾众衆众優优夥伙會会傳传傷伤體体" +
  "儲储兒儿關关興兴淨净湊凑幾几兇凶劃划則则剛刚別别製制劇剧勸劝務务動动勁劲區区醫医單单衛卫廁厕廂厢厲厉發发髮发變变" +
  "號号聽听員员週周響响噠哒團团圍围場场壞坏處处複复復复夠够頭头學学寶宝實实對对尷尴盡尽儘尽歲岁帶带幹干乾干並并異异" +
  "強强當当態态惡恶噁恶悶闷驚惊愛爱戲戏掛挂報报擺摆損损掃扫擾扰護护敵敌無无舊旧時时暈晕條条來来極极樣样權权歡欢殺杀" +
  "氣气沒没潔洁溫温滿满滅灭潰溃災灾燈灯爛烂煙烟燒烧燙烫熱热煩烦獨独猶犹環环現现癮瘾盜盗盤盘睏困種种稱称筆笔簡简類类" +
  "紅红約约級级線线組组細细終终絕绝給给結结繹绎續续維维縫缝網网聯联腦脑臉脸艷艳豔艳萬万蒼苍蟲虫蠅蝇裝装見见規规視视" +
  "訂订認认記记講讲論论證证評评識识訴诉誠诚話话詢询語语說说説说請请調调謂谓謝谢謹谨譜谱負负責责賬账帳账貨货質质購购" +
  "貼贴貴贵費费賊贼讚赞贊赞車车轉转較较輯辑過过這这進进遲迟適适邏逻遺遗鬱郁裡里裏里鐘钟錢钱錯错長长門门問问間间鬧闹" +
  "聞闻閱阅隊队陽阳陰阴陣阵隱隐難难離离電电預预顆颗題题顧顾頻频飯饭飲饮餿馊罵骂騙骗騷骚驗验鴿鸽點点齡龄嚇吓喫吃嗎吗" +
  "還还讓让聲声廳厅臺台闆板後后營营薦荐準准險险導导師师";

const FOLD = new Map<string, string>();
for (let i = 0; i + 1 < TRADITIONAL.length; i += 2)
  FOLD.set(TRADITIONAL.charAt(i), TRADITIONAL.charAt(i + 1));

// Zero-width characters, emoji variation selectors (U+FE0E/F: a red heart may carry one) and skin-tone
// modifiers (U+1F3FB–1F3FF: a thumbs-up may carry one), so that an emoji matches however it was typed.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]|\uFE0E|\uFE0F|[\u{1F3FB}-\u{1F3FF}]/gu;

/**
 * Full-width → half-width (NFKC: “ＤＭ”→“dm”, “１星”→“1星”, “，”→“,”), lower case, invisible characters
 * dropped, traditional → simplified. The lists get the same treatment, so a data file may use any form.
 */
export function normaliseFeedback(s: string): string {
  return fold(s.normalize("NFKC").replace(INVISIBLE, "").toLowerCase());
}

function fold(s: string): string {
  let out = "";
  for (const c of s) out += FOLD.get(c) ?? c;
  return out;
}

/** A pattern gets the text's treatment except lower-casing, which would turn \p{L} into \p{l}. */
function patternSource(source: string): string {
  return fold(source.normalize("NFKC"));
}

/** Characters that end a clause: negation, intensity and sarcasm markers do not reach across them. */
const CLAUSE_END = new Set([..."。!?;,.…~\n\r"]);

// ---------- file shapes ----------

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

const weighted = z
  .strictObject({
    term: word.optional(),
    pattern: regex.optional(),
    weight: z.number().positive().max(10),
    fixed: z.boolean().optional(),
    why,
  })
  .refine((e) => (e.term === undefined) !== (e.pattern === undefined), oneOf);

const factor = (max: number) => z.number().positive().max(max);

const sentimentFile = z.strictObject({
  $comment: comment,
  thresholds: z.strictObject({ positive: z.number().positive(), negative: z.number().negative() }),
  negatedComplaint: z.number().min(0).max(1),
  positive: z.array(weighted).min(1),
  negative: z.array(weighted).min(1),
  ratings: z.array(z.strictObject({ pattern: regex, score: z.number().min(-10).max(10), why })),
  negators: z.array(z.strictObject({ term: word, factor: factor(1), why })),
  intensifiers: z.array(z.strictObject({ term: word, factor: factor(3), why })),
  contrast: z.strictObject({ terms: z.array(word), before: z.number().min(0).max(1) }),
  neutral: z.array(z.union([word, z.strictObject({ pattern: regex, why })])),
  questions: z.strictObject({ words: z.array(word) }),
  sarcasm: z.strictObject({
    quotes: z.array(
      z
        .string()
        .refine((q) => [...q].length === 2, "引号须是一对字符，如 “” / a quote pair is two characters"),
    ),
    quoteFactor: factor(5),
    terms: z.array(z.strictObject({ term: word, weight: factor(10), why })),
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

const categoriesFile = z.strictObject({
  $comment: comment,
  default: word,
  categories: z
    .array(z.strictObject({ name: word, weight: factor(10).optional(), keywords: z.array(word).min(1), why }))
    .min(1),
});

const sourcesFile = z.strictObject({
  $comment: comment,
  sources: z.array(
    z.strictObject({
      key: z.string().regex(/^[a-z][a-z0-9_]*$/, "key 须为小写字母、数字、下划线 / lower-case identifier"),
      label: word,
      keywords: z.array(word).min(1),
      responseRule: z
        .string()
        .regex(/^ticket\.response\.[a-z0-9_]+$/, "须为 ticket.response.<来源> / a ticket.response.* rule key")
        .optional(),
      why,
    }),
  ),
});

const severeFile = z.strictObject({
  $comment: comment,
  severe: z
    .array(
      z
        .strictObject({
          canonical: word,
          weight: z.number().min(0).max(10),
          terms: z.array(word).default([]),
          patterns: z.array(regex).default([]),
          why,
        })
        .refine((e) => e.terms.length + e.patterns.length > 0, {
          message: "至少一个 term 或 pattern / at least one term or pattern",
        }),
    )
    .min(1),
});

// ---------- compiled lists ----------

type Kind =
  | "neutral"
  | "question"
  | "rating"
  | "sarcasm"
  | "flip"
  | "negative"
  | "positive"
  | "ambivalent"
  | "negator"
  | "intensifier"
  | "contrast";

/** On equal length the earlier kind wins: a shield beats what it shields, a sentiment word a modifier. */
const RANK: Record<Kind, number> = {
  neutral: 0,
  question: 1,
  rating: 2,
  sarcasm: 3,
  flip: 4,
  negative: 5,
  positive: 6,
  ambivalent: 7,
  negator: 8,
  intensifier: 9,
  contrast: 10,
};

/**
 * What a token does. `value`: signed weight for sentiment words, ratings and sarcasm; factor for negators
 * and intensifiers; praise for ambivalent words (with `mock`). `fixed`: negation does not flip it.
 */
type Token = { kind: Kind; value: number; mock: number; fixed: boolean };

type Entry<T> = { value: T; rank: number; order: number };
type Literal<T> = Entry<T> & { text: string };
type Pattern<T> = Entry<T> & { re: RegExp };

/** A longest-match dictionary: literals indexed by first character, patterns run once per text. */
type Lexicon<T> = { literals: Map<string, Literal<T>[]>; patterns: Pattern<T>[] };

type Hit<T> = { at: number; end: number; text: string; value: T };

type CompiledSeverity = { canonical: string; weight: number; literals: string[]; patterns: RegExp[] };

/** Compiled word lists; build with loadFeedbackLists. */
export type FeedbackLists = {
  readonly tokens: Lexicon<Token>;
  readonly thresholds: { positive: number; negative: number };
  readonly negatedComplaint: number;
  readonly contrastBefore: number;
  readonly quotes: ReadonlyMap<string, string>;
  readonly quoteFactor: number;
  readonly categories: Lexicon<number>;
  readonly categoryNames: readonly string[];
  readonly categoryWeights: readonly number[];
  readonly defaultCategory: string;
  readonly sources: readonly { info: FeedbackSource; keywords: readonly string[] }[];
  readonly sourceByKey: ReadonlyMap<string, FeedbackSource>;
  readonly severe: readonly CompiledSeverity[];
};

// ---------- loading ----------

/** How errors in these files name them. */
const WHAT = { zh: "反馈词表", en: "feedback list" };

class LexiconBuilder<T> {
  private readonly literals = new Map<string, Literal<T>[]>();
  private readonly patterns: Pattern<T>[] = [];
  private readonly seen = new Map<string, string>();
  private order = 0;

  constructor(private readonly file: string) {}

  /** A literal listed twice would silently let one entry shadow the other, so it is an error. */
  literal(term: string, value: T, rank: number, where: string): void {
    const text = normaliseFeedback(term);
    const first = text.charAt(0);
    const before = this.seen.get(text);
    if (before !== undefined) {
      throw new Error(
        `反馈词表重复词 / term listed twice in ${this.file}: 「${term}」（${before} 与 ${where} / in ${before} and ${where}）`,
      );
    }
    this.seen.set(text, where);
    const list = this.literals.get(first) ?? [];
    list.push({ text, value, rank, order: this.order++ });
    this.literals.set(first, list);
  }

  pattern(source: string, value: T, rank: number): void {
    // Lists are normalised like the text, so that a pattern may be written with full-width characters.
    this.patterns.push({ re: new RegExp(patternSource(source), "gu"), value, rank, order: this.order++ });
  }

  build(): Lexicon<T> {
    for (const list of this.literals.values()) list.sort(better);
    return { literals: this.literals, patterns: this.patterns };
  }
}

/** Longer first, then lower rank, then data-file order. */
function better<T>(a: Entry<T> & { text: string }, b: Entry<T> & { text: string }): number {
  return b.text.length - a.text.length || a.rank - b.rank || a.order - b.order;
}

/** Reads and validates the four list files; throws an Error naming the file on any problem. */
export function loadFeedbackLists(dir: string | URL = DEFAULT_DIR): FeedbackLists {
  const files = {
    sentiment: dataFilePath(dir, FEEDBACK_FILES.sentiment),
    categories: dataFilePath(dir, FEEDBACK_FILES.categories),
    sources: dataFilePath(dir, FEEDBACK_FILES.sources),
    severe: dataFilePath(dir, FEEDBACK_FILES.severe),
  };
  const s = readDataFile(files.sentiment, sentimentFile, WHAT);
  const c = readDataFile(files.categories, categoriesFile, WHAT);
  const src = readDataFile(files.sources, sourcesFile, WHAT);
  const sev = readDataFile(files.severe, severeFile, WHAT);

  const tokens = new LexiconBuilder<Token>(files.sentiment);
  const token = (kind: Kind, value: number, extra: Partial<Token> = {}): Token => ({
    kind,
    value,
    mock: 0,
    fixed: false,
    ...extra,
  });
  const add = (
    kind: Kind,
    where: string,
    e: { term?: string | undefined; pattern?: string | undefined },
    t: Token,
  ) => {
    if (e.term !== undefined) tokens.literal(e.term, t, RANK[kind], where);
    else if (e.pattern !== undefined) tokens.pattern(e.pattern, t, RANK[kind]);
  };

  for (const n of s.neutral)
    add("neutral", "neutral", typeof n === "string" ? { term: n } : n, token("neutral", 0));
  for (const q of s.questions.words) add("question", "questions", { term: q }, token("question", 0));
  for (const r of s.ratings) add("rating", "ratings", r, token("rating", r.score, { fixed: true }));
  for (const t of s.sarcasm.terms)
    add("sarcasm", "sarcasm.terms", t, token("sarcasm", -t.weight, { fixed: true }));
  for (const f of s.sarcasm.flips) add("flip", "sarcasm.flips", f, token("flip", -f.weight, { fixed: true }));
  for (const e of s.negative)
    add("negative", "negative", e, token("negative", -e.weight, { fixed: e.fixed ?? false }));
  for (const e of s.positive)
    add("positive", "positive", e, token("positive", e.weight, { fixed: e.fixed ?? false }));
  for (const a of s.sarcasm.ambivalent)
    add("ambivalent", "sarcasm.ambivalent", a, token("ambivalent", a.praise, { mock: a.mock }));
  for (const n of s.negators) add("negator", "negators", n, token("negator", n.factor));
  for (const i of s.intensifiers) add("intensifier", "intensifiers", i, token("intensifier", i.factor));
  for (const t of s.contrast.terms) add("contrast", "contrast", { term: t }, token("contrast", 0));

  const categories = new LexiconBuilder<number>(files.categories);
  c.categories.forEach((cat, index) => {
    for (const k of cat.keywords) categories.literal(k, index, 0, cat.name);
  });
  const names = c.categories.map((cat) => cat.name);
  if (new Set([...names, c.default]).size !== names.length + 1) {
    throw new Error(`反馈词表类别重名 / category named twice (or as the default) in ${files.categories}`);
  }

  const sources = src.sources.map((e) => ({
    info: {
      key: e.key,
      label: e.label,
      ...(e.responseRule === undefined ? {} : { responseRule: e.responseRule }),
    },
    keywords: e.keywords.map(normaliseFeedback),
  }));
  const sourceByKey = new Map<string, FeedbackSource>();
  for (const e of sources) {
    if (sourceByKey.has(e.info.key))
      throw new Error(`反馈词表来源重复 / source key listed twice in ${files.sources}: ${e.info.key}`);
    sourceByKey.set(e.info.key, e.info);
  }

  return {
    tokens: tokens.build(),
    thresholds: s.thresholds,
    negatedComplaint: s.negatedComplaint,
    contrastBefore: s.contrast.before,
    quotes: new Map(s.sarcasm.quotes.map((q) => [...normaliseFeedback(q)] as [string, string])),
    quoteFactor: s.sarcasm.quoteFactor,
    categories: categories.build(),
    categoryNames: names,
    categoryWeights: c.categories.map((cat) => cat.weight ?? 1),
    defaultCategory: c.default,
    sources,
    sourceByKey,
    severe: sev.severe.map((e) => ({
      canonical: e.canonical,
      weight: e.weight,
      literals: e.terms.map(normaliseFeedback),
      patterns: e.patterns.map((p) => new RegExp(patternSource(p), "u")),
    })),
  };
}

let defaults: FeedbackLists | undefined;

/** Lazily, so that importing this module never throws; a bad data file surfaces on the first ticket. */
function defaultLists(): FeedbackLists {
  defaults ??= loadFeedbackLists();
  return defaults;
}

/** The display label of a stored source key (weibo → 微博评论); an unknown key is shown as is. */
export function sourceLabel(key: string, lists: FeedbackLists = defaultLists()): string {
  return lists.sourceByKey.get(key)?.label ?? key;
}

// ---------- matching ----------

/** Left to right, the longest entry at each position (ties: rank, then file order); unmatched text is skipped. */
function scan<T>(text: string, lex: Lexicon<T>): Hit<T>[] {
  // Patterns run once over the whole text; their matches are then offered at their start positions.
  const fromPatterns = new Map<number, Pattern<T> & { end: number }>();
  for (const p of lex.patterns) {
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m !== null; m = p.re.exec(text)) {
      if (m[0] === "") {
        p.re.lastIndex += 1;
        continue;
      }
      const end = m.index + m[0].length;
      const had = fromPatterns.get(m.index);
      if (had === undefined || wins(end - m.index, p, had.end - m.index, had))
        fromPatterns.set(m.index, { ...p, end });
    }
  }
  const hits: Hit<T>[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { end: number; entry: Entry<T> } | undefined;
    for (const l of lex.literals.get(text.charAt(at)) ?? []) {
      if (text.startsWith(l.text, at)) {
        best = { end: at + l.text.length, entry: l }; // sorted: the first that fits is the best literal
        break;
      }
    }
    const p = fromPatterns.get(at);
    if (p !== undefined && (best === undefined || wins(p.end - at, p, best.end - at, best.entry))) {
      best = { end: p.end, entry: p };
    }
    if (best === undefined) {
      at += 1;
      continue;
    }
    hits.push({ at, end: best.end, text: text.slice(at, best.end), value: best.entry.value });
    at = best.end;
  }
  return hits;
}

function wins<T>(len: number, e: Entry<T>, otherLen: number, other: Entry<T>): boolean {
  return len > otherLen || (len === otherLen && (e.rank - other.rank || e.order - other.order) < 0);
}

/** Clause number of every position, and which clauses are questions by their closing “?”. */
function clauses(text: string): { of: Int32Array; asked: Set<number> } {
  const of = new Int32Array(text.length + 1);
  const asked = new Set<number>();
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    of[i] = n;
    const ch = text.charAt(i);
    if (CLAUSE_END.has(ch)) {
      if (ch === "?") asked.add(n);
      n += 1;
    }
  }
  of[text.length] = n;
  return { of, asked };
}

/** How far a negator reaches (不是我们想要的… no; 没有任何隐形消费 yes) and an intensifier (太TM差). */
const NEGATION_REACH = 3;
const INTENSITY_REACH = 1;
const MAX_INTENSITY = 2;

type Modifier = { at: number; end: number; clause: number; factor: number };
type Evidence = { at: number; clause: number; value: number; reason: string };

/** Characters between two positions, not counting spaces (“DM 全程看手机”). */
function gap(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charAt(i) !== " ") n += 1;
  return n;
}

function quoted(
  text: string,
  at: number,
  end: number,
  quotes: ReadonlyMap<string, string>,
): string | undefined {
  // Up to two characters of slack inside the quotes: “好”, “很专业”, ‘好的’.
  for (let open = at - 1; open >= Math.max(0, at - 3); open--) {
    const close = quotes.get(text.charAt(open));
    if (close === undefined) {
      if (CLAUSE_END.has(text.charAt(open))) return undefined;
      continue;
    }
    for (let i = end; i <= Math.min(text.length - 1, end + 2); i++) {
      if (text.charAt(i) === close) return text.slice(open, i + 1);
      if (CLAUSE_END.has(text.charAt(i))) return undefined;
    }
    return undefined;
  }
  return undefined;
}

const round = (n: number) => Math.round(n * 100) / 100 + 0; // + 0 turns -0 into 0

export function classifyFeedback(raw: string, lists: FeedbackLists = defaultLists()): Classification {
  const text = normaliseFeedback(raw);
  const { of: clauseOf, asked } = clauses(text);
  const hits = scan(text, lists.tokens);

  // A clause with a question word is a question too (有没有好玩的本推荐 / 几点开门).
  for (const h of hits) if (h.value.kind === "question") asked.add(clauseOf[h.at] ?? 0);

  const evidence: Evidence[] = [];
  const ambivalent: Hit<Token>[] = [];
  const contrasts: number[] = [];
  let negator: Modifier | undefined;
  let intensity: Modifier | undefined;
  let flip: { evidence: Evidence; text: string } | undefined;

  for (const h of hits) {
    const t = h.value;
    const clause = clauseOf[h.at] ?? 0;
    const reaches = (m: Modifier | undefined, reach: number): m is Modifier =>
      m !== undefined && m.clause === clause && gap(text, m.end, h.at) <= reach;
    if (flip !== undefined && flip.evidence.clause !== clause) flip = undefined;

    switch (t.kind) {
      case "neutral":
      case "question":
        continue;
      case "contrast":
        contrasts.push(h.at);
        continue;
      case "negator": {
        const chain = reaches(intensity, INTENSITY_REACH) ? intensity : undefined;
        negator = { at: chain?.at ?? h.at, end: h.end, clause, factor: t.value };
        if (chain) chain.end = h.end; // 一点都不坑: the intensifier reaches over the negator
        continue;
      }
      case "intensifier": {
        const chain = reaches(intensity, INTENSITY_REACH) ? intensity : undefined;
        intensity = chain
          ? { ...chain, end: h.end, factor: Math.min(MAX_INTENSITY, chain.factor * t.value) }
          : { at: h.at, end: h.end, clause, factor: t.value };
        if (reaches(negator, NEGATION_REACH)) negator.end = h.end; // 不是特别好
        continue;
      }
      case "ambivalent":
        ambivalent.push(h);
        continue;
      case "rating":
      case "sarcasm":
        evidence.push({ at: h.at, clause, value: t.value, reason: h.text });
        continue;
      case "flip": {
        const e = { at: h.at, clause, value: t.value, reason: h.text };
        evidence.push(e);
        flip = { evidence: e, text: h.text };
        continue;
      }
      case "positive":
      case "negative": {
        let value = t.value;
        let from = h.at;
        const intense = reaches(intensity, INTENSITY_REACH) ? intensity : undefined;
        const negated = reaches(negator, NEGATION_REACH) ? negator : undefined;
        negator = undefined;
        intensity = undefined;
        if (intense) {
          value *= intense.factor;
          from = Math.min(from, intense.at);
        }
        if (negated && !t.fixed) {
          value *= value > 0 ? -negated.factor : -negated.factor * lists.negatedComplaint;
          from = Math.min(from, negated.at);
        }
        let reason = text.slice(from, h.end);
        if (value > 0) {
          const inQuotes = quoted(text, h.at, h.end, lists.quotes);
          if (flip !== undefined) {
            // 好一个沉浸式体验: the marker and the praise it mocks become one piece of evidence.
            flip.evidence.value -= value;
            flip.evidence.reason = `${flip.text}…${h.text}（反讽）`;
            flip = undefined;
            continue;
          }
          if (inQuotes !== undefined) {
            value = -value * lists.quoteFactor;
            reason = `${inQuotes}（反讽）`;
          } else if (asked.has(clause)) {
            continue; // praise words inside a question ask about, not give, praise
          }
        }
        evidence.push({ at: from, clause, value, reason });
        continue;
      }
    }
  }

  // Severe terms: overlapping search (a phrase like 孩子…受伤 and 受伤 itself both count).
  const severe: { at: number; canonical: string }[] = [];
  for (const s of lists.severe) {
    let first: { at: number; text: string } | undefined;
    for (const l of s.literals) {
      const at = text.indexOf(l);
      if (at >= 0 && (first === undefined || at < first.at)) first = { at, text: l };
    }
    for (const re of s.patterns) {
      const m = re.exec(text);
      if (m !== null && (first === undefined || m.index < first.at)) first = { at: m.index, text: m[0] };
    }
    if (first === undefined) continue;
    severe.push({ at: first.at, canonical: s.canonical });
    if (s.weight > 0)
      evidence.push({ at: first.at, clause: clauseOf[first.at] ?? 0, value: -s.weight, reason: first.text });
  }
  severe.sort((a, b) => a.at - b.at);

  // Ambivalent praise (绝了, 厉害了) mocks when the rest of the message complains.
  const complaint = evidence.reduce((sum, e) => sum + Math.min(0, e.value), 0) <= -1;
  for (const h of ambivalent) {
    const clause = clauseOf[h.at] ?? 0;
    const inQuotes = quoted(text, h.at, h.end, lists.quotes);
    if (complaint || inQuotes !== undefined) {
      evidence.push({ at: h.at, clause, value: -h.value.mock, reason: `${inQuotes ?? h.text}（反讽）` });
    } else if (h.value.value > 0 && !asked.has(clause)) {
      evidence.push({ at: h.at, clause, value: h.value.value, reason: h.text });
    }
  }

  // Before a 但是 / 不过 counts less: the point of the message follows it.
  const lastContrast = contrasts.length === 0 ? -1 : Math.max(...contrasts);
  let score = 0;
  const perClause = new Map<number, number>();
  for (const e of evidence) {
    if (e.at < lastContrast) e.value *= lists.contrastBefore;
    score += e.value;
    perClause.set(e.clause, (perClause.get(e.clause) ?? 0) + e.value);
  }
  score = round(score);
  const sentiment: Sentiment =
    score >= lists.thresholds.positive
      ? "positive"
      : score <= lists.thresholds.negative
        ? "negative"
        : "neutral";

  const reasons = [
    ...new Set(
      evidence
        .filter((e) => round(e.value) !== 0)
        .sort((a, b) => a.at - b.at)
        .map((e) => e.reason),
    ),
  ];

  const result: Classification = {
    sentiment,
    score,
    reasons,
    category: category(text, clauseOf, perClause, sentiment, lists),
    severe: severe.map((s) => s.canonical),
  };
  const source = lists.sources.find((s) => s.keywords.some((k) => text.includes(k)));
  if (source !== undefined) result.source = { ...source.info };
  return result;
}

/**
 * The category with the most keyword hits; a hit in a clause that carries the message's sentiment counts
 * triple, so “剧本挺好的，但DM太敷衍” is about the DM. Ties go to the data-file order.
 */
function category(
  text: string,
  clauseOf: Int32Array,
  perClause: ReadonlyMap<number, number>,
  sentiment: Sentiment,
  lists: FeedbackLists,
): string {
  const sign = sentiment === "positive" ? 1 : sentiment === "negative" ? -1 : 0;
  const scores = new Array<number>(lists.categoryNames.length).fill(0);
  for (const h of scan(text, lists.categories)) {
    const inClause = perClause.get(clauseOf[h.at] ?? 0) ?? 0;
    const aligned = sign !== 0 && Math.sign(inClause) === sign;
    scores[h.value] = (scores[h.value] ?? 0) + (aligned ? 3 : 1);
  }
  let best = -1;
  let bestScore = 0;
  scores.forEach((s, i) => {
    const weighted = s * (lists.categoryWeights[i] ?? 1);
    if (weighted > bestScore) {
      best = i;
      bestScore = weighted;
    }
  });
  return lists.categoryNames[best] ?? lists.defaultCategory;
}
