import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Classification,
  classifyFeedback,
  FEEDBACK_FILES,
  loadFeedbackLists,
  normaliseFeedback,
  sourceLabel,
} from "../../../src/core/feedback/classify.ts";

const DATA_DIR = fileURLToPath(new URL("../../../policy/feedback/", import.meta.url));
const CASES = fileURLToPath(new URL("./sentiment-cases.json", import.meta.url));

type Case = { text: string; expected: Classification["sentiment"]; note?: string };

const sentiment = (text: string) => classifyFeedback(text).sentiment;

describe("sentiment on real-looking customer messages", () => {
  const cases = (JSON.parse(readFileSync(CASES, "utf8")) as { cases: Case[] }).cases;

  it("has a broad, labelled case set", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    for (const label of ["positive", "neutral", "negative"] as const) {
      expect(cases.filter((c) => c.expected === label).length).toBeGreaterThanOrEqual(20);
    }
  });

  it("labels at least 90 % of them as a person would", () => {
    const misses = cases
      .map((c) => ({ ...c, got: classifyFeedback(c.text) }))
      .filter((c) => c.got.sentiment !== c.expected);
    const accuracy = (cases.length - misses.length) / cases.length;
    console.log(
      `feedback sentiment accuracy: ${(accuracy * 100).toFixed(1)} % (${cases.length - misses.length}/${cases.length})` +
        misses
          .map(
            (m) =>
              `\n  ✗ expected ${m.expected}, got ${m.got.sentiment} (${m.got.score}; ${m.got.reasons.join("、") || "—"}): ${m.text}`,
          )
          .join(""),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe("negation", () => {
  it("flips praise: 不好玩, 不太满意, 很不专业 are complaints", () => {
    expect(classifyFeedback("不好玩")).toMatchObject({ sentiment: "negative", reasons: ["不好玩"] });
    expect(classifyFeedback("不太满意")).toMatchObject({ sentiment: "negative", reasons: ["不太满意"] });
    expect(classifyFeedback("DM很不专业")).toMatchObject({ sentiment: "negative", reasons: ["很不专业"] });
    expect(sentiment("一点都不好玩，完全不推荐")).toBe("negative");
  });

  it("keeps 不错 praise, and makes a negated complaint weak praise (不坑, 没有隐形消费)", () => {
    expect(classifyFeedback("不错")).toMatchObject({ sentiment: "positive", reasons: ["不错"] });
    expect(sentiment("不错不错，下次还来")).toBe("positive");
    const weak = classifyFeedback("一点都不坑");
    expect(weak.score).toBeGreaterThan(0);
    expect(weak.score).toBeLessThan(classifyFeedback("很好玩").score);
  });

  it("does not let a negator undo a refund or complaint (没退款, 不给退)", () => {
    expect(sentiment("三天了还没退款")).toBe("negative");
    expect(sentiment("定金说不给退")).toBe("negative");
  });

  it("reads 没想到 / 不好意思 / 差不多 as what they are, not as negation or 差", () => {
    expect(sentiment("没想到这么好玩")).toBe("positive");
    expect(sentiment("不好意思，我们会晚到十分钟")).toBe("neutral");
    expect(sentiment("差不多八点到")).toBe("neutral");
  });

  it("does not reach across a clause: 不去了，剧本很好玩 is praise", () => {
    expect(classifyFeedback("今天有事不去了，上次的剧本很好玩").reasons).toEqual(["很好玩"]);
  });
});

describe("intensity and contrast", () => {
  it("weighs 太差 over 差 and 有点贵 under 贵", () => {
    expect(classifyFeedback("太差了").score).toBeLessThan(classifyFeedback("差").score);
    expect(classifyFeedback("有点贵").score).toBeGreaterThan(classifyFeedback("贵").score);
    expect(sentiment("有点贵")).toBe("neutral");
  });

  it("lets the part after 但是 / 不过 carry the message", () => {
    expect(sentiment("剧本挺好的，但是DM太敷衍了")).toBe("negative");
    expect(sentiment("环境一般，不过DM很专业，剧本也很烧脑")).toBe("positive");
  });
});

describe("sarcasm", () => {
  it("turns quoted praise into a complaint: 真是‘好’体验, 「专业」, “大开眼界”", () => {
    const r = classifyFeedback("真是‘好’体验");
    expect(r.sentiment).toBe("negative");
    expect(r.reasons).toEqual(["‘好’（反讽）"]);
    expect(sentiment("这就是你们「专业」的DM")).toBe("negative");
    expect(sentiment("你们的服务真是让我“大开眼界”")).toBe("negative");
  });

  it("reads 呵呵 and 🙄 as contempt", () => {
    expect(classifyFeedback("DM 全程看手机，呵呵")).toMatchObject({
      sentiment: "negative",
      reasons: ["看手机", "呵呵"],
    });
    expect(sentiment("行吧🙄")).toBe("negative");
  });

  it("flips the praise after 好一个 / 这也叫 / 所谓的", () => {
    const r = classifyFeedback("好一个沉浸式体验，隔壁的音响比我们的还大");
    expect(r.sentiment).toBe("negative");
    expect(r.reasons).toEqual(["好一个…沉浸（反讽）"]);
    expect(sentiment("这也叫专业DM？")).toBe("negative");
    expect(sentiment("所谓的神本，就这？")).toBe("negative");
  });

  it("reads 绝了 as praise alone and as mockery in a complaint", () => {
    expect(sentiment("这个反转真是绝了")).toBe("positive");
    const r = classifyFeedback("等了一个小时才开场，真是绝了");
    expect(r.sentiment).toBe("negative");
    expect(r.reasons).toContain("绝了（反讽）");
  });
});

describe("ratings", () => {
  it("reads stars and points, half- or full-width, digits or words", () => {
    expect(classifyFeedback("打了一星")).toMatchObject({ sentiment: "negative", reasons: ["一星"] });
    expect(classifyFeedback("１星")).toMatchObject({ sentiment: "negative", reasons: ["1星"] });
    expect(sentiment("给1分，不能再多了")).toBe("negative");
    expect(sentiment("2颗星")).toBe("negative");
    expect(sentiment("五星")).toBe("positive");
    expect(sentiment("满分")).toBe("positive");
    expect(sentiment("4星")).toBe("positive");
    expect(sentiment("★☆☆☆☆")).toBe("negative");
    expect(sentiment("⭐️⭐️⭐️⭐️⭐️")).toBe("positive");
  });

  it("treats 3星 / 中评 as a complaint to follow up (seeds/000 第九条：对中差评主动沟通)", () => {
    expect(sentiment("3星")).toBe("negative");
    expect(sentiment("中评")).toBe("negative");
  });

  it("does not take 一星期 or 10分钟 for a rating", () => {
    expect(classifyFeedback("一星期前来玩过").reasons).toEqual([]);
    expect(classifyFeedback("提前10分钟到").reasons).toEqual([]);
  });
});

describe("questions", () => {
  it("are neutral even with praise words in them", () => {
    expect(sentiment("请问你们几点开门？")).toBe("neutral");
    expect(sentiment("怎么预约呀")).toBe("neutral");
    expect(sentiment("有没有好玩的本推荐？")).toBe("neutral");
    expect(sentiment("你们家的恐怖本好不好玩")).toBe("neutral");
  });

  it("keep their complaint words", () => {
    expect(sentiment("为什么还没退款？")).toBe("negative");
    expect(sentiment("你们DM都这么敷衍吗？")).toBe("negative");
  });

  it("do not cancel the praise in another clause", () => {
    expect(sentiment("上次玩得很开心，请问下周有新本吗？")).toBe("positive");
  });
});

describe("severe terms (SPEC §4)", () => {
  it("finds each canonical term through its variants, in order of first appearance", () => {
    expect(classifyFeedback("朋友摔倒流血了").severe).toEqual(["受伤"]);
    expect(classifyFeedback("已经打了110").severe).toEqual(["报警"]);
    expect(classifyFeedback("吃了店里的零食食物中毒").severe).toEqual(["食品安全"]);
    expect(classifyFeedback("回去就拉肚子").severe).toEqual(["食品安全"]);
    expect(classifyFeedback("我要联系记者").severe).toEqual(["媒体"]);
    expect(classifyFeedback("等着上热搜吧").severe).toEqual(["曝光"]);
    expect(classifyFeedback("店里有小学生在玩").severe).toEqual(["未成年"]);
    expect(classifyFeedback("孩子被恐怖本吓哭了").severe).toEqual(["未成年"]);
    expect(classifyFeedback("再不处理就报警，还要找媒体曝光，有人受伤了").severe).toEqual([
      "报警",
      "媒体",
      "曝光",
      "受伤",
    ]);
  });

  it("lists each canonical term once and makes the message a complaint", () => {
    const r = classifyFeedback("受伤了，流血，摔倒");
    expect(r.severe).toEqual(["受伤"]);
    expect(r.sentiment).toBe("negative");
    expect(r.category).toBe("安全");
  });

  it("leaves the game's own vocabulary and everyday phrases alone", () => {
    expect(classifyFeedback("废弃医院主题的恐怖本，警察这个角色很出彩").severe).toEqual([]);
    expect(classifyFeedback("欢乐本笑到肚子疼").severe).toEqual([]);
    expect(classifyFeedback("团购券过期了还能用吗").severe).toEqual([]);
    expect(classifyFeedback("可以带孩子来吗").severe).toEqual([]);
  });

  it("keeps 未成年 free of sentiment: asking about minors is a neutral question", () => {
    expect(classifyFeedback("未成年可以玩吗")).toMatchObject({ sentiment: "neutral", severe: ["未成年"] });
  });
});

describe("source", () => {
  it("maps 微博评论 to weibo with its 30-minute response rule", () => {
    expect(classifyFeedback("微博评论：你们店DM太敷衍了").source).toEqual({
      key: "weibo",
      label: "微博评论",
      responseRule: "ticket.response.weibo",
    });
  });

  it("maps 公众号留言 / 私信 to message with its 2-hour rule", () => {
    expect(classifyFeedback("公众号留言：周末有空位吗").source).toMatchObject({
      key: "message",
      responseRule: "ticket.response.message",
    });
    expect(classifyFeedback("抖音私信说等了一个小时").source?.key).toBe("message");
  });

  it("maps 大众点评 (also 点评, 大眾點評) without an override", () => {
    expect(classifyFeedback("大众点评差评：厕所很脏").source).toEqual({ key: "dianping", label: "大众点评" });
    expect(classifyFeedback("点评上有人说环境不错").source?.key).toBe("dianping");
    expect(classifyFeedback("大眾點評的評價").source?.key).toBe("dianping");
  });

  it("knows 美团, 抖音, 小红书, 视频号", () => {
    expect(classifyFeedback("美团上的评价").source?.key).toBe("meituan");
    expect(classifyFeedback("抖音评论区").source?.key).toBe("douyin");
    expect(classifyFeedback("小红薯上看到的").source?.key).toBe("xiaohongshu");
    expect(classifyFeedback("视频号直播间").source?.key).toBe("channels");
  });

  it("is absent when the message names none", () => {
    expect(classifyFeedback("剧本很好玩")).not.toHaveProperty("source");
  });

  it("has a label for the ticket card", () => {
    expect(sourceLabel("weibo")).toBe("微博评论");
    expect(sourceLabel("dianping")).toBe("大众点评");
    expect(sourceLabel("fax")).toBe("fax");
  });
});

describe("category", () => {
  it.each([
    ["前台态度很差，爱答不理", "服务态度"],
    ["DM全程看手机", "DM/主持"],
    ["剧本逻辑漏洞太多，结局也烂尾", "剧本内容"],
    ["厕所很脏，还有异味", "环境卫生"],
    ["申请退款三天了没人处理", "价格/退款"],
    ["排队等了一个小时才开场", "预约/排队"],
    ["有玩家在楼梯上摔倒受伤", "安全"],
    ["你好", "其他"],
  ])("%s → %s", (text, category) => {
    expect(classifyFeedback(text).category).toBe(category);
  });

  it("follows the sentiment: 剧本挺好的，但是DM太敷衍了 is about the DM", () => {
    expect(classifyFeedback("剧本挺好的，但是DM太敷衍了").category).toBe("DM/主持");
  });
});

describe("input handling", () => {
  it("gives a neutral, empty result for empty or blank text", () => {
    const empty = { sentiment: "neutral", score: 0, reasons: [], category: "其他", severe: [] };
    expect(classifyFeedback("")).toEqual(empty);
    expect(classifyFeedback("  \n ")).toEqual(empty);
  });

  it("normalises full-width, case, zero-width and traditional characters", () => {
    expect(normaliseFeedback("ＤＭ態度很差！１星\u200B")).toBe("dm态度很差!1星");
    expect(classifyFeedback("ＤＭ態度很差！")).toMatchObject({ sentiment: "negative", category: "DM/主持" });
    expect(sentiment("劇本超好玩，下次還來")).toBe("positive");
  });

  it("reads emoji, with or without a variation selector or skin tone", () => {
    expect(sentiment("DM小姐姐👍🏻")).toBe("positive");
    expect(sentiment("❤️❤️")).toBe("positive");
    expect(sentiment("😡")).toBe("negative");
  });

  it("is deterministic, also with separately loaded lists", () => {
    const text = "真是‘好’体验，DM全程看手机，呵呵，1星，再也不来了，微博上见";
    const a = classifyFeedback(text);
    expect(classifyFeedback(text)).toEqual(a);
    expect(classifyFeedback(text, loadFeedbackLists())).toEqual(a);
  });
});

describe("data files", () => {
  it("load from the default directory and from a path", () => {
    expect(() => loadFeedbackLists()).not.toThrow();
    expect(classifyFeedback("不好玩", loadFeedbackLists(DATA_DIR)).sentiment).toBe("negative");
  });

  describe("with a bad file", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const withFile = (name: string, edit: (json: Record<string, unknown>) => unknown) => {
      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(join(tmpdir(), "feedback-"));
      cpSync(DATA_DIR, dir, { recursive: true });
      const json = JSON.parse(readFileSync(join(dir, name), "utf8")) as Record<string, unknown>;
      writeFileSync(join(dir, name), JSON.stringify(edit(json)));
      return dir;
    };

    it("names the file and the field when an entry is malformed", () => {
      const d = withFile(FEEDBACK_FILES.sentiment, (s) => ({
        ...s,
        negative: [{ term: "差评", weight: "3" }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/invalid feedback list .*sentiment\.json[\s\S]*weight/);
    });

    it("names the file for broken JSON", () => {
      dir = mkdtempSync(join(tmpdir(), "feedback-"));
      cpSync(DATA_DIR, dir, { recursive: true });
      writeFileSync(join(dir, FEEDBACK_FILES.sources), "{ not json");
      expect(() => loadFeedbackLists(dir)).toThrow(/cannot read feedback list .*sources\.json/);
    });

    it("names the file for an invalid pattern", () => {
      const d = withFile(FEEDBACK_FILES.severe, () => ({
        severe: [{ canonical: "受伤", weight: 2, patterns: ["摔(倒"] }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/severe\.json[\s\S]*RegExp/);
    });

    it("names the file and the term listed twice", () => {
      const d = withFile(FEEDBACK_FILES.sentiment, (s) => ({
        ...s,
        positive: [...(s.positive as unknown[]), { term: "差评", weight: 1 }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/sentiment\.json.*「差评」/);
    });

    it("names the file for a response rule that is not a ticket.response.* key", () => {
      const d = withFile(FEEDBACK_FILES.sources, () => ({
        sources: [{ key: "weibo", label: "微博", keywords: ["微博"], responseRule: "30m" }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/sources\.json[\s\S]*responseRule/);
    });

    it("names the file when a category keyword is in two categories", () => {
      const d = withFile(FEEDBACK_FILES.categories, () => ({
        default: "其他",
        categories: [
          { name: "A", keywords: ["退款"] },
          { name: "B", keywords: ["退款"] },
        ],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/categories\.json.*「退款」/);
    });
  });
});
