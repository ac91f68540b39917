/**
 * SQL-ish and script-ish text in every free-text field, on Feishu (docs/reliability.md: fuzzed text never changes
 * state unless it parses). For each hostile string (support.ts → HOSTILE) the bot must:
 *  - store it verbatim (read back from the database) and never execute it: every table still exists;
 *  - show it verbatim: in text replies (where `<at …>` is the only thing defused, to ＜at, because
 *    Feishu text turns it into a real mention) and in cards, where user text only ever sits in
 *    plain_text elements — never in markdown, so `<at id=all></at>` cannot @all, `[点我](url)` is no
 *    link, `**`/`<font>` are no formatting, and `{{…}}` is not filled in a second time.
 * Fields whose value must parse (metric values, policy values) refuse the hostile text whole.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FEISHU_CARDS_DIR } from "../../src/platforms/feishu/render.ts";
import { cardProblem } from "../../src/platforms/sandbox/open-platform/index.ts";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";
import { CORE_TABLES, countDelta, HOSTILE, tableCounts } from "./support.ts";

const CS_GROUP = "oc_cs_group";
const CRISIS_GROUP = "oc_crisis_group";
const VALUES = Object.values(HOSTILE);

let h: Harness;
beforeEach(async () => {
  h = await startInProcess();
  await seedRoles(h);
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/role add crisis @林哥");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind crisis", { chatId: CRISIS_GROUP });
  await h.say("admin", "/bind cs", { chatId: CS_GROUP });
});
afterEach(async () => {
  await h.close();
});

const rows = <T>(sql: string, ...p: unknown[]) => h.app.db.$client.prepare(sql).all(...p) as T[];
const value = <T>(sql: string, ...p: unknown[]) => h.app.db.$client.prepare(sql).get(...p) as T;

/** How Feishu text shows a string: only `<at` is defused, everything else arrives as typed. */
const asText = (s: string) => s.replace(/<(\/?at\b)/gi, "＜$1");
/** One-line fields (titles, crisis descriptions) are command words joined by one space (JS \s includes U+FEFF). */
const words = (s: string) => s.split(/\s+/).join(" ");

/** The tag of every card element whose text contains `needle` (untagged: the chat-list summary). */
function placesOf(card: unknown, needle: string): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === "string" && v.includes(needle))
          out.push(k === "content" ? String(o.tag ?? "(untagged)") : k);
        else walk(v);
      }
    }
  };
  walk(card);
  return out;
}

/** Every table the bot relies on is still there (nothing ran `DROP TABLE`). */
function expectTablesIntact(): void {
  const names = rows<{ name: string }>("select name from sqlite_master where type = 'table'").map(
    (t) => t.name,
  );
  for (const t of CORE_TABLES) expect(names).toContain(t);
}

/** A card shows `s` only as plain text: somewhere, and never in markdown. */
function expectPlainOnly(card: unknown, s: string): void {
  const places = placesOf(card, s);
  expect(places.length, `「${s}」 not shown`).toBeGreaterThan(0);
  for (const p of places) expect(["plain_text", "(untagged)"], `「${s}」 in ${p}`).toContain(p);
  expect(cardProblem(card)).toBeUndefined();
}

describe("templates", () => {
  it("no Feishu card template interpolates data into a markdown element", () => {
    // Static guarantee behind every card assertion below: markdown elements hold only fixed text (and
    // the crisis card's own <at id=all>), so no view field can ever be rendered as markdown.
    const offenders: string[] = [];
    for (const f of readdirSync(FEISHU_CARDS_DIR).filter((x) => x.endsWith(".json"))) {
      const walk = (n: unknown) => {
        if (Array.isArray(n)) n.forEach(walk);
        else if (n && typeof n === "object") {
          const o = n as Record<string, unknown>;
          if ((o.tag === "markdown" || o.tag === "lark_md") && JSON.stringify(o).includes("{{"))
            offenders.push(`${f}: ${JSON.stringify(o)}`);
          Object.values(o).forEach(walk);
        }
      };
      walk(JSON.parse(readFileSync(new URL(f, FEISHU_CARDS_DIR), "utf8")));
    }
    expect(offenders).toEqual([]);
  });
});

