import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Koa from "koa";
import { pino } from "pino";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { tx } from "../src/store/db.ts";
import { buildFeishuCallback, cardActionEvent, startFakeFeishu } from "../test/fakes/feishu/index.ts";

/**
 * SPEC §12, first line: the card-action callback (verify + decrypt + transaction + outbox write + reply)
 * against a bare Koa handler answering `{}`, both measured here, now, with 50 connections over loopback.
 * Every callback is a distinct, valid 通过 on a distinct pending step, so each one really decides, opens
 * the next step and queues its cards.
 */
export interface LoadResult {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const DURATION_S = 5;
const CONNECTIONS = 50;

async function load(
  url: string,
  bodies: { headers: Record<string, string>; body: string }[] | undefined,
): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { "content-type": "application/json" },
    body: "{}",
    ...(bodies && {
      requests: [
        {
          setupRequest: (req) => {
            const next = bodies[i++ % bodies.length];
            return { ...req, headers: next?.headers ?? {}, body: next?.body ?? "{}" };
          },
        },
      ],
    }),
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

export async function benchBareKoa(): Promise<LoadResult> {
  const koa = new Koa();
  koa.use((ctx) => {
    ctx.body = {};
  });
  const server = koa.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as { port: number };
  try {
    return await load(`http://127.0.0.1:${port}/`, undefined);
  } finally {
    server.close();
  }
}

export async function benchCardAction(): Promise<LoadResult & { decided: number }> {
  const fake = await startFakeFeishu({ appId: "cli_bench", appSecret: "s" });
  const dir = mkdtempSync(join(tmpdir(), "bot-bench-"));
  const encryptKey = "bench-key";
  const token = "bench-token";
  const app = createApp({
    config: loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "bot.db"),
      FEISHU_APP_ID: "cli_bench",
      FEISHU_APP_SECRET: "s",
      FEISHU_ENCRYPT_KEY: encryptKey,
      FEISHU_VERIFICATION_TOKEN: token,
      FEISHU_DOMAIN: fake.url,
      LOG_LEVEL: "silent",
    }),
    log: pino({ level: "silent" }),
    background: false, // delivery is measured separately; this is the callback path
  });
  try {
    const { url } = await app.start();
    const { core } = app;
    // Enough distinct pending steps that no callback in the run repeats one.
    const count = Number(process.env.BENCH_ITEMS ?? 40_000);
    const reviewer = core.people.ensure("feishu", "ou_lead", "李姐");
    const author = core.people.ensure("feishu", "ou_author", "小王");
    tx(app.db, () => core.people.grant(reviewer, "ops_lead", reviewer));
    const steps: number[] = [];
    tx(app.db, () => {
      for (let n = 0; n < count; n++) {
        const { opened } = core.review.submit({
          authorId: author,
          title: `压测 ${n}`,
          platforms: ["douyin"],
          body: "周末新本上线，欢迎预约",
          isAd: false,
          isSensitive: false,
        });
        steps.push(opened.step.id);
      }
    });
    const bodies = steps.map((step) =>
      buildFeishuCallback({
        encryptKey,
        payload: cardActionEvent({
          token,
          operatorOpenId: "ou_lead",
          value: { a: "review.decide", step, v: "approve" },
          formValue: { opinion: "" },
          openMessageId: `om_${step}`,
          openChatId: "oc_p2p_ou_lead",
        }),
      }),
    );
    const r = await load(`${url}/webhooks/feishu`, bodies);
    const decided = (
      app.db.$client.prepare("select count(*) n from review_events where type = 'approve'").get() as {
        n: number;
      }
    ).n;
    return { ...r, decided };
  } finally {
    await app.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
