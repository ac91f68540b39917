import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  COMPLIANCE_FILES,
  checkCompliance,
  loadComplianceLists,
} from "../../../src/core/review/compliance.ts";

const DATA_DIR = fileURLToPath(new URL("../../../policy/compliance/", import.meta.url));

const check = (body: string, opts: { title?: string; isAd?: boolean } = {}) =>
  checkCompliance({ title: opts.title ?? "", body, isAd: opts.isAd ?? false });
const terms = (body: string) => check(body).map((f) => f.term);

describe("absolute terms (《广告法》第九条)", () => {
  it("flags 最好 with the replacement 较好 and a card-ready line", () => {
    expect(check("这家店的DM是最好的")).toEqual([
      {
        category: "absolute",
        term: "最好",
        suggestion: "较好",
        message: "「最好」属于《广告法》第九条禁用的绝对化用语（最高级评价），建议改为「较好」",
      },
    ]);
  });

  it("reports 最好玩 as 最好, but leaves 最后/最近/最新/第一章 alone", () => {
    expect(terms("最好玩的剧本")).toEqual(["最好"]);
    expect(check("最后一幕揭晓真相，最近上新，最新剧本，第一章开场")).toEqual([]);
  });

  it("lets the longest match win: 全网最低价 is one term, not also 最低价", () => {
    expect(check("全网最低价，快来！")).toEqual([
      expect.objectContaining({ term: "全网最低价", suggestion: "限时特惠" }),
    ]);
  });

  it("matches prefix patterns 史上最X / 全网最X with a fitting suggestion", () => {
    expect(check("史上最强阵容，全网最火")).toEqual([
      expect.objectContaining({ term: "史上最强", suggestion: "超强" }),
      expect.objectContaining({ term: "全网最火", suggestion: "超火" }),
    ]);
  });

  it("uses the allow-list for game vocabulary but not for claims", () => {
    expect(check("第一轮搜证找到唯一的线索，第一嫌疑人在第一现场")).toEqual([]);
    expect(check("第一个到店的玩家送周边")).toEqual([]);
    expect(terms("全城第一个引进的独家本")).toEqual(["全城第一", "独家"]);
    expect(terms("本店唯一指定")).toEqual(["唯一"]);
  });

  it("normalises full-width characters before matching", () => {
    expect(check("１００％还原，ＮＯ．１")).toEqual([
      expect.objectContaining({ term: "100%", suggestion: "高度" }),
      expect.objectContaining({ term: "no.1", suggestion: "热门" }),
    ]);
  });

  it("reports each term once, in order of first appearance, with a count", () => {
    const findings = check("顶级体验，最好的DM，顶级道具，最好的服化");
    expect(findings.map((f) => f.term)).toEqual(["顶级", "最好"]);
    expect(findings[0]?.message).toContain("出现 2 次");
  });

  it("searches the title as well as the body", () => {
    expect(checkCompliance({ title: "国家级DM", body: "欢迎来玩", isAd: false })).toEqual([
      expect.objectContaining({ term: "国家级", suggestion: "专业级" }),
    ]);
  });
});

describe("ad label", () => {
  it("asks for “广告” when an #广告 item lacks it", () => {
    const findings = check("新店开业八折", { isAd: true });
    expect(findings).toEqual([
      { category: "ad_label", message: expect.stringContaining("需标注“广告”字样") },
    ]);
  });

  it("is satisfied by the label in the title or body, and ignores non-ads", () => {
    expect(check("新店开业八折", { title: "【广告】开业", isAd: true })).toEqual([]);
    expect(check("广告｜新店开业八折", { isAd: true })).toEqual([]);
    expect(check("新店开业八折")).toEqual([]);
  });

  it("comes first, before term findings", () => {
    expect(check("最好的本", { isAd: true }).map((f) => f.category)).toEqual(["ad_label", "absolute"]);
  });
});