describe("hostile text in the review chain", () => {
  it("titles and bodies: stored verbatim, verbatim in /status, plain text on the reviewer's card", async () => {
    for (const [i, v] of VALUES.entries()) {
      const title = `标题${i} ${v}`;
      const body = `正文第一行 ${v}\n第二行 ${v}`;
      await h.say("wang", `/submit 抖音 ${title}\n${body}`);
      const id = i + 1;
      expect(h.texts("wang").at(-1), v).toMatch(new RegExp(`^已提交 #${id}《`));
      const stored = value<{ title: string; body: string }>(
        "select c.title, r.body from content_items c join revisions r on r.item_id = c.id where c.id = ?",
        id,
      );
      // A title is its words joined by one space; a body is kept exactly.
      expect(stored).toEqual({ title: words(title), body });
      await h.say("wang", `/status ${id}`);
      const status = h.texts("wang").at(-1) ?? "";
      expect(status, v).toContain(asText(stored.title));
      expect(status, v).toContain(asText(body));
      const card = h.cards("li").at(-1)?.card;
      expectPlainOnly(card, `正文第一行 ${v}`);
      expectPlainOnly(card, stored.title);
      // The template markers in the title are shown, not filled: the card still has just its two buttons.
      expect(JSON.stringify(card).match(/"a":"review\.decide"/g), v).toHaveLength(2);
    }
    expect(value<{ n: number }>("select count(*) n from content_items").n).toBe(VALUES.length);
    expectTablesIntact();
  });

  it("驳回 opinions and withdraw reasons: stored verbatim, verbatim to the author, plain on the card", async () => {
    for (const [i, v] of VALUES.entries()) {
      await h.say("wang", `/submit 抖音 第${i}条\n正文`);
      const id = i + 1;
      await h.say("li", `/reject ${id} 意见 ${v}`);
      const step = value<{ opinion: string }>(
        "select opinion from review_steps where item_id = ? and position = 1",
        id,
      );
      expect(step.opinion).toBe(`意见 ${v}`);
      expect(h.texts("wang").at(-1), v).toContain(`意见：${asText(`意见 ${v}`)}`);
      // 李姐's card now shows the decision and the opinion.
      const card = h.cards("li").at(-1)?.card;
      expectPlainOnly(card, `意见 ${v}`);
    }
    await h.say("wang", "/submit 抖音 要撤回的\n正文");
    await h.say("zhang", `/withdraw ${VALUES.length + 1} ${HOSTILE.atAll} ${HOSTILE.sqlDrop}`);
    const withdrawn = value<{ opinion: string }>("select opinion from review_events where type = 'withdraw'");
    expect(withdrawn.opinion).toBe(`${HOSTILE.atAll} ${HOSTILE.sqlDrop}`);
    expect(h.texts("wang").at(-1)).toContain(`原因：${asText(HOSTILE.atAll)} ${HOSTILE.sqlDrop}`);
    expectTablesIntact();
  });

  it("a 10,000-character body is stored whole and the card stays valid and within Feishu's size", async () => {
    const body = `${HOSTILE.atAll}${"长".repeat(9_990)}${HOSTILE.link}`.slice(0, 10_000);
    await h.say("wang", `/submit 抖音 很长的正文\n${body}`);
    expect(value<{ body: string }>("select body from revisions where item_id = 1").body).toBe(body);
    const card = h.cards("li").at(-1)?.card;
    expect(cardProblem(card)).toBeUndefined();
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(30 * 1024);
    expect(placesOf(card, HOSTILE.atAll)).toEqual(["plain_text"]);
    await h.say("wang", "/status 1");
    expect(h.texts("wang").at(-1)).toContain(asText(body));
  });
});

