import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Koa from "koa";
import { readRawBody } from "../../src/http/raw-body.ts";
import { verifyFeishuRequest } from "../../src/platforms/feishu/verify.ts";
import { openDb, tx } from "../../src/store/db.ts";
import { BENCH_FEISHU } from "./feishu-app.ts";

/**
 * The durable floor of the card-action figure: what any handler of a signed, encrypted Feishu callback
 * that must not lose it pays at the least. The same body reading, signature check and decryption as the
 * bot (src/http/raw-body.ts, src/platforms/feishu/verify.ts), then ONE immediate transaction inserting ONE
 * row into a database opened exactly like the bot's (openDb: WAL, synchronous NORMAL, the migrations), and
 * a small JSON answer. No routing, no dispatcher, no group commit: each request pays its own COMMIT.
 * In its own process, like the bot and bare Koa.
 */
const dir = mkdtempSync(join(tmpdir(), "floor-bench-"));
const db = openDb(join(dir, "floor.db"));
// The row the bot writes first for every callback (its de-duplication key), written the plain way.
const insert = db.$client.prepare("insert or ignore into inbound_seen (key, seen_at) values (?, ?)");
const cfg = { encryptKey: BENCH_FEISHU.encryptKey, verificationToken: BENCH_FEISHU.token };
let rows = 0;

const koa = new Koa();
koa.use(async (ctx) => {
  const raw = await readRawBody(ctx, "feishu");
  if (!raw) return;
  const now = Date.now();
  const verified = verifyFeishuRequest(cfg, ctx.headers, raw, now);
  if (!verified.ok) {
    ctx.status = verified.status;
    ctx.body = { code: verified.status, msg: "unauthorized" };
    return;
  }
  const header = verified.body.header as { event_id?: string } | undefined;
  const key = `feishu:event:${header?.event_id ?? ""}`;
  rows += tx(db, () => insert.run(key, now).changes);
  ctx.body = { toast: { type: "success", content: "已通过" } };
});
let cpuAtReady = process.cpuUsage();
const server = koa.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  cpuAtReady = process.cpuUsage();
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}/` });
});
process.on("message", (m) => {
  if (m !== "stop") return;
  const cpu = process.cpuUsage(cpuAtReady);
  const cpuUsPerRow = rows > 0 ? (cpu.user + cpu.system) / rows : 0;
  server.close(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
    process.send?.({ rows, cpuUsPerRow }, () => process.exit(0));
  });
});
