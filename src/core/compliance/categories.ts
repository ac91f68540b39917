import { pinyin } from "pinyin-pro";
import type { Token } from "../text/segment.ts";
import type { Context } from "./context.ts";
import type { CategoryData } from "./data.ts";
import { type Hit, TermIndex } from "./hit.ts";

/**
 * The violation categories (低俗色情, 暴力恐怖, 歧视, 诋毁同行, 侵权, 赌博, 未成年人, 虚假承诺, 个人信息):
 * terms, patterns and “A near B” pairs from categories.json, matched on the canonical text, then
 * dropped where context.json says the words are said to rule them out (禁止赌博, 谢绝未成年人), inside
 * a title, or (个人信息) where the number is the store's own booking line.
 */
export class CategoryRules {
  private readonly terms: TermIndex<CategoryData>;
  private readonly patterns: { re: RegExp; cat: CategoryData; strict: boolean }[];
  /** Han terms spelled out in pinyin (dian zi ban, dubo): toneless syllables, joined. */
  private readonly spelled: { key: string; cat: CategoryData }[];

  constructor(private readonly categories: readonly CategoryData[]) {
    this.terms = new TermIndex(
      categories.flatMap((c) => c.terms.map((t) => ({ term: t.toLowerCase(), value: c }))),
    );
    this.spelled = categories.flatMap((c) =>
      [...c.terms, ...c.spelled]
        .filter((t) => /^\p{Script=Han}{2,}$/u.test(t))
        .map((t) => ({ key: pinyin(t, { toneType: "none", type: "array" }).join(""), cat: c }))
        .filter((s) => s.key.length >= 5),
    );
    this.patterns = categories.flatMap((c) => [
      ...c.patterns.map((p) => ({ re: new RegExp(p, "gu"), cat: c, strict: false })),
      ...c.strictPatterns.map((p) => ({ re: new RegExp(p, "gu"), cat: c, strict: true })),
    ]);
  }

  find(text: string, words: readonly Token[], ctx: Context): Hit[] {
    const hits: { hit: Hit; cat: CategoryData; strict: boolean }[] = [];
    const add = (cat: CategoryData, start: number, end: number, strict = false) =>
      hits.push({ hit: { category: cat.key, start, end, suggestion: cat.suggestion }, cat, strict });

    // A listed word counts where a word begins: 认真打磨 holds no 真打, 操作 no 操.
    const starts = new Set(words.map((w) => w.start));
    this.terms.scan(text, (start, end, cat) => {
      if (starts.has(start)) add(cat, start, end);
    });
    for (const { re, cat, strict } of this.patterns) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        if (m[0] === "") re.lastIndex += 1;
        else add(cat, m.index, m.index + m[0].length, strict);
      }
    }
    // A Latin run (spaces inside allowed) that spells a listed term in pinyin: 需要 dian zi ban 的私我.
    for (const m of text.matchAll(LATIN_RUN)) {
      const joined = m[0].replaceAll(" ", "");
      const found = this.spelled.find((s) => joined.includes(s.key));
      if (found !== undefined) add(found.cat, m.index, m.index + m[0].length);
    }
    for (const cat of this.categories)
      for (const near of cat.near) for (const [s, e] of pairs(text, near)) add(cat, s, e);

    return hits.filter((h) => h.strict || this.stands(text, h.hit, h.cat, ctx)).map(({ hit }) => hit);
  }

  private stands(text: string, h: Hit, cat: CategoryData, ctx: Context): boolean {
    if (ctx.exempt(cat.key, "titles") && ctx.inTitle(h.start)) return false;
    if (ctx.exempt(cat.key, "prohibition") && ctx.prohibited(h.start, h.end)) return false;
    const words = text.slice(h.start, h.end);
    if (ctx.exempt(cat.key, "scene") && cat.sceneTerms.includes(words) && ctx.inScene()) return false;
    if (cat.ownContact !== undefined) {
      const { window, words: own, personal } = cat.ownContact;
      const around = ctx.before(h.start, window) + ctx.after(h.end, window);
      const wider = text.slice(Math.max(0, h.start - 40), h.end + 40);
      if (own.some((w) => around.includes(w)) && !personal.some((w) => wider.includes(w))) return false;
    }
    return true;
  }
}

const LATIN_RUN = /[a-z]+(?: [a-z]+)*/g;

/** Spans where a word of `a` and a word of `b` stand within `window` characters of each other. */
function pairs(
  text: string,
  near: { a: readonly string[]; b: readonly string[]; window: number },
): [number, number][] {
  const found = (list: readonly string[]) =>
    list.flatMap((w) => {
      const out: number[][] = [];
      for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) out.push([at, at + w.length]);
      return out;
    });
  const as = found(near.a);
  const bs = found(near.b);
  const out: [number, number][] = [];
  for (const [a0 = 0, a1 = 0] of as) {
    for (const [b0 = 0, b1 = 0] of bs) {
      const start = Math.min(a0, b0);
      const end = Math.max(a1, b1);
      if (end - start > near.window + (a1 - a0) + (b1 - b0)) continue;
      out.push([start, end]);
      break;
    }
  }
  return out;
}