describe("violations", () => {
  it.each([
    ["低俗色情", "大尺度情感本"],
    ["暴力恐怖", "现场还原碎尸细节"],
    ["歧视", "娘炮也能玩"],
    ["诋毁同行", "别家都是盗版"],
    ["侵权", "图片来源网络，侵删"],
    ["赌博", "玩家可以真金白银下注"],
  ])("flags %s", (category, body) => {
    const findings = check(body);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f).toMatchObject({ category: "violation" });
    expect(findings[0]?.message).toContain(`涉嫌${category}`);
  });

  it("leaves ordinary murder-mystery vocabulary alone", () => {
    expect(check("凶手就在你们中间！推理案件真相，死者留下的遗书是关键")).toEqual([]);
    expect(check("角色情感线丰富，开场前请留意一下注意事项")).toEqual([]);
  });

  it("flags minors together with a horror/gore script, not the genre alone", () => {
    expect(check("周末恐怖本，欢迎带孩子一起来")).toEqual([
      expect.objectContaining({
        category: "violation",
        term: "带孩子+恐怖",
        message: expect.stringContaining("未成年人参与恐怖/血腥剧本"),
      }),
    ]);
    expect(check("暑期未成年人专场：血腥变格本")).toEqual([expect.objectContaining({ term: "未成年+血腥" })]);
    expect(check("恐怖本，沉浸式体验")).toEqual([]);
    expect(check("恐怖本，谢绝未成年人")).toEqual([]);
  });
});

describe("overall", () => {
  it("gives [] for a clean draft", () => {
    expect(
      checkCompliance({
        title: "周末新本《雾岛来信》上车",
        body: "六人情感推理本，第一幕在码头开场。周六下午两点，还差两位玩家，欢迎私信预约。",
        isAd: false,
      }),
    ).toEqual([]);
  });

  it("is deterministic", () => {
    const draft = {
      title: "史上最好玩",
      body: "最好的本，小学生也来玩恐怖本，吊打同行，100%还原",
      isAd: true,
    };
    expect(checkCompliance(draft)).toEqual(checkCompliance(draft));
  });
});

describe("data files", () => {
  const raw = (name: string): unknown => JSON.parse(readFileSync(join(DATA_DIR, name), "utf8"));

  it("load, and every entry carries a suggestion (absolute) or a message (violations)", () => {
    const lists = loadComplianceLists();
    expect(lists.absolute.length).toBeGreaterThan(20);
    expect(lists.allow.length).toBeGreaterThan(10);

    const absolute = raw(COMPLIANCE_FILES.absolute) as { terms: { suggestion?: string; reason?: string }[] };
    for (const e of absolute.terms) {
      expect(e.suggestion?.trim()).toBeTruthy();
      expect(e.reason?.trim()).toBeTruthy();
    }
    const violations = raw(COMPLIANCE_FILES.violations) as {
      categories: { name: string; message?: string; terms: string[] }[];
      combos: { name: string; message?: string }[];
    };
    for (const c of [...violations.categories, ...violations.combos]) expect(c.message?.trim()).toBeTruthy();
    expect(violations.categories.map((c) => c.name)).toEqual(
      expect.arrayContaining(["低俗色情", "暴力恐怖", "歧视", "诋毁同行", "侵权", "赌博"]),
    );
    expect(violations.combos.map((c) => c.name)).toContain("未成年人参与恐怖/血腥剧本");
  });

  describe("with a bad file", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const withFile = (name: string, content: string) => {
      dir = mkdtempSync(join(tmpdir(), "compliance-"));
      cpSync(DATA_DIR, dir, { recursive: true });
      writeFileSync(join(dir, name), content);
      return dir;
    };

    it("names the file when an entry lacks its suggestion", () => {
      const d = withFile(
        COMPLIANCE_FILES.absolute,
        JSON.stringify({ terms: [{ term: "最好", reason: "x" }] }),
      );
      expect(() => loadComplianceLists(d)).toThrow(/absolute-terms\.json[\s\S]*suggestion/);
    });

    it("names the file for an invalid pattern, broken JSON, or a term listed twice", () => {
      const bad = { terms: [{ pattern: "史上最(", suggestion: "超", reason: "x" }] };
      expect(() => loadComplianceLists(withFile(COMPLIANCE_FILES.absolute, JSON.stringify(bad)))).toThrow(
        /absolute-terms\.json/,
      );
      rmSync(dir, { recursive: true, force: true });
      expect(() => loadComplianceLists(withFile(COMPLIANCE_FILES.violations, "{ not json"))).toThrow(
        /violations\.json/,
      );
      rmSync(dir, { recursive: true, force: true });
      const twice = { terms: [{ term: "第一" }] };
      expect(() => loadComplianceLists(withFile(COMPLIANCE_FILES.allow, JSON.stringify(twice)))).toThrow(
        /allow-list\.json.*「第一」/,
      );
    });
  });
});
