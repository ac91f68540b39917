import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildFeishuCallback,
  cardActionEvent,
  type FakeFeishu,
  messageEvent,
  startFakeFeishu,
} from "../../src/platforms/sandbox/open-platform/index.ts";
import { ENCRYPT_KEY, p2p, VERIFICATION_TOKEN } from "../support/harness.ts";

/**
 * The real process (`tsx src/main.ts`), killed with SIGKILL while the notification of a decision is in
 * flight (the fake Feishu hangs on it), then started again: the notification arrives exactly once.
 */
let fake: FakeFeishu;
let dir: string;
let port: number;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startBot(): Promise<void> {
  child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "bot.db"),
      BOT_ADMINS: "feishu:ou_admin",
      FEISHU_APP_ID: "cli_test",
      FEISHU_APP_SECRET: "secret_test",
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
      FEISHU_DOMAIN: fake.url,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("bot did not start");
}

async function kill(): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    c.once("exit", () => resolve());
    c.kill("SIGKILL");
  });
}

async function post(payload: Record<string, unknown>): Promise<Response> {
  const req = buildFeishuCallback({ payload, encryptKey: ENCRYPT_KEY });
  return fetch(`http://127.0.0.1:${port}/webhooks/feishu`, {
    method: "POST",
    headers: req.headers,
    body: req.body,
  });
}

const say = (openId: string, text: string, mentions: { key: string; openId: string; name: string }[] = []) =>
  post(
    messageEvent({
      token: VERIFICATION_TOKEN,
      chatId: p2p(openId),
      chatType: "p2p",
      senderOpenId: openId,
      text,
      mentions,
    }),
  );

const textsIn = (chatId: string) =>
  [...fake.state.byId.values()]
    .filter((m) => m.chatId === chatId && m.msgType === "text")
    .map((m) => (m.content as { text: string }).text);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  fake = await startFakeFeishu({ appId: "cli_test", appSecret: "secret_test" });
  dir = mkdtempSync(join(tmpdir(), "bot-crash-"));
  port = await freePort();
});
afterAll(async () => {
  await kill();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SIGKILL between a decision and its notification", () => {
  it("after restart the author is notified exactly once", async () => {
    await startBot();
    await say("ou_admin", "/role add ops_lead @_user_1", [
      { key: "@_user_1", openId: "ou_li", name: "李姐" },
    ]);
    await say("ou_wang", "/submit 抖音 周末活动\n周末来玩");
    await until(
      () =>
        [...fake.state.byId.values()].some((m) => m.chatId === p2p("ou_li") && m.msgType === "interactive"),
      "the review card",
    );
    const card = [...fake.state.byId.values()].find(
      (m) => m.chatId === p2p("ou_li") && m.msgType === "interactive",
    );
    const step = Number(/"step":(\d+)/.exec(JSON.stringify(card?.card))?.[1]);

    // From now on Feishu hangs on every send: the decision commits, its notification cannot get out.
    fake.faults.failNext("timeout", 1000);
    const res = await post(
      cardActionEvent({
        token: VERIFICATION_TOKEN,
        operatorOpenId: "ou_li",
        value: { a: "review.decide", step, v: "approve" },
        formValue: { opinion: "好" },
        openMessageId: card?.messageId ?? "",
        openChatId: p2p("ou_li"),
      }),
    );
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await kill();
    expect(textsIn(p2p("ou_wang")).filter((t) => t.includes("初审已由"))).toHaveLength(0);

    fake.faults.clear();
    await startBot();
    await until(
      () => textsIn(p2p("ou_wang")).some((t) => t.includes("初审已由")),
      "the notification after restart",
    );
    await new Promise((r) => setTimeout(r, 1500)); // give a duplicate every chance to show up
    expect(textsIn(p2p("ou_wang")).filter((t) => t.includes("初审已由 李姐 通过"))).toHaveLength(1);
    const dupes = [...fake.state.deliveriesByUuid().values()].filter((n) => n > 1);
    expect(dupes).toEqual([]);
  }, 60_000);
});
