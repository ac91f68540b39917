import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// /who (谁是): whom to ask, by role. Everyone may ask; it changes nothing.
let h: Harness;

beforeEach(async () => {
  h = await startInProcess({ start: Date.parse("2026-11-20T10:00:00+08:00") });
  await seedRoles(h);
});
afterEach(async () => {
  await h.close();
});

describe("/who", () => {
  it("names the holders of one role, by its Chinese name or the alias 谁是", async () => {
    await h.say("wang", "/who 法务");
    expect(h.texts("wang").at(-1)).toBe("法务：陈律师");
    await h.say("mei", "/谁是 运营团队负责人");
    expect(h.texts("mei").at(-1)).toBe("运营团队负责人：李姐、林哥");
  });

  it("without a role lists every role, with 暂无 where nobody holds it", async () => {
    await h.say("wang", "/who");
    const lines = (h.texts("wang").at(-1) ?? "").split("\n");
    expect(lines).toContain("市场部门负责人：张总");
    expect(lines).toContain("发布专员：小刘");
    expect(lines).toContain("客服：（暂无）");
    expect(lines).toHaveLength(10);
  });

  it("an unknown role gets the role names to choose from", async () => {
    await h.say("wang", "/who 厨师");
    const answer = h.texts("wang").at(-1) ?? "";
    expect(answer).toContain("没有「厨师」这个角色");
    expect(answer).toContain("用法：/who [角色]，如 /who 法务。角色：运营专员、运营团队负责人");
  });

  it("/help lists it for everyone, and a typo is pointed to it", async () => {
    await h.say("mei", "/help who");
    expect(h.texts("mei").at(-1)).toContain("查看各角色由谁担任");
    await h.say("mei", "/woh 法务");
    expect(h.texts("mei").at(-1)).toBe("没有这个命令。您是不是想用 /who？");
  });
});