describe("hostile text in tickets, crises, stores and settings", () => {
  it("feedback text and /done notes: stored verbatim, plain text on the 客服 card", async () => {
    for (const [i, v] of VALUES.entries()) {
      // 差评 makes it a negative ticket, so it goes to the cs group as a card.
      await h.say("wang", `/feedback 城东店 差评 ${v}`);
      const id = i + 1;
      expect(value<{ text: string }>("select text from tickets where id = ?", id).text).toBe(`差评 ${v}`);
      expectPlainOnly(h.cards(CS_GROUP).at(-1)?.card, `差评 ${v}`);
      await h.say("mei", `/done T-${id} 已回复 ${v}`);
      expect(
        value<{ note: string; status: string }>("select note, status from tickets where id = ?", id),
      ).toEqual({
        note: `已回复 ${v}`,
        status: "done",
      });
      expect(h.texts("mei").at(-1), v).toBe(`✅ 已处理 T-${id}：${asText(`已回复 ${v}`)}`);
    }
    expectTablesIntact();
  });

  it("crisis descriptions, notes and summaries: stored verbatim, plain text on the red card", async () => {
    for (const [i, v] of VALUES.entries()) {
      await h.say("wang", `/crisis 1 描述 ${v}`);
      const id = i + 1;
      expect(
        value<{ description: string }>("select description from crises where id = ?", id).description,
      ).toBe(words(`描述 ${v}`));
      // (The card's own page has an <at id=all> in markdown: look for the description, prefix included.)
      const card = h.cards(CRISIS_GROUP).at(-1)?.card;
      expectPlainOnly(card, words(`描述 ${v}`));
      await h.say("lin", `/crisis note C-${id} 进展 ${v}`);
      await h.say("lin", `/crisis close C-${id} 总结 ${v}`);
      expect(value<{ summary: string }>("select summary from crises where id = ?", id).summary).toBe(
        `总结 ${v}`,
      );
      const notes = rows<{ detail: string }>(
        "select detail from crisis_events where crisis_id = ? and type = 'note'",
        id,
      );
      expect(notes).toEqual([{ detail: `记录：进展 ${v}` }]);
    }
    // On every crisis card <at id=all> appears at most once as markup — the page's own, while it pages —
    // and any other occurrence (C-2's description) is plain text.
    for (const m of h.cards(CRISIS_GROUP)) {
      const places = placesOf(m.card, "<at id=all></at>");
      expect(places.filter((p) => p === "markdown").length).toBeLessThanOrEqual(1);
      for (const p of places.filter((x) => x !== "markdown"))
        expect(["plain_text", "(untagged)"]).toContain(p);
    }
    expectTablesIntact();
  });

  it("store names are stored verbatim (≤ 40 characters) and listed verbatim", async () => {
    const short = VALUES.filter((v) => v.length <= 40);
    for (const v of short) await h.say("admin", `/store add ${v}`);
    const stored = rows<{ name: string }>("select name from stores where name != '城东店' order by id").map(
      (s) => s.name,
    );
    expect(stored).toEqual(short);
    await h.say("admin", "/store list");
    for (const v of short) expect(h.texts("admin").at(-1)).toContain(asText(v));
    expectTablesIntact();
  });

  it("values that must parse refuse hostile text whole: metric values, policy values, dates", async () => {
    const before = tableCounts(h.app.db.$client);
    const attempts = [
      `/metric 抖音 曝光=${HOSTILE.sqlDrop}`,
      `/metric 抖音 曝光=1000 点赞=${HOSTILE.sqlOr}`,
      `/metric 抖音 ${HOSTILE.script}=5`,
      `/metric ${HOSTILE.sqlOr}`,
      `/policy set review.step.remind ${HOSTILE.sqlDrop}`,
      `/policy set ${HOSTILE.mustache} 1h`,
      `/policy set quiet.hours ${HOSTILE.jsTemplate}`,
      `/live 抖音 ${HOSTILE.sqlOr} 直播主题`,
      `/crisis 1 描述 发现于=${HOSTILE.script}`,
    ];
    for (const text of attempts) {
      const who = text.startsWith("/policy") ? "admin" : "wang";
      await h.say(who, text);
      expect(h.texts(who).at(-1), text).toMatch(/用法|有误|格式|无效|不是有效|不认识|没有|未登记/);
    }
    const delta = countDelta(before, tableCounts(h.app.db.$client));
    // Only the answers: two de-dup keys per message, one reply each.
    expect(delta).toEqual({ inbound_seen: 2 * attempts.length, outbox: attempts.length });
    expectTablesIntact();
  });

  it("archive search terms are data, not SQL: they find exactly the records that contain them", async () => {
    await h.say("wang", "/submit 抖音 档案里的标题\n正文");
    // `%` and `_` first: as LIKE wildcards they would match everything; as text, nothing contains them yet.
    const terms = [
      "%",
      "_%_",
      "');DROP/**/TABLE/**/archive_records;--",
      "%'/**/OR/**/'1'='1",
      "1)/**/OR/**/(1=1",
      "<script>alert(1)</script>",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point
      "${1+1}",
    ];
    for (const [i, term] of terms.entries()) {
      // What a text search must find: the records containing the term (earlier searches are archived too).
      const contents = rows<{ content: string }>("select content from archive_records").map((r) => r.content);
      const expected = contents.filter((c) => c.toLowerCase().includes(term.toLowerCase())).length;
      if (i < 2) expect(expected).toBe(0);
      await h.say("admin", `/archive search ${term}`);
      const answer = h.texts("admin").at(-1) ?? "";
      if (expected === 0) expect(answer, term).toContain(`🔎 档案中没有找到「${term}」`);
      else expect(answer, term).toContain(`🔎 档案查阅「${term}」（范围：全部）共 ${expected} 条`);
    }
    await h.say("admin", "/archive search 档案里的标题");
    expect(h.texts("admin").at(-1)).toMatch(/^🔎 档案查阅「档案里的标题」/);
    // Every search was logged, and nothing else was removed from or added to the archive.
    expect(value<{ n: number }>("select count(*) n from archive_access_log").n).toBe(terms.length + 1);
    expectTablesIntact();
  });
});

describe("mentions typed inside free text", () => {
  it("an @-mention in a title, crisis description or feedback is kept as the person's name, not @{0}", async () => {
    // KNOWN FAILING: the platforms turn mentions into `@{n}` placeholders for the command layer (so /role
    // can find the person), and the free-text commands store ctx.rest as it is: the title below is saved
    // and shown as 《请@{0} 看看》. Fix in core: resolve `@{n}` to `@名字` in free text before storing.
    await h.say("wang", "/submit 抖音 请@李姐 看看\n正文 @张总 你好");
    await h.say("wang", "/crisis 1 @李姐 说城东店有人受伤");
    await h.say("wang", "/feedback 城东店 @李姐 服务差");
    const stored = [
      value<{ s: string }>("select title s from content_items").s,
      value<{ s: string }>("select body s from revisions").s,
      value<{ s: string }>("select description s from crises").s,
      value<{ s: string }>("select text s from tickets").s,
    ];
    expect(stored).toEqual(["请@李姐 看看", "正文 @张总 你好", "@李姐 说城东店有人受伤", "@李姐 服务差"]);
  });
});
