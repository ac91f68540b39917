import { dataFilePath, readDataFile } from "../../data-file.ts";
import { categoriesFile, type KINDS, sentimentFile, severeFile, sourcesFile } from "./schema.ts";
import { anyOf, type Lexicon, LexiconBuilder, normaliseFeedback, patternSource } from "./text.ts";

/**
 * The four word-list files of policy/feedback/, read, checked and compiled once: every RegExp and
 * dictionary is built here, so that classifying a message allocates little.
 */

export const FEEDBACK_FILES = {
  sentiment: "sentiment.json",
  categories: "categories.json",
  sources: "sources.json",
  severe: "severe.json",
} as const;

const DEFAULT_DIR = new URL("../../../../policy/feedback/", import.meta.url);

export type Kind = (typeof KINDS)[number];

export type TokenKind =
  | "neutral"
  | "question"
  | "rhetorical"
  | "request"
  | "rating"
  | "sarcasm"
  | "flip"
  | "negative"
  | "positive"
  | "ambivalent"
  | "negator"
  | "postNegator"
  | "intensifier"
  | "contrast"
  | "contrastStart";

/** On equal length the earlier kind wins: a shield beats what it shields, a sentiment word a modifier. */
const RANK: Record<TokenKind, number> = {
  neutral: 0,
  question: 1,
  rhetorical: 1,
  request: 2,
  rating: 3,
  sarcasm: 4,
  flip: 5,
  negative: 6,
  positive: 7,
  ambivalent: 8,
  negator: 9,
  postNegator: 10,
  intensifier: 11,
  contrast: 12,
  contrastStart: 13,
};

/**
 * What a token does. `value`: signed weight for sentiment words, ratings and sarcasm; factor for negators
 * and intensifiers; praise for ambivalent words (with `mock`). `fixed`: negation does not flip it.
 */
export type Token = {
  kind: TokenKind;
  value: number;
  mock: number;
  fixed: boolean;
  ask: boolean;
  polite: boolean;
  mid: boolean;
};

export type FeedbackSource = { key: string; label: string; responseRule?: string };

export type Cue = {
  literals: RegExp | undefined;
  patterns: RegExp[];
  with: { literals: RegExp | undefined; patterns: RegExp[]; window: number; windowAfter: number } | undefined;
  firm: boolean;
};

export type SevereClass = { key: string; name: string; weight: number; cues: Cue[] };

export type Filter = {
  name: string;
  scope: "clause" | "sentence" | "message";
  before: RegExp | undefined;
  after: RegExp | undefined;
  anywhere: RegExp | undefined;
  reach: number | undefined;
  quoted: boolean;
  perfective: boolean;
  when: "positive" | "notNegative" | undefined;
  atLeast: number;
  unless: RegExp | undefined;
  spareFirm: boolean;
  only: ReadonlySet<string> | undefined;
};

export type Platform = {
  key: string;
  label: string;
  messageLabel: string | undefined;
  colonKind: Kind | undefined;
};

/** Compiled word lists; build with loadFeedbackLists. */
export type FeedbackLists = {
  readonly tokens: Lexicon<Token>;
  readonly thresholds: { positive: number; negative: number };
  readonly negatedComplaint: number;
  readonly askedComplaint: number;
  readonly polite: RegExp | undefined;
  readonly contrastBefore: number;
  readonly quotes: ReadonlyMap<string, string>;
  readonly quoteFactor: number;
  readonly categories: Lexicon<number>;
  readonly categoryNames: readonly string[];
  readonly categoryWeights: readonly number[];
  readonly defaultCategory: string;
  readonly platforms: readonly Platform[];
  /** Platform names (value: index into platforms) and kind words (value: the kind), one dictionary. */
  readonly sourceWords: Lexicon<{ platform: number } | { kind: Kind }>;
  readonly kindLabels: ReadonlyMap<Kind, string>;
  readonly kindReach: number;
  readonly mention: { before: RegExp | undefined; after: RegExp | undefined; reach: number };
  readonly responseRules: readonly { platform?: string; kind?: Kind; responseRule: string }[];
  readonly sourceByKey: ReadonlyMap<string, FeedbackSource>;
  readonly severe: readonly SevereClass[];
  readonly filters: readonly Filter[];
};

