import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  classifyFeedback,
  FEEDBACK_FILES,
  loadFeedbackLists,
  normaliseFeedback,
  sourceLabel,
} from "../../../src/core/feedback/classify.ts";

// Every sentence here was written for these tests, as customers and staff write in a store's 反馈群;
// none is taken from the evaluation corpus (test/corpus/), which measures the classifier instead.

const DATA_DIR = fileURLToPath(new URL("../../../policy/feedback/", import.meta.url));
const sentiment = (text: string) => classifyFeedback(text).sentiment;
const each = (texts: string[]) => texts.map((t) => [t, sentiment(t)]);
const all = (texts: string[], s: string) => texts.map((t) => [t, s]);

describe("negation", () => {
  it("flips praise and softens a negated complaint", () => {
    const negative = [
      "剧本不好玩",
      "不太满意这次的DM",
      "一点代入感都没有",
      "没有想象中那么好玩",
      "完全不专业",
    ];
    expect(each(negative)).toEqual(all(negative, "negative"));
    const positive = ["一点都不坑，价格透明", "没有不好的地方", "不是不好玩，是太好玩了停不下来"];
    expect(each(positive)).toEqual(all(positive, "positive"));
  });

  it("reads 没有特别惊艳 as lukewarm, not as a complaint", () => {
    expect(sentiment("还可以吧，没有特别惊艳")).toBe("neutral");
  });

  it("does not let a negator reach into the next verb or clause", () => {
    expect(sentiment("上次没约上，这次想三刷")).not.toBe("negative");
    expect(sentiment("不去了，剧本真的很好玩")).toBe("positive");
  });
});

describe("contrast", () => {
  it("lets the part after 但是 / 就是 / 可惜 decide", () => {
    const negative = [
      "装修挺好看的，就是DM全程念台词",
      "老板人挺好，可惜本子太老了",
      "剧情还行，但是包间太吵",
    ];
    expect(each(negative)).toEqual(all(negative, "negative"));
    const positive = ["虽然排了一会儿队，但是NPC演得太好了，值了", "环境一般般，但是本子真的绝"];
    expect(each(positive)).toEqual(all(positive, "positive"));
  });

  it("does not take every 就是 for a contrast", () => {
    expect(sentiment("前台态度差，这就是你们的服务？")).toBe("negative");
  });
});

describe("sarcasm", () => {
  it("reads quoted praise, 才怪 and 呵呵 as meant", () => {
    const texts = [
      "真是“专业”的DM，连凶手都讲错了",
      "下回一定再约（才怪）",
      "呵呵，这就是你们说的五星服务",
      "好一个沉浸式，NPC全程刷手机",
      "你们可真会做生意，三小时的本拖成五小时多收钱",
    ];
    expect(each(texts)).toEqual(all(texts, "negative"));
  });

  it("keeps 绝了 praise alone and mockery in a complaint", () => {
    expect(sentiment("这个反转绝了")).toBe("positive");
    expect(sentiment("绝了，等了一个半小时还没开本")).toBe("negative");
  });

  it("does not count praise someone else said in a long quotation", () => {
    expect(sentiment("店员说“我们这是全城最用心最专业的店”，结果道具都是坏的")).toBe("negative");
  });
});

describe("ratings", () => {
  it("decide when given, in stars, points and emoji", () => {
    expect(each(["一星，别来", "两颗星", "⭐1", "给1分"])).toEqual(
      all(["一星，别来", "两颗星", "⭐1", "给1分"], "negative"),
    );
    const good = ["五星！DM小姐姐可爱", "４星", "⭐⭐⭐⭐⭐", "满分10分给8分", "8/10，推理很扎实"];
    expect(each(good)).toEqual(all(good, "positive"));
  });

  it("keep a 4-star review positive though the missing star is explained", () => {
    expect(sentiment("四星，扣一星是因为空调太冷")).toBe("positive");
  });

  it("file 中评 / 3星 as the rule feedback.rating.mid says: 差评 by default, 中性 when set", () => {
    for (const text of ["三星吧，中规中矩", "中评", "3分。不好不坏"]) {
      expect(classifyFeedback(text).sentiment).toBe("negative");
      expect(classifyFeedback(text).reasons.some((r) => r.includes("中评"))).toBe(true);
      expect(classifyFeedback(text, { midRating: "neutral" }).sentiment).toBe("neutral");
    }
  });

  it("do not take 一星期 or 10分钟 for a rating, nor a mocked 五星", () => {
    expect(sentiment("一星期前订的场")).toBe("neutral");
    expect(sentiment("我们10分钟后到")).toBe("neutral");
    expect(sentiment("所谓的五星服务，进门没人理")).toBe("negative");
  });
});

