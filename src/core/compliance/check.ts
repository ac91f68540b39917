import { pathToFileURL } from "node:url";
import { prepare } from "../text/prepare.ts";
import { addWords } from "../text/segment.ts";
import { original } from "../text/view.ts";
import { AbsoluteRules } from "./absolute.ts";
import { CategoryRules } from "./categories.ts";
import { Context } from "./context.ts";
import { type ComplianceData, readComplianceData } from "./data.ts";
import type { Hit } from "./hit.ts";
import { ComplianceModel } from "./model.ts";

/**
 * 合规预审 (seeds/000 第八条(一)4–5): what a careful reviewer would send back, as findings for the card.
 * Findings are advice and force the 合规审核 step; they never block a submission. All the judgement is
 * in policy/compliance/*.json and policy/text/; this file only runs the rules and words the findings.
 */

export type Finding = {
  /** Internal key (absolute, vulgar, …, ad_label); never shown to people. */
  category: string;
  /** The category as people read it: 绝对化用语, 低俗色情 … */
  label: string;
  /** The article or policy clause the finding rests on. */
  clause: string;
  /** The words as written in the draft (with the spaces or emoji someone put inside them). */
  term?: string;
  suggestion: string;
  /** One Chinese line, ready for a card. */
  message: string;
};

export type ComplianceDraft = { title: string; body: string; isAd: boolean };

export type ComplianceRules = {
  readonly absolute: AbsoluteRules;
  readonly categories: CategoryRules;
  readonly data: ComplianceData;
  readonly labels: ReadonlyMap<string, { label: string; clause: string; suggestion: string }>;
  readonly model: ComplianceModel | undefined;
};

// Text pasted from traditional-character sources writes 廣告; normalisation folds it to 广告.
const AD_LABEL = "广告";
const AD = {
  label: "广告标识",
  clause: "《广告法》第十四条",
  suggestion: "在正文中标明“广告”字样",
};

export function loadComplianceRules(dir?: string | URL): ComplianceRules {
  const data = readComplianceData(dir);
  const absolute = new AbsoluteRules(data.absolute);
  addWords(absolute.words());
  const labels = new Map([
    [
      "absolute",
      { label: "绝对化用语", clause: data.absolute.clause, suggestion: "删除绝对化说法，改为如实描述" },
    ],
    ["ad_label", { label: AD.label, clause: AD.clause, suggestion: AD.suggestion }],
    ...data.categories.categories.map(
      (c) => [c.key, { label: c.name, clause: c.clause, suggestion: c.suggestion }] as const,
    ),
  ]);
  const model = ComplianceModel.load(dir === undefined ? undefined : new URL("model.json", toDirUrl(dir)));
  return { absolute, categories: new CategoryRules(data.categories.categories), data, labels, model };
}

let defaults: ComplianceRules | undefined;

/** Lazily, so that importing never throws; start-up calls it once so a bad file stops the bot early. */
export function defaultComplianceRules(): ComplianceRules {
  defaults ??= loadComplianceRules();
  return defaults;
}

/** The Chinese name of a finding category, for reports (older findings carry “violation”). */
export function findingLabel(category: string): string {
  if (category === "violation") return "违规内容";
  return defaultComplianceRules().labels.get(category)?.label ?? "其他";
}

function toDirUrl(dir: string | URL): URL {
  if (dir instanceof URL) return dir;
  return pathToFileURL(dir.endsWith("/") ? dir : `${dir}/`);
}