/** How errors in these files name them. */
const WHAT = { zh: "反馈词表", en: "feedback list" };

const compile = (p: string) => new RegExp(patternSource(p), "gu");

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
  const token = (kind: TokenKind, value: number, extra: Partial<Token> = {}): Token => ({
    kind,
    value,
    mock: 0,
    fixed: false,
    ask: false,
    polite: false,
    mid: false,
    ...extra,
  });
  const add = (
    kind: TokenKind,
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
  for (const r of s.questions.rhetorical)
    add("rhetorical", "questions.rhetorical", r, token("rhetorical", -r.weight, { fixed: true }));
  for (const q of s.requests.words) add("request", "requests", { term: q }, token("request", 0));
  for (const r of s.ratings)
    add("rating", "ratings", r, token("rating", r.mid ? 0 : r.score, { fixed: true, mid: r.mid ?? false }));
  for (const t of s.sarcasm.terms)
    add("sarcasm", "sarcasm.terms", t, token("sarcasm", -t.weight, { fixed: true }));
  for (const f of s.sarcasm.flips) add("flip", "sarcasm.flips", f, token("flip", -f.weight, { fixed: true }));
  for (const e of s.negative) {
    const extra = { fixed: e.fixed ?? false, ask: e.ask ?? false };
    add("negative", "negative", e, token("negative", -e.weight, extra));
  }
  for (const e of s.positive) {
    const extra = { fixed: e.fixed ?? false, polite: e.polite ?? false };
    add("positive", "positive", e, token("positive", e.weight, extra));
  }
  for (const a of s.sarcasm.ambivalent)
    add("ambivalent", "sarcasm.ambivalent", a, token("ambivalent", a.praise, { mock: a.mock }));
  for (const n of s.negators) {
    const kind = n.after ? "postNegator" : "negator";
    add(kind, "negators", n, token(kind, n.factor));
  }
  for (const i of s.intensifiers) add("intensifier", "intensifiers", i, token("intensifier", i.factor));
  for (const t of s.contrast.terms) add("contrast", "contrast", { term: t }, token("contrast", 0));
  for (const t of s.contrast.clauseStart)
    add("contrastStart", "contrast.clauseStart", { term: t }, token("contrastStart", 0));

  const categories = new LexiconBuilder<number>(files.categories);
  c.categories.forEach((cat, index) => {
    for (const k of cat.keywords) categories.literal(k, index, 0, cat.name);
  });
  const names = c.categories.map((cat) => cat.name);
  if (new Set([...names, c.default]).size !== names.length + 1) {
    throw new Error(`反馈词表类别重名 / category named twice (or as the default) in ${files.categories}`);
  }

  return {
    tokens: tokens.build(),
    thresholds: s.thresholds,
    negatedComplaint: s.negatedComplaint,
    askedComplaint: s.questions.complaintFactor,
    polite: anyOf(s.questions.polite),
    contrastBefore: s.contrast.before,
    quotes: new Map(s.sarcasm.quotes.map((q) => [...normaliseFeedback(q)] as [string, string])),
    quoteFactor: s.sarcasm.quoteFactor,
    categories: categories.build(),
    categoryNames: names,
    categoryWeights: c.categories.map((cat) => cat.weight ?? 1),
    defaultCategory: c.default,
    ...compileSources(src, files.sources),
    ...compileSevere(sev, files.severe),
  };
}

type SourcesFile = ReturnType<typeof sourcesFile.parse>;

