import type { Token } from "../text/segment.ts";
import type { Context } from "./context.ts";
import type { AbsoluteData } from "./data.ts";
import { type Hit, latinBounded, TermIndex } from "./hit.ts";

/**
 * 绝对化用语 (《广告法》第九条(三)) read word by word: jieba has already made 最后, 第一次 and 唯一的线索
 * words of their own. Three shapes: 最 + the next word (最好玩, 最烧脑), a listed term (第一, 顶级,
 * 天花板, 没有之一, No.1) and a scope word before either (全市最多: scope makes even an objective 最多 a
 * claim). Story, title and question contexts are then applied by the caller's Context.
 */

const KEY = "absolute";

type Term = {
  term: string;
  suggestion: string;
  benignAfter: readonly string[];
  benignBefore: readonly string[];
  benignIfAlso: readonly string[];
};

export class AbsoluteRules {
  private readonly terms: TermIndex<Term>;
  private readonly latin: TermIndex<Term>;
  private readonly scopes: ReadonlySet<string>;
  private readonly special: ReadonlyMap<string, string>;
  private readonly compounds: ReadonlySet<string>;
  private readonly hanThenNumber: RegExp;

  constructor(private readonly data: AbsoluteData) {
    const entry = (t: {
      term: string;
      suggestion: string;
      benignAfter?: string[] | undefined;
      benignBefore?: string[] | undefined;
      benignIfAlso?: string[] | undefined;
    }) => ({
      term: t.term.toLowerCase(),
      value: {
        term: t.term,
        suggestion: t.suggestion,
        benignAfter: t.benignAfter ?? [],
        benignBefore: t.benignBefore ?? [],
        benignIfAlso: t.benignIfAlso ?? [],
      },
    });
    this.terms = new TermIndex([...data.terms, ...data.phrases].map(entry));
    this.latin = new TermIndex(data.latin.map(entry));
    this.scopes = new Set(data.scopes);
    this.special = new Map(Object.entries(data.superlative.special));
    this.compounds = new Set(data.compounds);
    // 最低消费1200元, 最多可容纳12人: a limit stated with its number a few words on.
    this.hanThenNumber = new RegExp(
      `^\\p{Script=Han}{0,${data.superlative.objective.hanBefore}}[0-9一二两三四五六七八九十百千万几半]`,
      "u",
    );
  }

  /** Words a segmenter must keep whole for these rules to see them. */
  words(): string[] {
    return [...this.data.compounds, ...this.data.terms.map((t) => t.term), ...this.data.scopes];
  }

  find(text: string, words: readonly Token[], ctx: Context): Hit[] {
    const hits: Hit[] = [];
    const tokenAt = new Int32Array(text.length).fill(-1);
    words.forEach((w, i) => {
      tokenAt.fill(i, w.start, w.end);
    });

    words.forEach((w, i) => {
      if (this.compounds.has(w.text)) return;
      const hit = this.superlative(text, words, i);
      if (hit !== undefined) hits.push(hit);
    });
    this.terms.scan(text, (start, end, t) => {
      const token = words[tokenAt[start] ?? -1];
      if (token !== undefined && this.compounds.has(token.text)) return;
      // Only at the start of a word (统一流程 is not 一流), or right after a scope inside one (全国第一).
      const lead = token === undefined ? "" : text.slice(token.start, start);
      if (lead !== "" && !this.scopes.has(lead) && !t.term.startsWith(lead)) return;
      const rest = text.slice(end, end + 8);
      if (t.benignAfter.some((b) => rest.startsWith(b))) return;
      // 我们的第一家店 is an ordinal of our own; 五角场第一家 is a claim about everyone else.
      const lead8 = text.slice(Math.max(0, start - 8), start);
      if (t.benignBefore.some((b) => lead8.endsWith(b))) return;
      hits.push({ category: KEY, start, end, suggestion: t.suggestion });
    });
    this.latin.scan(text, (start, end, t) => {
      const rest = text.slice(end, end + 12).trimStart();
      if (t.benignAfter.some((b) => rest.startsWith(b))) return; // best friend
      if (t.benignIfAlso.some((b) => text.includes(b))) return; // No.1 管家 … No.2 小姐: a list
      if (latinBounded(text, start, end)) hits.push({ category: KEY, start, end, suggestion: t.suggestion });
    });
    return hits.map((h) => this.scoped(text, words, tokenAt, h)).filter((h) => this.stands(h, ctx));
  }