describe("requests and questions", () => {
  it("are neutral even when they name a refund, a delay or praise", () => {
    const texts = [
      "临时有事去不了了，定金能退吗",
      "想申请退款，怎么操作",
      "有没有好玩的本推荐一下",
      "我们可能会迟到十分钟，麻烦等一下",
      "拼车还差两个人，有坑位吗",
      "会不会很挤？我们九个人",
      "好呀，那就订周六下午那场",
      "麻烦帮看一下发票，谢谢",
    ];
    expect(each(texts)).toEqual(all(texts, "neutral"));
  });

  it("except a demand or a rhetorical question", () => {
    const texts = [
      "要求全额退款",
      "花了四百多块就这？",
      "为什么要额外收费？",
      "能不能别每次都让我们等这么久？",
    ];
    expect(each(texts)).toEqual(all(texts, "negative"));
  });
});

describe("source platform", () => {
  it("reads platform and kind together: 抖音私信, 公众号后台留言, 微博评论, 点评评价", () => {
    expect(classifyFeedback("抖音私信：周末还有空位吗")).toMatchObject({
      platform: "douyin",
      kind: "message",
      source: { key: "douyin_message", label: "抖音私信", responseRule: "ticket.response.message" },
    });
    expect(classifyFeedback("公众号后台留言：能开发票吗")).toMatchObject({
      platform: "wechat_oa",
      kind: "message",
      source: { label: "公众号留言", responseRule: "ticket.response.message" },
    });
    expect(classifyFeedback("微博评论区有人说等太久")).toMatchObject({
      platform: "weibo",
      kind: "comment",
      source: { key: "weibo_comment", label: "微博评论", responseRule: "ticket.response.weibo" },
    });
    const review = classifyFeedback("大眾點評：DM很用心");
    expect(review).toMatchObject({ platform: "dianping", kind: "review", source: { label: "大众点评评价" } });
    expect(review.source?.responseRule).toBeUndefined();
  });

  it("keeps a message with only 私信 on the 2-hour rule", () => {
    expect(classifyFeedback("有顾客私信问能不能带狗")).toMatchObject({
      kind: "message",
      source: { key: "message", responseRule: "ticket.response.message" },
    });
    expect(classifyFeedback("有顾客私信问能不能带狗").platform).toBeUndefined();
  });

  it("does not take a platform merely mentioned for the source", () => {
    const found = classifyFeedback("在小红书上刷到你们家，专门过来的，值！");
    expect(found.platform).toBeUndefined();
    expect(classifyFeedback("再不退钱我就去点评给你们打一星").platform).toBeUndefined();
    expect(classifyFeedback("今天玩得很开心").source).toBeUndefined();
  });

  it("labels stored keys for the card, old ones too", () => {
    expect(sourceLabel("douyin_message")).toBe("抖音私信");
    expect(sourceLabel("weibo")).toBe("微博");
    expect(sourceLabel("message")).toBe("留言/私信");
    expect(sourceLabel("dianping")).toBe("大众点评");
    expect(sourceLabel("unknown_key")).toBe("unknown_key");
  });
});

describe("input handling", () => {
  it("gives a neutral, empty result for empty or blank text", () => {
    const empty = {
      sentiment: "neutral",
      score: 0,
      reasons: [],
      category: "其他",
      severe: [],
      severeClasses: [],
    };
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

    it("names the file for an invalid pattern in a severe cue", () => {
      const d = withFile(FEEDBACK_FILES.severe, (s) => ({
        ...s,
        classes: [{ key: "injury", name: "受伤", weight: 2, cues: [{ patterns: ["摔(倒"] }] }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/severe\.json[\s\S]*RegExp/);
    });

    it("names the file for a severe class listed twice", () => {
      const cue = { cues: [{ terms: ["骨折"] }], weight: 2, name: "受伤" };
      const d = withFile(FEEDBACK_FILES.severe, (s) => ({
        ...s,
        classes: [
          { key: "injury", ...cue },
          { key: "injury", ...cue },
        ],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/severe\.json: injury/);
    });

    it("names the file and the term listed twice", () => {
      const d = withFile(FEEDBACK_FILES.sentiment, (s) => ({
        ...s,
        positive: [...(s.positive as unknown[]), { term: "差评", weight: 1 }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/sentiment\.json.*「差评」/);
    });

    it("names the file for a response rule that is not a ticket.response.* key", () => {
      const d = withFile(FEEDBACK_FILES.sources, (s) => ({
        ...s,
        rules: [{ kind: "comment", responseRule: "30m" }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/sources\.json[\s\S]*responseRule/);
    });

    it("names the file for a rule about a platform it does not list", () => {
      const d = withFile(FEEDBACK_FILES.sources, (s) => ({
        ...s,
        rules: [{ platform: "kuaishou", responseRule: "ticket.response.message" }],
      }));
      expect(() => loadFeedbackLists(d)).toThrow(/sources\.json: kuaishou/);
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