function compileSources(src: SourcesFile, file: string) {
  const words = new LexiconBuilder<{ platform: number } | { kind: Kind }>(file);
  src.platforms.forEach((p, i) => {
    for (const k of p.keywords) words.literal(k, { platform: i }, 0, p.key);
  });
  for (const k of src.kinds) for (const w of k.keywords) words.literal(w, { kind: k.key }, 1, k.key);
  const platforms = src.platforms.map((p) => ({
    key: p.key,
    label: p.label,
    messageLabel: p.messageLabel,
    colonKind: p.colonKind,
  }));
  const kindLabels = new Map(src.kinds.map((k) => [k.key, k.label] as [Kind, string]));
  const responseRules = src.rules.map((r) => ({
    ...(r.platform === undefined ? {} : { platform: r.platform }),
    ...(r.kind === undefined ? {} : { kind: r.kind }),
    responseRule: r.responseRule,
  }));
  for (const r of responseRules) {
    if (r.platform !== undefined && !platforms.some((p) => p.key === r.platform))
      throw new Error(
        `反馈词表来源规则指向未知平台 / rule names an unknown platform in ${file}: ${r.platform}`,
      );
  }
  const sourceByKey = new Map<string, FeedbackSource>();
  const put = (platform: Platform | undefined, kind: Kind | undefined) => {
    const info = describeSource(platform, kind, kindLabels, responseRules);
    if (info !== undefined) sourceByKey.set(info.key, info);
  };
  for (const p of platforms) {
    if (sourceByKey.has(p.key))
      throw new Error(`反馈词表来源重复 / source key listed twice in ${file}: ${p.key}`);
    put(p, undefined);
    for (const k of kindLabels.keys()) put(p, k);
  }
  for (const k of kindLabels.keys()) put(undefined, k);
  return {
    platforms,
    sourceWords: words.build(),
    kindLabels,
    kindReach: src.kindReach,
    mention: { before: anyOf(src.mention.before), after: anyOf(src.mention.after), reach: src.mention.reach },
    responseRules,
    sourceByKey,
  };
}

/**
 * The ticket's source: key (stored), label (shown) and the response rule. 抖音 + 私信 is douyin_message,
 * 抖音私信, 2 hours; a bare platform keeps its own key (weibo, 微博), a bare kind too (message, 私信).
 */
export function describeSource(
  platform: Platform | undefined,
  kind: Kind | undefined,
  kindLabels: ReadonlyMap<Kind, string>,
  rules: FeedbackLists["responseRules"],
): FeedbackSource | undefined {
  if (platform === undefined && kind === undefined) return undefined;
  const kindLabel =
    kind === undefined
      ? ""
      : ((kind === "message" ? platform?.messageLabel : undefined) ?? kindLabels.get(kind) ?? "");
  const key = [platform?.key, kind].filter((k) => k !== undefined).join("_");
  const label = `${platform?.label ?? ""}${kindLabel}`;
  const rule = rules.find(
    (r) =>
      (r.platform === undefined || r.platform === platform?.key) && (r.kind === undefined || r.kind === kind),
  );
  return { key, label, ...(rule === undefined ? {} : { responseRule: rule.responseRule }) };
}

type SevereFile = ReturnType<typeof severeFile.parse>;

function compileSevere(sev: SevereFile, file: string) {
  const keys = new Set<string>();
  const severe = sev.classes.map((k) => {
    if (keys.has(k.key)) throw new Error(`反馈词表严重情况重复 / class listed twice in ${file}: ${k.key}`);
    keys.add(k.key);
    return {
      key: k.key,
      name: k.name,
      weight: k.weight,
      cues: k.cues.map((cue) => ({
        literals: anyOf(cue.terms),
        patterns: cue.patterns.map(compile),
        with:
          cue.with === undefined
            ? undefined
            : {
                literals: anyOf(cue.with.terms),
                patterns: cue.with.patterns.map(compile),
                window: cue.with.window,
                windowAfter: cue.with.windowAfter ?? cue.with.window,
              },
        firm: cue.firm ?? false,
      })),
    };
  });
  const filters = sev.filters.map((f) => ({
    name: f.name,
    scope: f.scope,
    before: anyOf(f.before),
    after: anyOf(f.after),
    anywhere: anyOf(f.anywhere),
    reach: f.reach,
    quoted: f.quoted ?? false,
    perfective: f.perfective ?? false,
    when: f.when,
    atLeast: f.atLeast ?? 0,
    unless: anyOf(f.unless),
    spareFirm: f.spareFirm ?? false,
    only: f.only === undefined ? undefined : new Set(f.only),
  }));
  return { severe, filters };
}

let defaults: FeedbackLists | undefined;

/** Lazily, so that importing this module never throws; a bad data file surfaces on the first ticket. */
export function defaultLists(): FeedbackLists {
  defaults ??= loadFeedbackLists();
  return defaults;
}

/** The display label of a stored source key (douyin_message → 抖音私信); an unknown key is shown as is. */
export function sourceLabel(key: string, lists: FeedbackLists = defaultLists()): string {
  return lists.sourceByKey.get(key)?.label ?? key;
}
