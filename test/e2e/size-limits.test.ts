/**
 * Nothing a person types can make a message undeliverable: every card stays under Feishu's 30 KB and
 * every text under 150 KB (the fake refuses bigger ones with 230025, as Feishu does), long user text is
 * cut with "…" and a pointer to where the whole text is, and nothing is dead-lettered for size.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_CARD_BYTES, MAX_TEXT_BYTES } from "../../src/platforms/sandbox/open-platform/cards-rules.ts";
import { startWecomHarness } from "../fakes/wecom/harness.ts";
import { cardText, type Harness, hasDecisionButtons, seedRoles, startHarness } from "../support/harness.ts";

let h: Harness;
const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;
const dead = () => count("select count(*) n from outbox where status = 'dead'");
const tooLong = () => h.fake.state.rejected(230025);
const cardBytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card));

/** n characters of varied Chinese text (3 bytes each in UTF-8), ending with a marker. */
const long = (n: number, end = "【完】") => {
  const words = "客人投诉主持人全程看手机态度很差要求退款并且说要发到网上";
  let s = "";
  while (s.length < n - end.length) s += words;
  return s.slice(0, n - end.length) + end;
};

beforeEach(async () => {
  h = await startHarness();
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind cs", { chatId: "oc_cs" });
});
afterEach(async () => {
  await h.close();
});

describe("size limits", () => {
  it("a 12,000-character complaint: the ticket card reaches 客服, clipped with a pointer to the full text", async () => {
    const complaint = long(12_000);
    await h.say("wang", `/feedback 城东店 ${complaint}`);
    const card = h.cards("oc_cs").at(-1);
    expect(card).toBeDefined();
    expect(cardBytes(card?.card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const shown = cardText(card?.card);
    expect(shown).toContain(complaint.slice(0, 500));
    expect(shown).toContain("…");
    expect(shown).toContain("/tickets T-1");
    expect(JSON.stringify(card?.card)).toContain('"ticket.done"'); // still has its buttons
    expect(dead()).toBe(0);
    expect(tooLong()).toBe(0);
    // The pointer works: the whole complaint, to the last character.
    await h.say("mei", "/tickets T-1");
    expect(h.texts("mei").at(-1)).toContain(complaint);
  });

  it("a long /reject opinion updates every copy of the review card and reaches the author", async () => {
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    const opinion = long(15_000, "【意见完】");
    await h.say("li", `/reject 1 ${opinion}`);
    for (const who of ["li", "lin"] as const) {
      const copy = h.cards(who)[0];
      expect(copy?.updates.length).toBeGreaterThan(0);
      expect(hasDecisionButtons(copy?.card)).toBe(false);
      expect(cardBytes(copy?.card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      expect(cardText(copy?.card)).toContain("/status 1");
    }
    const notice = h.texts("wang").find((t) => t.startsWith("❌ #1"));
    expect(notice).toContain(opinion); // 45 KB: a text may carry it whole
    expect(dead()).toBe(0);
    expect(tooLong()).toBe(0);
  });

  it("an opinion longer than a Feishu text can carry: the author's notice is clipped, not lost", async () => {
    await h.say("wang", "/submit 抖音 周末活动\n周末来玩");
    await h.say("li", `/reject 1 ${long(60_000)}`);
    const notice = h.texts("wang").find((t) => t.startsWith("❌ #1"));
    expect(notice).toBeDefined();
    expect(Buffer.byteLength(JSON.stringify({ text: notice }))).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    expect(notice).toContain("…");
    expect(notice).toContain("/status 1");
    expect(dead()).toBe(0);
  });

  it("a 10,000-character title from the /submit form: the review card is delivered", async () => {
    await h.say("wang", "/submit");
    const form = h.cards("wang").at(-1);
    const title = long(10_000, "【标题完】");
    const res = await h.click(
      "wang",
      form?.messageId ?? "",
      { a: "submit.form" },
      { formValue: { platforms: ["douyin"], title, body: "周末来玩", flags: [], planned: "" } },
    );
    expect((res.json.toast as { content: string }).content).toBe("已提交 #1");
    const answered = (res.json.card as { data: unknown }).data;
    expect(cardBytes(answered)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    for (const who of ["li", "lin"] as const) {
      const card = h.cards(who).at(-1);
      expect(card).toBeDefined();
      expect(cardBytes(card?.card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      expect(hasDecisionButtons(card?.card)).toBe(true);
      expect(cardText(card?.card)).toContain("/status 1");
    }
    expect(dead()).toBe(0);
    expect(tooLong()).toBe(0);
  });

  it("the admins' notice about a dead letter is in Chinese and says what to do", async () => {
    h.fake.config.chatsWithoutBot.add("oc_gone");
    await h.say("admin", "/bind ops", { chatId: "oc_gone" });
    const notice = h.texts("admin").find((t) => t.includes("无法送达"));
    expect(notice).toBeDefined();
    expect(notice).toContain("机器人不在");
    expect(notice).toContain("/outbox retry");
    expect(notice).not.toMatch(/Bot\/User|chat:|feishu|230002/);
  });
});

describe("size limits on WeCom", () => {
  it("a 12,000-character complaint reaches 客服 within WeCom's limits, pointing to /tickets T-1", async () => {
    const w = await startWecomHarness();
    try {
      await w.wecomSay("admin", "/store add 城东店");
      await w.wecomSay("admin", "/role add cs @xiaomei(小美)");
      const complaint = long(12_000);
      await w.wecomSay("ajie", `/feedback 城东店 ${complaint}`);
      const card = w.lastCard("xiaomei").card as { quote_area?: { quote_text?: string } };
      const quote = card.quote_area?.quote_text ?? "";
      expect([...quote].length).toBeLessThanOrEqual(160);
      expect(quote).toContain(complaint.slice(0, 50));
      expect(quote).toContain("…（发送 /tickets T-1 查看全文）");
      await w.wecomSay("xiaomei", "/tickets T-1");
      // 36 KB does not fit one WeCom text (2,048 bytes): the answer comes in parts, the end says so.
      const answer = w.texts("xiaomei").slice(-5).join("");
      expect(answer).toContain(complaint.slice(0, 600));
      expect(w.app.db.$client.prepare("select count(*) n from outbox where status='dead'").get()).toEqual({
        n: 0,
      });
    } finally {
      await w.close();
    }
  });
});