export function checkCompliance(
  draft: ComplianceDraft,
  rules = defaultComplianceRules(),
  opts: { model?: boolean } = {},
): Finding[] {
  // Joined with a newline so that no term can straddle the title and the body.
  const p = prepare(`${draft.title}\n${draft.body}`);
  const ctx = new Context(p, rules.data.context);
  const text = p.canon.text;
  let hits = [...rules.absolute.find(text, p.words, ctx), ...rules.categories.find(text, p.words, ctx)];
  const model = opts.model === false ? undefined : rules.model;
  if (model !== undefined) {
    const { any, categories } = model.predict(p);
    const { veto, alone, minChars } = model.thresholds;
    // A post that reads as clean overall keeps only unambiguous rule findings (全市最多, with its scope).
    if (any <= veto) hits = hits.filter((h) => h.strong === true);
    if (hits.length === 0 && any > alone && text.length >= minChars) {
      const hit = modelHit(model, p, categories(), rules);
      if (hit !== undefined) hits = [hit];
    }
  }
  const findings: Finding[] = merge(text, hits).map(({ hit, count }) => {
    const words = original(p.raw, p.canon, hit.start, hit.end).trim();
    const info = rules.labels.get(hit.category) ?? { label: "其他", clause: "" };
    const times = count > 1 ? `（出现 ${count} 次）` : "";
    return {
      category: hit.category,
      label: info.label,
      clause: info.clause,
      term: words,
      suggestion: hit.suggestion,
      message: hit.byModel
        ? `「${words}」读来${advice(hit.category, info, hit.suggestion).replace(/^属于|^涉嫌/, "可能涉及")}（整体判断，没有命中具体词句，请审核人确认）`
        : `「${words}」${times}${advice(hit.category, info, hit.suggestion)}`,
    };
  });
  if (draft.isAd && !p.norm.text.includes(AD_LABEL)) {
    // Item-level, so it leads the list rather than sitting at a text position.
    findings.unshift({
      category: "ad_label",
      label: AD.label,
      clause: AD.clause,
      suggestion: AD.suggestion,
      message: `标记为 #广告 的内容需标注“广告”字样（${AD.clause}：广告应当具有可识别性）。建议：${AD.suggestion}`,
    });
  }
  return findings;
}

/** When only the model flags a post: the likeliest category, pointed at its weightiest sentence. */
function modelHit(
  model: ComplianceModel,
  p: ReturnType<typeof prepare>,
  probs: ReadonlyMap<string, number>,
  rules: ComplianceRules,
): Hit | undefined {
  const [top] = [...probs].sort((a, b) => b[1] - a[1]);
  // Alone, the model must also name a category with some confidence (short texts are overconfident).
  if (top === undefined || top[1] < model.thresholds.category) return undefined;
  const category = top[0];
  const [start, end] = model.strongestSentence(p, category);
  const suggestion = rules.labels.get(category)?.suggestion ?? "";
  return { category, start, end: Math.min(end, start + 40), suggestion, byModel: true };
}

/** A replacement word is offered as one (建议改为「较好」); advice in a sentence is quoted as advice. */
function advice(category: string, info: { label: string; clause: string }, suggestion: string): string {
  const replacement =
    category === "absolute" && !/[，。；、“”（）]/.test(suggestion) && suggestion.length <= 6;
  const what = category === "absolute" ? `属于${info.label}` : `涉嫌${info.label}`;
  return `${what}（${info.clause}），${replacement ? `建议改为「${suggestion}」` : `建议：${suggestion}`}`;
}

/**
 * Overlapping hits of one category become the longest; the same words twice become one finding with a
 * count; findings are in text order.
 */
function merge(text: string, hits: readonly Hit[]): { hit: Hit; count: number }[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  for (const h of sorted) {
    const covered = kept.some((k) => k.category === h.category && k.start <= h.start && h.end <= k.end);
    if (!covered) kept.push(h);
  }
  const out: { hit: Hit; count: number }[] = [];
  const seen = new Map<string, { hit: Hit; count: number }>();
  for (const h of kept) {
    const key = `${h.category}\u0000${text.slice(h.start, h.end)}`;
    const had = seen.get(key);
    if (had !== undefined) had.count += 1;
    else {
      const e = { hit: h, count: 1 };
      seen.set(key, e);
      out.push(e);
    }
  }
  return out;
}
