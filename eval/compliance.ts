import { checkCompliance } from "../src/core/compliance/check.ts";
import { CATEGORY_KEYS, type Half, type Post, posts } from "./corpus.ts";
import { add, type Counts, counts, fmt, prf } from "./score.ts";

export type ComplianceScore = {
  half: Half;
  size: number;
  clean: number;
  perPost: Counts;
  perCategory: Map<string, Counts>;
  misses: { post: Post; found: string[] }[];
};

export function scoreCompliance(half: Half): ComplianceScore {
  const list = posts(half);
  const perPost = counts();
  const perCategory = new Map(CATEGORY_KEYS.map((k) => [k as string, counts()]));
  const misses: ComplianceScore["misses"] = [];
  for (const post of list) {
    const found = checkCompliance({ title: post.title, body: post.body, isAd: false });
    const cats = new Set(found.map((f) => f.category));
    const violating = post.labels.length > 0;
    add(perPost, cats.size > 0, violating);
    for (const [k, c] of perCategory) add(c, cats.has(k), (post.labels as string[]).includes(k));
    if (cats.size > 0 !== violating)
      misses.push({ post, found: found.map((f) => `${f.category}:${f.term}`) });
  }
  return {
    half,
    size: list.length,
    clean: list.filter((p) => p.labels.length === 0).length,
    perPost,
    perCategory,
    misses,
  };
}

export function printCompliance(s: ComplianceScore): string[] {
  const post = prf(s.perPost);
  const lines = [
    `合规预审 · ${s.half === "tuning" ? "调优集" : "留出集"}（${s.size} 篇，其中 ${s.clean} 篇无问题）`,
    `  按篇  P ${fmt(post.p)}  R ${fmt(post.r)}  F1 ${fmt(post.f1)}  (tp ${s.perPost.tp} fp ${s.perPost.fp} fn ${s.perPost.fn})`,
  ];
  for (const [k, c] of s.perCategory) {
    const r = prf(c);
    lines.push(
      `  ${k.padEnd(15)} P ${fmt(r.p)}  R ${fmt(r.r)}  F1 ${fmt(r.f1)}  (tp ${c.tp} fp ${c.fp} fn ${c.fn})`,
    );
  }
  return lines;
}
