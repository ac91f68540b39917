import { afterEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const lastText = (who: "admin" | "wang" | "li" | "zhang" | "chen") => h.texts(who).at(-1) ?? "";

describe("seeds/003 citations", () => {
  it("the seed003 chain runs 一审 内容策划 → 二审 部门经理 → 三审 法务/公关 (模板 二.1)", async () => {
    h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
    await seedRoles(h);
    await h.say("admin", "/policy set review.chain seed003");
    await h.say("wang", "/submit 抖音 三级审核\n正文");
    expect(lastText("wang")).toContain("当前：一审（内容策划）");
    await h.say("li", "/approve 1");
    await h.say("zhang", "/approve 1");
    await h.say("chen", "/approve 1");
    await h.say("wang", "/status 1");
    const status = lastText("wang");
    expect(status).toContain("1. 一审（内容策划）");
    expect(status).toContain("2. 二审（部门经理）");
    expect(status).toContain("3. 三审（法务/公关）");
  });

  it("/policy cites seeds/003 for the 微博 30 min, 留言 2 h and 24–72 h data rules, never 002", async () => {
    h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
    await h.say("admin", "/policy");
    const all = h.texts("admin").join("\n");
    expect(all).toContain("附件 003 二.3");
    expect(all).toContain("附件 003 三.1");
    expect(all).not.toContain("002");
  });
});
