/**
 * The 智能机器人's long connection as operators see it: a drop mid-run (messages sent meanwhile arrive
 * after the reconnect, the page that fell due waits in the outbox and then goes, nothing twice), and a
 * wrong secret (a clear error line naming the variable, /healthz 503, /metrics "refused").
 */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type BotHarness, cardText, startBotHarness } from "../fakes/wecom-bot/harness.ts";

const CRISIS = "wrk_crisis";
const MIN = 60_000;
let h: BotHarness;
afterEach(async () => {
  await h.close();
});

const health = async () => {
  const res = await fetch(`${h.url}/healthz`);
  return { status: res.status, body: (await res.json()) as { channels: Record<string, { state: string }> } };
};

describe("the robot's long connection", () => {
  it("drops mid-run: reconnects, takes what was said meanwhile once, sends what waited, nothing twice", async () => {
    h = await startBotHarness();
    h.bot.addGroup(CRISIS, ["admin", "linge", "xiaoliu"]);
    await h.say("admin", "/role add crisis @linge(林哥) @xiaoliu(小刘)");
    await h.say("admin", "/bind crisis", { chatid: CRISIS });
    expect((await health()).body.channels.wecom_bot?.state).toBe("connected");

    const t0 = h.clock.now();
    const report = await h.say("admin", "/crisis 3 城东店被本地媒体曝光");
    // The group holds one page card; a repeat is a line pointing at it.
    const pages = () =>
      h.cards(CRISIS).filter((c) => cardText(c.card).includes("三级危机 C-1")).length +
      h.texts(CRISIS).filter((t) => t.includes("三级危机 C-1") && t.includes("上方那张卡片")).length;
    expect(pages()).toBe(1);

    h.bot.drop({ refuse: true });
    await h.waitFor(() => !h.bot.online, "the drop");
    let down = await health();
    for (let i = 0; i < 100 && down.body.channels.wecom_bot?.state === "connected"; i++) {
      await new Promise((r) => setTimeout(r, 10));
      down = await health();
    }
    expect(["reconnecting", "authenticating"]).toContain(down.body.channels.wecom_bot?.state);
    expect(down.status).toBe(200); // down for less than 2 minutes: not yet an alarm

    // The repeat page falls due while the connection is down: it waits in the outbox.
    h.clock.set(t0 + 5 * MIN);
    await h.settle();
    expect(pages()).toBe(1);
    const waiting = h.app.db.$client
      .prepare("select count(*) n from outbox where status = 'pending' and last_error like 'WECOM_BOT_DOWN%'")
      .get() as { n: number };
    expect(waiting.n).toBeGreaterThan(0);

    // 林哥 acknowledges in the group meanwhile; WeCom holds the message until the robot is back.
    const ack = h.bot.say("linge", "@运营机器人 /ack C-1", { chatid: CRISIS }) as string;
    h.bot.allow();
    await h.taken(ack);
    await h.waitFor(() => h.bot.online, "the reconnect");
    await h.settle();
    // The page that waited went out once; the ack was taken once and stopped the pager.
    expect(pages()).toBe(2);
    expect(h.texts(CRISIS).filter((t) => t.includes("已由 林哥 确认"))).toHaveLength(1);

    // Frames from before the drop pushed again change nothing: no second crisis, no second ack.
    h.bot.redeliver(report as string);
    h.bot.redeliver(ack);
    await h.say("admin", "/crisis list");
    const crises = h.app.db.$client.prepare("select count(*) n from crises").get() as { n: number };
    expect(crises.n).toBe(1);
    expect(h.texts(CRISIS).filter((t) => t.includes("已由 林哥 确认"))).toHaveLength(1);
    h.clock.set(t0 + 20 * MIN);
    await h.settle();
    expect(pages()).toBe(2);
    const now = await health();
    expect(now.status).toBe(200);
    expect(now.body.channels.wecom_bot?.state).toBe("connected");
    const dead = h.app.db.$client.prepare("select count(*) n from outbox where status = 'dead'").get() as {
      n: number;
    };
    expect(dead.n).toBe(0);
  });

  it("a wrong secret: one clear error line naming WECOM_BOT_SECRET; /healthz 503 and /metrics say refused", async () => {
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (s: string) => lines.push(s) });
    h = await startBotHarness({ secret: "not-the-secret", log });
    await h.waitFor(() => lines.some((l) => l.includes("WECOM_BOT_SECRET")), "the refusal to be logged");
    const refusal = lines.filter((l) => l.includes("WECOM_BOT_SECRET"));
    expect(refusal).toHaveLength(1);
    expect(JSON.parse(refusal[0] as string)).toMatchObject({ level: 50 });
    expect(refusal[0]).toContain("拒绝了认证");
    expect(lines.join("\n")).not.toContain("not-the-secret");

    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body.channels.wecom_bot?.state).toBe("refused");
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('bot_wecom_bot_connection{state="refused"} 1');
    expect(metrics).toContain('bot_wecom_bot_connection{state="connected"} 0');
    expect(h.bot.state.auths.every((a) => !a.ok)).toBe(true);
  });

  it("malformed frames change nothing and break nothing: the next message is answered", async () => {
    h = await startBotHarness();
    const junk: Record<string, unknown>[] = [
      {
        cmd: "aibot_msg_callback",
        headers: { req_id: "j1" },
        body: { msgtype: "text", msgid: 7, from: { userid: "x" }, text: { content: "/help" } },
      },
      {
        cmd: "aibot_msg_callback",
        headers: { req_id: "j2" },
        body: { msgtype: "text", msgid: "m2", from: { userid: 5 }, text: { content: "/help" } },
      },
      {
        cmd: "aibot_msg_callback",
        headers: { req_id: "j3" },
        body: {
          msgtype: "text",
          msgid: "m3",
          chattype: "single",
          from: { userid: "x" },
          text: { content: 42 },
        },
      },
      {
        cmd: "aibot_msg_callback",
        headers: { req_id: "j4" },
        body: {
          msgtype: "mixed",
          msgid: "m4",
          chattype: "single",
          from: { userid: "x" },
          mixed: { msg_item: "no" },
        },
      },
      {
        cmd: "aibot_event_callback",
        headers: { req_id: "j5" },
        body: {
          msgtype: "event",
          msgid: "m5",
          from: { userid: "x" },
          event: { eventtype: "template_card_event", event_key: { a: 1 }, task_id: [] },
        },
      },
      {
        cmd: "aibot_event_callback",
        headers: { req_id: "j6" },
        body: {
          msgtype: "event",
          msgid: "m6",
          from: { userid: "x" },
          event: { eventtype: "template_card_event", event_key: "not json", task_id: "t" },
        },
      },
    ];
    for (const f of junk) h.bot.pushRaw(f);
    await h.say("xiaowang", "/help");
    expect(h.texts("xiaowang").at(-1)).toContain("/help");
    expect(h.texts("x")).toEqual([]);
    const outbox = h.app.db.$client.prepare("select count(*) n from outbox").get() as { n: number };
    expect(outbox.n).toBe(1);
    expect((await health()).status).toBe(200);
  });
});
