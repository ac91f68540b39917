import {
  describeSource,
  type FeedbackLists,
  type FeedbackSource,
  type Kind,
  type Platform,
} from "./lists.ts";
import { gap, occurs, type Structure, scan } from "./text.ts";

/**
 * Where the message came from, when the text names it: a platform (抖音, 公众号 …) and a kind (评论,
 * 私信/留言, 评价). A kind word right after the platform's name belongs to it (抖音私信, 公众号后台留言,
 * 大众点评的五星评价). A platform merely mentioned — where the customer found the store (在抖音刷到你们),
 * where they threaten to post (我要去点评给差评) — is not the source: the mention words are data.
 */

/** How far into the message “平台：” still opens it (顾客在大众点评： …). */
const OPENING = 8;

export type FoundSource = { platform?: Platform; kind?: Kind; source?: FeedbackSource };

export function findSource(text: string, st: Structure, lists: FeedbackLists): FoundSource {
  const hits = scan(text, lists.sourceWords);
  let best: { platform: Platform; kind: Kind | undefined; score: number } | undefined;
  let looseMessage = false;
  hits.forEach((h, i) => {
    const v = h.value;
    if ("kind" in v) {
      if (v.kind === "message") looseMessage = true;
      return;
    }
    const platform = lists.platforms[v.platform];
    if (platform === undefined) return;
    const [from, to] = st.clauses[st.clauseOf[h.at] ?? 0] ?? [0, text.length];
    const { before, after, reach } = lists.mention;
    if (occurs(before, text.slice(Math.max(from, h.at - reach), h.at))) return;
    if (occurs(after, text.slice(h.end, Math.min(to, h.end + reach)))) return;
    const next = hits[i + 1];
    const named =
      next !== undefined && "kind" in next.value && gap(text, h.end, next.at) <= lists.kindReach
        ? next.value.kind
        : undefined;
    // 大众点评：… — a message that opens with the platform and a colon is that platform's usual kind.
    const opening = named === undefined && text.charAt(h.end) === ":" && h.at <= OPENING;
    const kind = named ?? (opening ? platform.colonKind : undefined);
    const score = kind === undefined ? 1 : 2;
    if (best === undefined || score > best.score) best = { platform, kind, score };
  });
  const platform = best?.platform;
  const kind = best?.kind ?? (platform === undefined && looseMessage ? "message" : undefined);
  const source = describeSource(platform, kind, lists.kindLabels, lists.responseRules);
  return {
    ...(platform === undefined ? {} : { platform }),
    ...(kind === undefined ? {} : { kind }),
    ...(source === undefined ? {} : { source }),
  };
}
