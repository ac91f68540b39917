/**
 * Hostile text on WeCom, where three renderings carry markup of their own:
 *  - app text messages render `<a href>` as a clickable link (WeCom 应用消息 text: "支持换行、以及A标签");
 *  - markdown (app DMs without buttons, group-robot posts) has links, `<font>`, `**`, headings and
 *    `<@userid>` mentions;
 *  - group-robot text mentions only through `mentioned_list` (`@all` pages everyone).
 * User text must arrive as the words typed, never as a link, formatting or a mention; template cards
 * show it in plain fields. Stored text stays verbatim.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { startWecomHarness, type WecomHarness, wecomCardText } from "../fakes/wecom/harness.ts";
import { HOSTILE } from "./support.ts";

const ROBOT_KEY = "5b3c2a10-0000-4bc4-97a0-0ec2aabbccdd";

let w: WecomHarness;
beforeEach(async () => {
  w = await startWecomHarness();
  w.wecom.state.robots.set(ROBOT_KEY, "客服群");
  await w.wecomSay("admin", "/role add ops_lead @lijie(李姐)");
  await w.wecomSay("admin", "/role add ops @xiaowang(小王)");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await w.wecomSay("admin", "/exam record @xiaowang(小王) 100");
  await w.wecomSay("admin", "/store add 城东店");
  await w.wecomSay("admin", `/bind cs ${ROBOT_KEY}`);
});
afterEach(async () => {
  await w.close();
});

/** No raw `<a …>` tag: WeCom app text would turn it into a link to wherever the user pointed it. */
const noLinkTag = (s: string) => expect(s, s).not.toMatch(/<a\b/i);

it("titles and bodies reach the reviewer's template card verbatim and /status without live links", async () => {
  const title = `退款 ${HOSTILE.aTag}`;
  const body = [HOSTILE.aTag, HOSTILE.link, HOSTILE.wecomMention, HOSTILE.font, HOSTILE.sqlDrop].join("\n");
  await w.wecomSay("xiaowang", `/submit 抖音 ${title}\n${body}`);
  const stored = w.app.db.$client
    .prepare("select c.title, r.body from content_items c join revisions r on r.item_id = c.id")
    .get();
  expect(stored).toEqual({ title, body });
  // Template card fields are plain text on WeCom: the body is shown as typed (clipped to the quote's size).
  const card = wecomCardText(w.lastCard("lijie").card);
  expect(card).toContain("退款 <a href=");
  expect(card).toContain(HOSTILE.aTag.slice(0, 20));

  await w.wecomSay("xiaowang", "/status 1");
  const status = w.texts("xiaowang").at(-1) ?? "";
  // The words are all there…
  expect(status).toContain("退款链接");
  expect(status).toContain("https://evil.example");
  expect(status).toContain(HOSTILE.link);
  expect(status).toContain(HOSTILE.sqlDrop);
  // …but no tag WeCom would render as a link.
  noLinkTag(status);
  for (const t of w.texts("xiaowang")) noLinkTag(t);
});

it("feedback posted to the 客服 group robot as markdown shows the markup as text", async () => {
  const text = `差评 ${HOSTILE.link} ${HOSTILE.font} ${HOSTILE.bold} ${HOSTILE.wecomMention} <@lijie> # 标题 \`code\``;
  await w.wecomSay("xiaowang", `/feedback 城东店 ${text}`);
  expect(w.app.db.$client.prepare("select text from tickets").get()).toEqual({ text });
  const post = w.wecom.state.robotPosts(ROBOT_KEY).at(-1);
  expect(post?.msgtype).toBe("markdown");
  const shown = post?.content ?? "";
  const line = shown.split("\n").find((l) => l.startsWith("内容：")) ?? "";
  // The user's line has no markdown syntax left: no link, colour, bold, heading, code or mention.
  expect(line).not.toMatch(/\[[^\]]*\]\(|<font|\*\*|<@|#|`/);
  // The characters are replaced by their full-width twins, so the text still reads the same.
  expect(line).toContain("［点我］(https://evil.example)");
  expect(line).toContain("＜@all＞");
  expect(line).toContain("＊＊加粗＊＊");
  // A robot only mentions through mentioned_list; a ticket post mentions nobody.
  expect(post?.mentioned).toEqual([]);
});

it("a text that is sent to the group robot as text never mentions @all because of what a user typed", async () => {
  // A positive ticket is not posted; a crisis page is the only robot text that may carry @all.
  await w.wecomSay("admin", `/bind crisis ${ROBOT_KEY}`);
  await w.wecomSay("admin", "/role add crisis @laozhou(老周)");
  await w.wecomSay("xiaowang", `/crisis 1 顾客投诉 ${HOSTILE.wecomMention} @all ${HOSTILE.aTag}`);
  const posts = w.wecom.state.robotPosts(ROBOT_KEY);
  const page = posts.find((p) => p.content.includes("C-1"));
  expect(page?.mentioned).toEqual(["@all"]); // the page itself @-mentions everyone
  // Typed text stays text: "@all" is neither turned into a mention placeholder nor into a member.
  expect(page?.content).toContain("顾客投诉 <@all> @all");
  expect(w.app.db.$client.prepare("select description from crises").get()).toEqual({
    description: `顾客投诉 ${HOSTILE.wecomMention} @all ${HOSTILE.aTag}`,
  });
  expect(w.app.db.$client.prepare("select count(*) n from identities where user_id = 'all'").get()).toEqual({
    n: 0,
  });
  await w.wecomSay("laozhou", "/ack C-1");
  const after = w.wecom.state.robotPosts(ROBOT_KEY).slice(posts.length);
  expect(after.length).toBeGreaterThan(0);
  for (const p of after) expect(p.mentioned).toEqual([]);
});
