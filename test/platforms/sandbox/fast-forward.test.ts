import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { formatDateTime } from "../../../src/core/time.ts";
import { type Sandbox, startSandbox } from "../../../src/platforms/sandbox/start.ts";

/**
 * 快进时间 over HTTP, as the page's buttons call it: the sandbox started as `npm start` starts it (real
 * worker, real timer sweep, the fake Feishu over HTTP), then POST /sandbox/api/advance. Whatever falls
 * due in the skipped span must happen as it would have in real time, at its own time.
 */
const MIN = 60_000;
/** After a jump the backlog goes out at Feishu's pace (5 messages a second per chat). */
const WAIT = { timeout: 30_000, interval: 200 };
const TZ = "Asia/Shanghai";
let dir = "";
let sandbox: Sandbox;
let app: App;
let base = "";

interface Msg {
  id: string;
  from: string;
  at: number;
  msgType: string;
  content?: { text?: string };
  card?: { header?: { title?: { content?: string } } };
}

const get = async <T>(path: string): Promise<T> => (await fetch(`${base}${path}`)).json() as Promise<T>;
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const messages = (chat: string) => get<Msg[]>(`/sandbox/api/messages?chat=${encodeURIComponent(chat)}`);
const title = (m: Msg) => m.card?.header?.title?.content ?? "";
const say = (person: string, chatId: string, text: string) =>
  post("/sandbox/api/say", { person, chatId, text });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-ff-"));
  const env = { DATABASE_PATH: join(dir, "sandbox.db"), LOG_LEVEL: "silent", PORT: "0", HOST: "127.0.0.1" };
  const log = pino({ level: "silent" });
  sandbox = await startSandbox(loadConfig(env), log, env);
  app = createApp({
    config: sandbox.config,
    log,
    routes: sandbox.routes,
    clock: sandbox.clock,
    feishuLimits: sandbox.feishuLimits,
  });
  const { url } = await app.start();
  await sandbox.afterStart(app, url);
  base = url;
});

afterAll(async () => {
  await app?.stop();
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("快进时间 steps through every due time", { timeout: 90_000 }, () => {
  it("+1小时 over an unanswered 三级 crisis: a repeat every 5 minutes, 张总 after 2 and 王总 after 4 repeats", async () => {
    await say("wang", "oc_p2p_ou_sb_wang", "/crisis 3 城东店顾客在密室受伤送医，视频已在抖音传播");
    let pages: Msg[] = [];
    await expect
      .poll(async () => {
        pages = (await messages("oc_sb_crisis")).filter((m) => /三级危机 C-1/.test(title(m)));
        return pages.length;
      }, WAIT)
      .toBe(1);
    const t0 = pages[0]?.at ?? 0;

    const res = await post("/sandbox/api/advance", { ms: 60 * MIN });
    expect(res.status).toBe(200);

    // The first page at t0, then one repeat every 5 minutes: 12 in the hour, each stamped at its time
    // (the backlog is delivered at the platform's pace after the jump).
    await expect
      .poll(async () => {
        pages = (await messages("oc_sb_crisis")).filter((m) => /三级危机 C-1/.test(title(m)));
        return pages.length;
      }, WAIT)
      .toBe(13);
    pages.forEach((p, i) => {
      expect(Math.abs(p.at - (t0 + i * 5 * MIN))).toBeLessThan(5_000);
    });

    // Escalation by DM: 市场部门负责人 after 2 unanswered repeats (t0+10 min), 管理层 after 4 (t0+20 min).
    const escalation = async (openId: string) =>
      (await messages(`oc_p2p_${openId}`)).filter((m) => /C-1/.test(title(m)) && m.at > t0 + MIN);
    await expect.poll(async () => (await escalation("ou_sb_boss")).length, WAIT).toBe(1);
    const head = await escalation("ou_sb_zhang");
    expect(head).toHaveLength(1);
    expect(Math.abs((head[0]?.at ?? 0) - (t0 + 10 * MIN))).toBeLessThan(5_000);
    const management = await escalation("ou_sb_boss");
    expect(management).toHaveLength(1);
    expect(Math.abs((management[0]?.at ?? 0) - (t0 + 20 * MIN))).toBeLessThan(5_000);

    // The clock ends exactly an hour on, and 收到 stops the paging.
    const clock = await get<{ now: number }>("/sandbox/api/clock");
    expect(clock.now).toBeGreaterThanOrEqual(t0 + 60 * MIN);
    await say("zhou", "oc_sb_crisis", "/ack C-1");
    await expect
      .poll(
        async () => (await messages("oc_sb_crisis")).some((m) => /老周/.test(m.content?.text ?? "")),
        WAIT,
      )
      .toBe(true);
  });

  it("+1周: every 09:30 digest and the Monday report go out at their own times, stamped with them", async () => {
    const start = (await get<{ now: number }>("/sandbox/api/clock")).now;
    expect((await post("/sandbox/api/advance", { ms: 7 * 24 * 60 * MIN })).status).toBe(200);
    const isDigest = (m: Msg) => m.content?.text?.startsWith("📋 运营 SLA 日报") ?? false;
    let sent: Msg[] = [];
    await expect
      .poll(async () => {
        sent = (await messages("oc_sb_ops")).filter((m) => m.at > start);
        return sent.filter(isDigest).length;
      }, WAIT)
      .toBe(7);
    const digests = sent.filter(isDigest);
    const days = new Set<string>();
    for (const d of digests) {
      const when = formatDateTime(d.at, TZ);
      expect(when.endsWith("09:30")).toBe(true);
      // The digest's own stamp is its scheduled time, not the moment of the jump.
      expect(d.content?.text).toContain(`日报 ${when}`);
      days.add(when.slice(0, 10));
    }
    expect(days.size).toBe(7);
    expect(digests.every((d) => d.at > start)).toBe(true);

    // The weekly report (Monday 10:00) arrives at Monday 10:00 of the sandbox clock.
    let weekly: Msg[] = [];
    await expect
      .poll(async () => {
        sent = (await messages("oc_sb_ops")).filter((m) => m.at > start);
        weekly = sent.filter((m) => /周报/.test(title(m) || (m.content?.text ?? "")));
        return weekly.length;
      }, WAIT)
      .toBeGreaterThan(0);
    const at = weekly[0]?.at ?? 0;
    expect(formatDateTime(at, TZ).endsWith("10:00")).toBe(true);
    expect(new Date(at + 8 * 60 * MIN).getUTCDay()).toBe(1);
  });
});
