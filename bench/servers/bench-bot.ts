import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { ReviewEngine } from "../../src/core/review/engine.ts";
import { startFakeFeishu } from "../../src/platforms/sandbox/open-platform/index.ts";
import { tx } from "../../src/store/db.ts";
import { BENCH_FEISHU } from "./feishu-app.ts";

/**
 * The bot of the card-action figure, against the fake Feishu: `count` items whose first step (初审) is
 * pending for the bench's reviewer, so that every click is a distinct, valid 通过 that really decides: it
 * updates the clicked card, opens 复审 (whose holder gets its card) and tells the author — three outbox rows.
 */
export async function startBenchBot(count: number) {
  const fake = await startFakeFeishu({ appId: BENCH_FEISHU.appId, appSecret: "s" });
  const dir = mkdtempSync(join(tmpdir(), "bot-bench-"));
  const app = createApp({
    config: loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "bot.db"),
      FEISHU_APP_ID: BENCH_FEISHU.appId,
      FEISHU_APP_SECRET: "s",
      FEISHU_ENCRYPT_KEY: BENCH_FEISHU.encryptKey,
      FEISHU_VERIFICATION_TOKEN: BENCH_FEISHU.token,
      FEISHU_DOMAIN: fake.url,
      LOG_LEVEL: "silent",
    }),
    log: pino({ level: "silent" }),
    background: false, // delivery is measured separately; this is the callback path
  });
  const { url } = await app.start();
  const core = app.core.services;
  // A bare engine: the bench seeds items directly, without the features' submit hooks.
  const engine = new ReviewEngine(core);
  const reviewer = core.people.ensure("feishu", BENCH_FEISHU.reviewer, "李姐");
  const author = core.people.ensure("feishu", "ou_author", "小王");
  // The next step (复审) has a holder too, so each 通过 also queues the card of the step it opens.
  const next = core.people.ensure("feishu", "ou_head", "张总");
  tx(app.db, () => {
    core.people.grant(reviewer, "ops_lead", reviewer);
    core.people.grant(next, "marketing_head", reviewer);
  });
  const steps: number[] = [];
  tx(app.db, () => {
    for (let n = 0; n < count; n++) {
      const { opened } = engine.submit({
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
  app.db.$client.pragma("wal_checkpoint(TRUNCATE)"); // start the measured run from an empty WAL
  return {
    app,
    url: `${url}/webhooks/feishu`,
    steps,
    async stop() {
      await app.stop();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
