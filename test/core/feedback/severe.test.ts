import { describe, expect, it } from "vitest";
import { classifyFeedback } from "../../../src/core/feedback/classify.ts";

// Severe events (seeds/000 第十一条) as classes, read only as events that happened or are threatened
// now. Every sentence was written for these tests; none is taken from the evaluation corpus.

const classes = (text: string) => classifyFeedback(text).severeClasses;

const HAPPENED: [string, string, string][] = [
  ["injury", "受伤", "NPC推我的时候撞到了桌角，额头肿了一个大包"],
  ["injury", "受伤", "朋友在楼梯那里踩空摔了，膝盖流了很多血，店员连碘伏都没有"],
  ["injury", "受伤", "有人被道具柜砸到手，去诊所包扎花了两百"],
  ["police", "报警", "隔壁包厢有人喝多了闹事，我们只好打了110"],
  ["police", "报警", "我的包在店里被偷了，已经去派出所报案了"],
  ["food", "食品安全", "店里卖的奶茶喝完全车人都拉肚子"],
  ["food", "食品安全", "套餐里的炸鸡吃出一根头发，太恶心了"],
  ["media", "媒体曝光", "我已经联系了本地的电视台记者，你们等着吧"],
  ["media", "媒体曝光", "你们店员打人的视频已经在网上疯传了，好几个大V都转了"],
  ["minors", "未成年人", "我女儿才13岁，你们让她玩了一整晚的血腥本，现在天天做噩梦"],
  ["minors", "未成年人", "店员明知道他们是初中生，还放他们玩到凌晨两点"],
  ["harassment", "性骚扰", "同车的男生趁关灯摸了我的大腿，店里一点措施都没有"],
  ["harassment", "性骚扰", "DM借着演戏一直往我身上蹭，还说下流的话"],
  ["fire", "消防安全", "包间的插座一直冒火花，还有烧焦的味道"],
  ["fire", "消防安全", "安全出口被道具堆得严严实实，万一出事根本跑不出去"],
  ["regulator", "监管投诉", "预付卡退不了，我已经打了12315投诉"],
  ["regulator", "监管投诉", "再不退钱我就去消协投诉你们"],
  ["legal", "法律纠纷", "律师函已经发到你们邮箱了，请尽快处理"],
  ["legal", "法律纠纷", "我已经咨询过律师了，你们这属于违约，准备起诉"],
  ["platform", "平台处罚", "我要去平台举报你们，让你们的店铺直接下架"],
  ["platform", "平台处罚", "你们的抖音号被封了吧？搜不到了"],
  ["privacy", "信息泄露", "前台把我的身份证照片发到了员工群里"],
  ["privacy", "信息泄露", "自从在你们店办了会员，每天都接到陌生推销电话"],
];

describe("severe events that happened", () => {
  it.each(HAPPENED)("finds %s (%s): %s", (key, name, text) => {
    const c = classifyFeedback(text);
    expect(c.severeClasses).toContain(key);
    expect(c.severe).toContain(name);
  });

  it("make a complaint, in text order, each class once", () => {
    const c = classifyFeedback("孩子被道具砸伤了，我已经报警了，还会找记者曝光，找记者！");
    expect(c.severeClasses).toEqual(["injury", "police", "media"]);
    expect(c.severe).toEqual(["受伤", "报警", "媒体曝光"]);
    expect(c.sentiment).toBe("negative");
  });

  it("stay severe even when the customer praises how the store handled it", () => {
    const c = classifyFeedback("昨晚插座突然冒烟，店员马上断电把大家带下楼，处理得很好，点赞");
    expect(c.severeClasses).toEqual(["fire"]);
    expect(c.sentiment).toBe("positive");
  });

  it("do not make a polite request a complaint", () => {
    const c = classifyFeedback("上周在店里扭到脚了，想问下店里有没有买意外险，能不能报一下");
    expect(c.severeClasses).toEqual(["injury"]);
    expect(c.sentiment).toBe("neutral");
  });
});

describe("words that are no event", () => {
  it.each([
    ["story", "剧本里死者是从楼梯上摔下来的，这个细节设计得很妙"],
    ["story", "警察角色演得太帅了，最后抓捕那段燃爆"],
    ["story", "火灾逃生那个环节做得很逼真，烟雾效果绝了"],
    ["story", "这个本的结局是主角被媒体曝光身败名裂，太震撼了"],
    ["story", "律师本太好玩了，法庭辩论那段我们吵得不可开交"],
    ["story", "剧本里的人肉搜索情节很有现实意义"],
    ["question", "请问十二岁的小朋友可以玩恐怖本吗"],
    ["question", "会不会有人摔倒？我们车里有个孕妇"],
    ["hypothetical", "要是以后谁剧透这个本，我一定起诉他，哈哈"],
    ["negation", "还好没人受伤，不过道具架真该固定一下"],
    ["negation", "NPC追我差点摔倒，幸好地上有软垫"],
    ["joke", "本子好到我想报警，哈哈哈哈"],
    ["compliment", "报警了报警了！这个DM帅到犯规，演技满分"],
    ["hearsay", "听说你们之前被市场监管查过？还能去吗"],
    ["own account", "我的小红书账号被限流了，笔记晚点再发"],
    ["workplace", "我在派出所上班，周六晚上能约个六人场吗"],
    ["smoking", "包间里有人抽烟，烟味很重"],
    ["quotes", "宣传语写着“吓到报警”，结果一点都不吓人"],
    ["notice", "惊悚本谢绝未成年人，前台查得很严"],
    ["spoiler", "DM不小心泄露了凶手身份，扫兴"],
  ])("%s: %s", (_why, text) => {
    expect(classes(text)).toEqual([]);
  });

  it("silences a joke but not a real event in a complaint that laughs bitterly", () => {
    expect(classes("你们的号天天刷假好评，我举报了，现在团购被平台下架了吧😂")).toEqual(["platform"]);
  });
});
