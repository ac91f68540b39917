import { describe, expect, it } from "vitest";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import { cutMark, fitText, fitView, utf8Bytes } from "../../src/platforms/fit.ts";

const size = (v: { data: unknown }) => utf8Bytes(JSON.stringify(v.data));

describe("fitting user text to a platform's limit", () => {
  it("never splits an emoji and ends with the pointer", () => {
    const text = "😀".repeat(1000);
    const cut = fitText(text, 400, utf8Bytes, "发送 /tickets T-1 查看全文");
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(400);
    expect(cut.endsWith(cutMark("发送 /tickets T-1 查看全文"))).toBe(true);
    expect(cut.replace(cutMark("发送 /tickets T-1 查看全文"), "")).toMatch(/^(😀)+$/u);
  });

  it("cuts the longest text first and leaves short values (ids, names) alone", () => {
    const view = {
      template: "x",
      more: "发送 /status 3 查看全文",
      data: { title: "短标题", body: "长".repeat(5000), value: { a: "review.decide", step: 3 } },
    };
    const fitted = fitView(view, 3000, size);
    expect(fitted).toBeDefined();
    expect(size(fitted as typeof view)).toBeLessThanOrEqual(3000);
    expect(fitted?.data.title).toBe("短标题");
    expect(fitted?.data.value).toEqual({ a: "review.decide", step: 3 });
    expect(String(fitted?.data.body)).toMatch(/^长+…（发送 \/status 3 查看全文）$/);
    expect(String(fitted?.data.body).length).toBeGreaterThan(800); // not cut more than needed
  });

  it("shortens lists when cutting texts is not enough", () => {
    const view = { template: "x", data: { rows: Array.from({ length: 400 }, (_, i) => `第 ${i} 行`) } };
    const fitted = fitView(view, 2000, size);
    expect(size(fitted as typeof view)).toBeLessThanOrEqual(2000);
    expect((fitted as typeof view).data.rows[0]).toBe("第 0 行");
  });

  it("a Feishu review card with thousands of short findings still fits, first findings kept", () => {
    const r = new FeishuRenderer();
    const findings = Array.from({ length: 5000 }, (_, i) => ({ text: `⚠️ 第 ${i} 条` }));
    const card = r.card({
      template: "review",
      more: "发送 /status 9 查看全文",
      data: { title: "t", findings },
    });
    expect(utf8Bytes(JSON.stringify(card))).toBeLessThanOrEqual(30 * 1024);
    expect(JSON.stringify(card)).toContain("⚠️ 第 0 条");
  });
});
