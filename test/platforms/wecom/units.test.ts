/**
 * Small parts of the WeCom channel: @userid mentions, button keys, the sliding-window gate that keeps
 * sends under WeCom's silent limits, and the API client's token cache and error classification.
 */
import { describe, expect, it } from "vitest";
import { classifyWecomCode, WecomApi } from "../../../src/platforms/wecom/api.ts";
import { SlidingGate } from "../../../src/platforms/wecom/limits.ts";
import {
  mentionsOf,
  normaliseWecomCardEvent,
  parseButtonKey,
} from "../../../src/platforms/wecom/normalise.ts";
import { WecomRenderer } from "../../../src/platforms/wecom/render.ts";

describe("WeCom normalising", () => {
  it("turns @userid and @userid(名字) into mentions, but not a planned time", () => {
    const r = mentionsOf("/role add ops_lead @lijie(李姐) @linge @lijie");
    expect(r.text).toBe("/role add ops_lead @{0} @{1} @{0}");
    expect(r.mentions).toEqual([
      { userId: "lijie", name: "李姐" },
      { userId: "linge", name: "" },
    ]);
    expect(mentionsOf("/submit 抖音 标题 @2026-11-20 20:00").text).toBe(
      "/submit 抖音 标题 @2026-11-20 20:00",
    );
    expect(mentionsOf("邮箱 a@b.cn 不是提及").mentions).toEqual([]);
  });

  it("reads button keys, with and without a question", () => {
    expect(parseButtonKey('{"a":"review.decide","step":3,"v":"reject","?":["opinion","驳回意见"]}')).toEqual({
      value: { a: "review.decide", step: 3, v: "reject" },
      ask: { field: "opinion", label: "驳回意见" },
    });
    expect(parseButtonKey("not json")).toBeUndefined();
    expect(parseButtonKey("[1]")).toBeUndefined();
  });

  it("a click names the click, not the copy, so every copy (the clicked one too) is updated by the outbox", () => {
    const a = normaliseWecomCardEvent({
      FromUserName: "lijie",
      TaskId: "t1",
      EventKey: '{"a":"crisis.ack","c":1}',
      ResponseCode: "rc",
    });
    expect(a).toMatchObject({
      platform: "wecom",
      value: { a: "crisis.ack", c: 1 },
      messageId: "click:t1:rc",
    });
  });
});

describe("SlidingGate", () => {
  it("lets `limit` calls through per window and then waits until the oldest finish leaves it", () => {
    const g = new SlidingGate([{ limit: 3, windowMs: 1000 }], 0);
    for (const t of [0, 10, 20]) {
      expect(g.waitMs("m", t)).toBe(0);
      g.record("m", t);
    }
    expect(g.waitMs("m", 30)).toBe(971); // at 1001 the call finished at 0 is out of the window
    expect(g.waitMs("other", 30)).toBe(0);
    expect(g.waitMs("m", 1001)).toBe(0);
  });

  it("applies every rule: 30/min and 1000/h", () => {
    const g = new SlidingGate(
      [
        { limit: 30, windowMs: 60_000 },
        { limit: 40, windowMs: 3_600_000 },
      ],
      0,
    );
    let t = 0;
    let sent = 0;
    while (t < 3 * 3_600_000) {
      const w = g.waitMs("m", t);
      if (w === 0) {
        g.record("m", t);
        sent++;
      }
      t += w || 1000;
    }
    // Never more than 30 in any minute, nor 40 in any hour: 3 hours → at most 120.
    expect(sent).toBeLessThanOrEqual(120);
    expect(sent).toBeGreaterThanOrEqual(110);
  });
});

describe("WecomApi", () => {
  const replies: unknown[] = [];
  const seen: string[] = [];
  const fake: typeof fetch = async (input) => {
    seen.push(String(input));
    const next = replies.shift() ?? { errcode: 0, errmsg: "ok" };
    return new Response(JSON.stringify(next), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const api = new WecomApi({
    base: "http://wecom.test",
    corpId: "ww1",
    secret: "s",
    agentId: 7,
    fetch: fake,
  });

  it("caches the token, refreshes once on 42001, and classifies errors", async () => {
    replies.push({ errcode: 0, access_token: "T1", expires_in: 7200 }, { errcode: 0, msgid: "m1" });
    expect((await api.sendMessage({ touser: "a", msgtype: "text", text: { content: "x" } })).ok).toBe(true);
    replies.push({ errcode: 0, msgid: "m2" });
    await api.sendMessage({ touser: "a", msgtype: "text", text: { content: "y" } });
    expect(api.tokenRequests).toBe(1);
    replies.push(
      { errcode: 42001, errmsg: "expired" },
      { errcode: 0, access_token: "T2", expires_in: 7200 },
      {
        errcode: 0,
      },
    );
    expect((await api.sendMessage({ touser: "a", msgtype: "text", text: { content: "z" } })).ok).toBe(true);
    expect(api.tokenRequests).toBe(2);
    expect(seen.at(-1)).toContain("access_token=T2");
    replies.push({ errcode: 0, invaliduser: "a" });
    expect(await api.sendMessage({ touser: "a", msgtype: "text", text: { content: "w" } })).toMatchObject({
      ok: false,
      retry: false,
      code: "INVALID_USER",
    });
  });

  it("retries -1, 45009, 45033; dead-letters 81013 and unknown codes", () => {
    expect(classifyWecomCode(-1, "busy")).toMatchObject({ retry: true });
    expect(classifyWecomCode(45009, "freq")).toMatchObject({ retry: true, afterMs: 60_000 });
    expect(classifyWecomCode(45033, "concurrency")).toMatchObject({ retry: true });
    expect(classifyWecomCode(81013, "all invalid")).toMatchObject({ retry: false, code: "81013" });
    expect(classifyWecomCode(40058, "invalid")).toMatchObject({ retry: false });
  });
});

describe("repeated texts to one member (WeCom's 30-minute duplicate check)", () => {
  it("every repeat a member can receive in the window reads the same but is different content, then the marks stop", () => {
    const { repeat } = new WecomRenderer();
    const payload = { to: "member", userId: "lijie", msg: { msgtype: "text", parts: ["已通过「初审」"] } };
    const seen = new Set<string>();
    for (let n = 1; n <= 2186; n++) {
      const p = repeat.distinct(payload, n) as { msg: { parts: string[] } };
      const text = p.msg.parts[0] ?? "";
      expect(text.replace(/[\u200b-\u200d]/g, "")).toBe("已通过「初审」");
      seen.add(text);
    }
    expect(seen.size).toBe(2186);
    // Past that the writer keeps the payload as it is rather than look for a free variant for ever.
    expect(repeat.distinct(payload, 2187)).toBeUndefined();
    expect(
      repeat.distinct({ to: "robot", robotId: 1, msg: { msgtype: "text", content: "x" } }, 1),
    ).toBeUndefined();
  });
});
