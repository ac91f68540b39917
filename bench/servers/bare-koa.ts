import Koa from "koa";

/** The baseline of docs/performance.md: a bare Koa handler answering `{}`, in its own process like the bot. */
const koa = new Koa();
koa.use((ctx) => {
  ctx.body = {};
});
const server = koa.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}/` });
});
process.on("message", (m) => {
  if (m === "stop") server.close(() => process.exit(0));
});
