/**
 * WeCom outbound through the outbox, against the fake's rules: token expiry and refresh, retries on
 * -1 / 45009, dead letters with an admin notice, the per-member and per-robot limits never exceeded
 * (WeCom would drop silently), group robots bound by /bind in a DM, and the crisis page on WeCom
 * (robot @all + a DM card with 收到 to each crisis member).
 */
import { afterEach, describe, expect, it } from "vitest";
import { tx } from "../../src/store/db.ts";
import { buttonsOf, startWecomHarness, type WecomHarness, wecomCardText } from "../fakes/wecom/harness.ts";

let h: WecomHarness;
afterEach(async () => {
  await h.close();
});

const ROBOT_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa".replace(/x/g, "0");
const HOOK = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${ROBOT_KEY}`;
const last = (xs: string[]) => xs.at(-1) ?? "";

function queue(n: number, to: { chatId: string }, prefix = "通知") {
  tx(h.app.db, () => {
    for (let i = 1; i <= n; i++) {
      h.app.core.services.outbound.toChat(
        { platform: "wecom", ...to },
        { type: "text", text: `${prefix} ${i}` },
      );
    }
  });
}

describe("WeCom delivery", () => {
  it("refreshes an expired access_token once and delivers (42001)", async () => {
    h = await startWecomHarness();
    await h.wecomSay("xiaowang", "/help");
    expect(h.wecom.state.tokenRequests).toBe(1);
    h.wecom.state.expireAllTokens();
    await h.wecomSay("xiaowang", "/review");
    expect(h.texts("xiaowang")).toHaveLength(2);
    expect(h.wecom.state.tokenRequests).toBe(2);
    expect(h.wecom.state.calls.some((c) => c.errcode === 42001)).toBe(true);
  });

  it("retries busy (-1) and frequency (45009) answers until delivered", async () => {
    h = await startWecomHarness();
    h.wecom.failNext({ errcode: -1 });
    h.wecom.failNext({ errcode: 45009 });
    h.wecom.failNext({ status: 502 });
    await h.wecomSay("xiaowang", "/help");
    h.clock.advance(61_000); // 45009 asks for a minute's pause
    await h.settle();
    expect(h.texts("xiaowang")).toHaveLength(1);
    expect(h.wecom.state.calls.filter((c) => c.path === "/cgi-bin/message/send").length).toBe(4);
  });

  it("dead-letters a member WeCom does not know (81013) and tells the admin", async () => {
    h = await startWecomHarness();
    for (const m of ["admin", "xiaowang"]) h.wecom.state.members.add(m);
    queue(1, { chatId: "left_the_company" });
    await h.settle();
    const row = h.app.db.$client
      .prepare("select status, last_error from outbox where target = 'chat:left_the_company'")
      .get() as {
      status: string;
      last_error: string;
    };
    expect(row.status).toBe("dead");
    expect(row.last_error).toContain("81013");
    expect(last(h.texts("admin"))).toContain("无法送达");
    expect(last(h.texts("admin"))).toContain("可见范围");
    expect(last(h.texts("admin"))).toContain("/outbox retry");
  });

  it("never exceeds the per-member window: WeCom would have dropped, the bot waits instead", async () => {
    const window = { limit: 5, windowMs: 1500 };
    h = await startWecomHarness({ memberLimits: [window], botLimits: { member: [window], robot: [window] } });
    // The fake does drop silently: six direct sends inside the window, the sixth is "ok" but lost.
    const direct = await fetch(
      `${h.wecom.url}/cgi-bin/gettoken?corpid=ww_fake_corp&corpsecret=wecom-app-secret`,
    );
    const { access_token } = (await direct.json()) as { access_token: string };
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`${h.wecom.url}/cgi-bin/message/send?access_token=${access_token}`, {
        method: "POST",
        body: JSON.stringify({
          touser: "probe",
          agentid: 1000002,
          msgtype: "text",
          text: { content: `x${i}` },
        }),
      });
      expect(((await r.json()) as { errcode: number }).errcode).toBe(0);
    }
    expect(h.wecom.state.dropped).toHaveLength(1);

    const started = Date.now();
    queue(12, { chatId: "zhangzong" });
    await h.settle();
    expect(h.texts("zhangzong")).toHaveLength(12);
    expect(h.wecom.state.dropped.filter((d) => d.touser === "zhangzong")).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * window.windowMs);

    // A restart does not forget the window: the sends of the last hour are read back from the outbox.
    await h.restart();
    queue(5, { chatId: "zhangzong" }, "重启后");
    await h.settle();
    expect(h.texts("zhangzong")).toHaveLength(17);
    expect(h.wecom.state.dropped.filter((d) => d.touser === "zhangzong")).toEqual([]);
  }, 30_000);

  it("binds a group robot by /bind in a DM and posts within its 20/min (scaled) without 45009", async () => {
    const window = { limit: 4, windowMs: 1200 };
    h = await startWecomHarness({
      robotLimits: [window],
      botLimits: { member: [{ limit: 30, windowMs: 60_000 }], robot: [window] },
    });
    h.wecom.state.robots.set(ROBOT_KEY, "运营群");
    await h.wecomSay("xiaowang", `/bind ops ${HOOK}`);
    expect(last(h.texts("xiaowang"))).toContain("只有管理员或市场部门负责人");
    await h.wecomSay("admin", `/bind ops ${HOOK}`);
    expect(last(h.texts("admin"))).toBe("已将群机器人（key 末四位 5aaa）登记为「运营群」");
    await h.wecomSay("admin", "/bind feedback 城东店");
    expect(last(h.texts("admin"))).toContain("请在群里发送此命令");
    // The key is a credential: it is nowhere in the outbox.
    const leaked = h.app.db.$client
      .prepare("select count(*) n from outbox where payload like ? or target like ?")
      .get(`%${ROBOT_KEY}%`, `%${ROBOT_KEY}%`) as { n: number };
    expect(leaked.n).toBe(0);

    tx(h.app.db, () => {
      for (let i = 1; i <= 9; i++)
        h.app.core.services.outbound.toGroups("ops", { type: "text", text: `日报 ${i}` });
    });
    await h.settle();
    expect(h.wecom.state.robotPosts(ROBOT_KEY).map((p) => p.content)).toHaveLength(9);
    expect(h.wecom.state.robotRejected).toEqual([]);
  }, 30_000);

  it("a card resent after a crash (same task_id, same content) reaches the member once", async () => {
    h = await startWecomHarness();
    await h.wecomSay("admin", "/role add ops_lead @lijie(李姐)");
    await h.wecomSay("admin", "/submit 抖音 新店开业\n城东店开业啦");
    expect(h.cards("lijie")).toHaveLength(1);
    // The process died after WeCom accepted the card but before the outbox row was marked done.
    h.app.db.$client
      .prepare("update outbox set status = 'pending', message_id = null where target = 'user:lijie'")
      .run();
    await h.settle();
    expect(h.cards("lijie")).toHaveLength(1);
    expect(h.wecom.state.duplicates).toHaveLength(1);
  });

  it("pages a crisis: robot text with @all, a DM card with 收到 to each member; the first 收到 updates every copy", async () => {
    h = await startWecomHarness();
    h.wecom.state.robots.set(ROBOT_KEY, "危机群");
    await h.wecomSay("admin", "/role add crisis @laozhou(老周) @xiaoliu(小刘)");
    await h.wecomSay("admin", `/bind crisis ${ROBOT_KEY}`);
    await h.wecomSay("xiaowang", "/crisis 2 城东店差评扩散到多个平台");
    const posts = h.wecom.state.robotPosts(ROBOT_KEY);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.mentioned).toEqual(["@all"]);
    expect(posts[0]?.content).toContain("二级危机 C-1");
    expect(posts[0]?.content).toContain("/ack C-1");
    for (const m of ["laozhou", "xiaoliu"]) {
      const card = h.lastCard(m);
      expect(wecomCardText(card.card)).toContain("城东店差评扩散到多个平台");
      expect(buttonsOf(card.card)).toContain("收到");
    }
    await h.wecomClick("laozhou", h.lastCard("laozhou").taskId as string, "收到");
    expect(last(h.texts("laozhou"))).toContain("已确认 C-1，你是负责人");
    for (const m of ["laozhou", "xiaoliu"]) {
      const card = h.lastCard(m).card;
      expect(buttonsOf(card)).not.toContain("收到");
      expect(wecomCardText(card)).toContain("老周");
    }
    expect(h.wecom.state.robotPosts(ROBOT_KEY).at(-1)?.content).toContain("已由 老周 确认");
    // No more pages after the ack.
    h.clock.advance(30 * 60_000);
    await h.settle();
    expect(h.wecom.state.robotPosts(ROBOT_KEY).filter((p) => p.mentioned.includes("@all"))).toHaveLength(1);
  });
});
