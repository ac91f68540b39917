import { type Classification, classifyFeedback } from "../src/core/feedback/classify.ts";
import { type Half, type Message, messages } from "./corpus.ts";
import { add, type Counts, counts, fmt, prf } from "./score.ts";

/**
 * The feedback classifier scored against a half of the feedback corpus: sentiment (accuracy and the
 * 3×3 confusion matrix), severe events (any class: does the message reach the crisis group?), and the
 * source platform on the messages that name one. The crisis suggestion rests on "any class", so that is
 * what precision and recall are counted on; the class itself is shown in the misses.
 *
 * Sentiment is scored as the bot files tickets by default: 中评/3星 follow the rule
 * feedback.rating.mid (default 差评, as the bot has always done), while the corpus labels them neutral.
 * Those disagreements are counted apart so that the figure under either reading can be read off.
 */

const SENTIMENTS = ["positive", "neutral", "negative"] as const;
type S = (typeof SENTIMENTS)[number];

const LABEL: Record<S, string> = { positive: "好评", neutral: "中性", negative: "差评" };

export type FeedbackMiss = {
  message: Message;
  got: Pick<Classification, "sentiment" | "score" | "reasons" | "severeClasses"> & {
    platform: string | undefined;
    kind: string | undefined;
  };
  what: string[];
};

export type FeedbackScore = {
  half: Half;
  size: number;
  /** confusion[expected][got] */
  confusion: Record<S, Record<S, number>>;
  correct: number;
  /** Messages labelled neutral that the rule for 中评/3星 files as 差评 (wrong only under the corpus's reading). */
  midRating: number;
  severe: Counts;
  platformNamed: number;
  platformRight: number;
  kindNamed: number;
  kindRight: number;
  /** The tuning half's mistakes; always empty for the held-out half, which nobody may read. */
  misses: FeedbackMiss[];
};

export function scoreFeedback(half: Half): FeedbackScore {
  const list = messages(half);
  const confusion = Object.fromEntries(
    SENTIMENTS.map((e) => [e, Object.fromEntries(SENTIMENTS.map((g) => [g, 0]))]),
  ) as Record<S, Record<S, number>>;
  const s: FeedbackScore = {
    half,
    size: list.length,
    confusion,
    correct: 0,
    midRating: 0,
    severe: counts(),
    platformNamed: 0,
    platformRight: 0,
    kindNamed: 0,
    kindRight: 0,
    misses: [],
  };
  for (const m of list) {
    const c = classifyFeedback(m.text);
    const what: string[] = [];
    confusion[m.sentiment][c.sentiment] += 1;
    if (c.sentiment === m.sentiment) s.correct += 1;
    else {
      what.push(`情感 ${LABEL[m.sentiment]}→${LABEL[c.sentiment]}`);
      const asNeutral = classifyFeedback(m.text, { midRating: "neutral" }).sentiment;
      if (m.sentiment === "neutral" && asNeutral === "neutral") s.midRating += 1;
    }
    const found = c.severeClasses.length > 0;
    add(s.severe, found, m.severe !== null);
    if (found !== (m.severe !== null) || (m.severe !== null && !c.severeClasses.includes(m.severe)))
      what.push(`严重 ${m.severe ?? "无"}→${c.severeClasses.join(",") || "无"}`);
    if (m.platform !== null) {
      s.platformNamed += 1;
      if (c.platform === m.platform) s.platformRight += 1;
      else what.push(`平台 ${m.platform}→${c.platform ?? "无"}`);
    }
    if (m.kind !== null) {
      s.kindNamed += 1;
      if (c.kind === m.kind) s.kindRight += 1;
      else what.push(`形式 ${m.kind}→${c.kind ?? "无"}`);
    }
    if (half === "tuning" && what.length > 0) {
      s.misses.push({
        message: m,
        got: {
          sentiment: c.sentiment,
          score: c.score,
          reasons: c.reasons,
          severeClasses: c.severeClasses,
          platform: c.platform,
          kind: c.kind,
        },
        what,
      });
    }
  }
  return s;
}

const ratio = (a: number, b: number) => (b === 0 ? "—" : fmt(a / b));

export function printFeedback(s: FeedbackScore): string[] {
  const sev = prf(s.severe);
  const lines = [
    `反馈分类 · ${s.half === "tuning" ? "调优集" : "留出集"}（${s.size} 条）`,
    `  情感准确率 ${ratio(s.correct, s.size)}  (${s.correct}/${s.size}；中评/3星按规则记差评，语料记中性：${s.midRating} 条，按中性读为 ${ratio(s.correct + s.midRating, s.size)})`,
    `  混淆矩阵（行：标注，列：判定）   好评  中性  差评`,
  ];
  for (const e of SENTIMENTS) {
    const row = SENTIMENTS.map((g) => String(s.confusion[e][g]).padStart(4)).join("  ");
    lines.push(`    ${LABEL[e]}                          ${row}`);
  }
  lines.push(
    `  严重情况  P ${fmt(sev.p)}  R ${fmt(sev.r)}  F1 ${fmt(sev.f1)}  (tp ${s.severe.tp} fp ${s.severe.fp} fn ${s.severe.fn})`,
    `  来源平台准确率 ${ratio(s.platformRight, s.platformNamed)}  (${s.platformRight}/${s.platformNamed} 条点名平台)；形式（评论/私信/评价）${ratio(s.kindRight, s.kindNamed)}  (${s.kindRight}/${s.kindNamed})`,
  );
  return lines;
}

/** The tuning half's mistakes, one line each (run.ts prints them with --misses). */
export function printFeedbackMisses(s: FeedbackScore): string[] {
  return s.misses.map((m) => {
    const text = m.message.text.replace(/\s+/g, " ");
    const shown = text.length > 90 ? `${text.slice(0, 90)}…` : text;
    return `    ✗ ${m.message.id} ${m.what.join("；")} [${m.got.score} ${m.got.reasons.join(" ")}] :: ${shown}`;
  });
}
