import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkCompliance, loadComplianceRules } from "../../../src/core/compliance/check.ts";
import { COMPLIANCE_FILES } from "../../../src/core/compliance/data.ts";

/**
 * What a careful reviewer would catch and what she would let pass, one class of writing per test. The
 * sentences here are written for these tests; the judgement's quality is measured on the corpora in
 * test/corpus/ by `npm run eval` (and its floors by test/eval/heldout.test.ts).
 */

const DATA_DIR = fileURLToPath(new URL("../../../policy/compliance/", import.meta.url));
const check = (body: string, opts: { title?: string; isAd?: boolean } = {}) =>
  checkCompliance({ title: opts.title ?? "", body, isAd: opts.isAd ?? false });
const found = (body: string) => check(body).map((f) => `${f.category}:${f.term}`);

describe("绝对化用语, however it is written", () => {
  it("flags 最 + an adjective with a replacement, the clause and the words as written", () => {
    expect(check("周六的新本是全店最好玩的一个")).toEqual([
      {
        category: "absolute",
        label: "绝对化用语",
        clause: "《广告法》第九条第（三）项",
        term: "最好玩",
        suggestion: "较好玩",
        message: "「最好玩」属于绝对化用语（《广告法》第九条第（三）项），建议改为「较好玩」",
      },
    ]);
  });

  it.each([
    ["spaces", "这是最 好 的选择", "最 好"],
    ["emoji", "今夏最🔥火的本", "最🔥火"],
    ["pinyin", "zui好的沉浸体验", "zui好"],
    ["homophone", "蕞好的推理本", "蕞好"],
    ["pinyin numeral", "全城di一家全息剧场", "全城di一"],
    ["circled numeral", "人气榜第①名", "第①"],
    ["traditional characters", "絕對讓你驚艷", "絕對"],
    ["English", "The Best escape game in town", "The Best"],
    ["English ranking", "NO.1 推理馆", "NO.1"],
    ["paraphrase", "氛围感没有之一", "没有之一"],
    ["scope + objective word", "我们是本市最多主题的门店", "本市最多"],
  ])("sees through %s", (_, body, words) => {
    expect(found(body)).toContain(`absolute:${words}`);
  });

  it.each([
    ["time order", "最后一轮投票前，最近新来的玩家可以先看规则"],
    ["an ordinal", "第一次来的朋友请提前十分钟到，第一幕在二楼"],
    ["a story noun", "书房里藏着唯一的线索，也藏着她最大的秘密"],
    ["a title", "本周上新《最后的证人》和《绝对零度》"],
    ["an objective limit", "每车最多6人，包间最低消费800元"],
    ["advice", "最好提前一天预约，周末很满"],
    ["a real question", "大家觉得哪个本最好玩？评论区聊聊"],
    ["a word that only contains the characters", "统一流程，一流程序员也能玩懂"],
    ["a priority slogan", "实景房楼梯较陡，安全第一"],
    ["an English phrase", "带上你的 best friend 一起来"],
  ])("leaves %s alone", (_, body) => {
    expect(found(body).filter((f) => f.startsWith("absolute:"))).toEqual([]);
  });
});

describe("the violation categories", () => {
  it.each([
    ["false_promise", "玩完包你满意，不好玩全额退款"],
    ["false_promise", "参加后推理能力提升60%"],
    ["vulgar", "今晚的主题懂的都懂，尺度拉满"],
    ["violence", "残肢散落一地，血浆飞溅，沉浸感爆棚"],
    ["discrimination", "本店谢绝外地人预约"],
    ["discrimination", "体重超标的朋友勿约实景本"],
    ["discrimination", "女生普遍逻辑差，硬核本就别来了"],
    ["disparagement", "隔壁那家就是割韭菜的，别去"],
    ["infringement", "低价出售全套电子版剧本"],
    ["infringement", "某顶流明星同款造型本"],
    ["gambling", "游戏积分可以换现金哦"],
    ["gambling", "带点小彩头更刺激"],
    ["minors", "学生党快来挑战重度恐怖本"],
    ["personal_info", "中奖玩家：李明 13912345678"],
    ["personal_info", "这位顾客的身份证号是310101199001011234"],
  ])("flags %s: %s", (category, body) => {
    expect(check(body).map((f) => f.category)).toContain(category);
  });

  it.each([
    ["a ban on gambling", "门店禁止任何形式的赌博，筹码仅为道具，不兑换现金"],
    ["an age rule", "惊悚本谢绝未成年人，亲子场不含惊吓内容"],
    ["the store's own phone", "预约电话：13800001111，地址：南京西路88号"],
    ["a murder plot", "凶手就在你们之中，一场投毒诡计等你揭开"],
    ["a gambling scene as plot", "第二幕是民国赌场，大家用道具筹码下注推进剧情"],
    ["a licence statement", "全部剧本正版授权，拒绝盗版"],
    ["a deposit", "服装押金50元，归还即退"],
    ["honest refund rules", "开场前24小时可免费改期一次"],
  ])("passes %s", (_, body) => {
    expect(check(body)).toEqual([]);
  });

  it("quotes the words as written and counts repeats", () => {
    const [f] = check("赌 博？赌 博！");
    expect(f?.term).toBe("赌 博");
    expect(f?.message).toContain("（出现 2 次）");
    expect(f?.message).not.toMatch(/[a-z_]{4,}/); // no internal keys in what people read
  });
});

describe("广告 label", () => {
  it("asks a #广告 item to say 广告 (traditional 廣告 counts)", () => {
    expect(check("新本上线", { isAd: true })[0]).toMatchObject({ category: "ad_label", label: "广告标识" });
    expect(check("廣告｜新本上线", { isAd: true })).toEqual([]);
  });
});

describe("the rule files", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const withFile = (name: string, content: string) => {
    const d = mkdtempSync(join(tmpdir(), "compliance-"));
    dirs.push(d);
    cpSync(DATA_DIR, d, { recursive: true });
    writeFileSync(join(d, name), content);
    return d;
  };

  it("load, and every category has a Chinese name, a clause and a suggestion", () => {
    const rules = loadComplianceRules();
    for (const [, info] of rules.labels) {
      expect(info.label).toMatch(/\p{Script=Han}/u);
      expect(info.clause).not.toBe("");
    }
  });

  it("refuse a broken file with its name and what is wrong", () => {
    expect(() => loadComplianceRules(withFile(COMPLIANCE_FILES.categories, "{ not json"))).toThrow(
      /categories\.json/,
    );
    const bad = JSON.parse(readFileSync(join(DATA_DIR, COMPLIANCE_FILES.categories), "utf8"));
    bad.categories[0].patterns = ["(unclosed"];
    expect(() => loadComplianceRules(withFile(COMPLIANCE_FILES.categories, JSON.stringify(bad)))).toThrow(
      /categories\.json[\s\S]*正则/,
    );
  });
});
