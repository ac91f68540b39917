import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

// 中评/3星 (seeds/000 第九条：对中差评主动沟通): the rule feedback.rating.mid decides whether such a ticket
// is a complaint for customer service (差评, the default) or a neutral one.

let h: Harness;

beforeEach(async () => {
  h = await startInProcess({ start: Date.parse("2026-11-16T10:00:00+08:00") });
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind cs", { chatId: "oc_cs" });
});
afterEach(async () => {
  await h.close();
});

describe("a middle rating", () => {
  it("is a complaint for customer service by default", async () => {
    await h.say("wang", "/feedback 城东店 美团评价：三星，中规中矩");
    expect(h.texts("wang").at(-1)).toContain("｜差评｜");
    expect(h.cards("oc_cs")).toHaveLength(1);
  });

  it("is neutral once the rule says 中性, and nothing goes to customer service", async () => {
    await h.say("admin", "/policy set feedback.rating.mid 中性");
    await h.say("wang", "/feedback 城东店 美团评价：三星，中规中矩");
    expect(h.texts("wang").at(-1)).toContain("｜中性｜");
    expect(h.cards("oc_cs")).toHaveLength(0);
  });
});
