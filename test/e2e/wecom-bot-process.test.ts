/**
 * `npm start` with a wrong WECOM_BOT_SECRET, as a real child process (`node --import tsx src/main.ts`)
 * against the fake robot server: the log says which variable to fix, /healthz answers 503 with the
 * channel "refused", and the secret itself is never printed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeBot, startFakeBot } from "../fakes/wecom-bot/server.ts";
import { freePort, sleep } from "../faults/bot-process.ts";

let child: ChildProcess | undefined;
let fake: FakeBot | undefined;
let dir = "";
afterEach(async () => {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child?.once("exit", () => resolve());
      child?.kill("SIGTERM");
    });
  }
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("start-up with a wrong robot secret", () => {
  it("logs one line naming WECOM_BOT_SECRET; /healthz 503 refused", async () => {
    fake = await startFakeBot({ botId: "aib_1", secret: "the-right-one" });
    dir = mkdtempSync(join(tmpdir(), "bot-aibot-proc-"));
    const port = await freePort();
    const out: string[] = [];
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_PATH: join(dir, "bot.db"),
        WECOM_BOT_ID: "aib_1",
        WECOM_BOT_SECRET: "wrong-secret-DO-NOT-LOG",
        WECOM_BOT_WS_URL: fake.url,
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (b: Buffer) => out.push(b.toString()));
    child.stderr?.on("data", (b: Buffer) => out.push(b.toString()));
    let health: { status: number; body: { channels?: Record<string, { state: string }> } } | undefined;
    for (let i = 0; i < 300; i++) {
      if (out.join("").includes("WECOM_BOT_SECRET")) {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        if (res)
          health = { status: res.status, body: (await res.json()) as NonNullable<typeof health>["body"] };
        if (health?.body.channels?.wecom_bot?.state === "refused") break;
      }
      await sleep(100);
    }
    const log = out.join("");
    expect(log).toContain("企业微信智能机器人拒绝了认证");
    expect(log).not.toContain("wrong-secret-DO-NOT-LOG");
    expect(health?.status).toBe(503);
    expect(health?.body.channels?.wecom_bot?.state).toBe("refused");
    expect(child.exitCode).toBe(null); // the other channels (and /healthz) keep running
    expect(readFileSync(join(dir, "bot.db")).length).toBeGreaterThan(0);
  }, 60_000);
});