  /** 最 + the word after it, or a word that begins with 最 (最好, 最强). */
  private superlative(text: string, words: readonly Token[], i: number): Hit | undefined {
    const s = this.data.superlative;
    const w = words[i];
    if (w === undefined || !w.text.startsWith(s.marker)) return undefined;
    let x = w.text.slice(s.marker.length);
    let end = w.end;
    if (x === "") {
      const next = words[i + 1];
      if (next === undefined || !/^[\p{Script=Han}a-z]/u.test(next.text)) return undefined;
      x = next.text;
      end = next.end;
    }
    const after = text.slice(end, end + 6);
    const scoped = this.scopes.has(words[i - 1]?.text ?? "");
    if (!scoped) {
      if (s.benign.some((b) => x.startsWith(b))) return undefined;
      const o = s.objective.words.find((w) => x.startsWith(w));
      if (o !== undefined && this.hanThenNumber.test(x.slice(o.length) + text.slice(end, end + 10)))
        return undefined;
      if (s.adverb.words.includes(x) && s.adverb.before.some((v) => after.startsWith(v))) return undefined;
      if (s.benignFollowers.some((f) => after.startsWith(f))) return undefined; // 最难的是…
      const lead = text.slice(Math.max(0, w.start - 4), w.start);
      if (s.benignBefore.some((b) => lead.includes(b))) return undefined; // 被问得最多, 谁胆子最大
    }
    // special maps the start of X: 好 → 较好, so 最好玩 becomes 较好玩 and 最好 becomes 较好.
    const lead = [...this.special.keys()].find((k) => x.startsWith(k));
    const suggestion =
      lead === undefined
        ? s.suggestion.replace("{X}", x)
        : `${this.special.get(lead)}${x.slice(lead.length)}`;
    return { category: KEY, start: w.start, end, suggestion };
  }

  /** A scope word right before the hit joins it and makes it unambiguous (全市最多, 行业第一). */
  private scoped(text: string, words: readonly Token[], tokenAt: Int32Array, h: Hit): Hit {
    const i = tokenAt[h.start] ?? -1;
    const own = words[i];
    if (own !== undefined && own.start < h.start && this.scopes.has(text.slice(own.start, h.start)))
      return { ...h, start: own.start, strong: true };
    const prev = words[i - 1];
    if (own?.start === h.start && prev !== undefined && this.scopes.has(prev.text))
      return { ...h, start: prev.start, strong: true };
    return h;
  }

  /** 本场‘最佳侦探’, 最佳推理奖: the name of a prize the store gives players, not a claim. */
  private award(ctx: Context, h: Hit): boolean {
    const { before, after } = this.data.award;
    // Right before it (拿下本场‘最佳侦探’), not merely near: 本周末最好玩 is no prize.
    const lead = ctx.before(h.start, 8).replace(/[「“‘"']$/, "");
    const next = ctx.after(h.end, 6).replace(/^[”’"'」]/, "");
    return (
      before.some((w) => lead.endsWith(w)) ||
      after.some((w) => next.startsWith(w) || next.startsWith(`的${w}`))
    );
  }

  private stands(h: Hit, ctx: Context): boolean {
    if (ctx.exempt(KEY, "titles") && ctx.inTitle(h.start)) return false;
    if (h.strong) return true;
    if (this.award(ctx, h)) return false;
    if (ctx.exempt(KEY, "question") && ctx.inQuestion(h.start)) return false;
    return !(ctx.exempt(KEY, "story") && ctx.storyAround(h.start, h.end));
  }
}
