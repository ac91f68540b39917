import { existsSync } from "node:fs";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig, redactedConfig } from "./config.ts";
import { defaultComplianceRules } from "./core/compliance/check.ts";
import { warmUp } from "./core/text/segment.ts";
import { createLogger } from "./log.ts";
import { startSandbox } from "./platforms/sandbox/start.ts";

/** Entry point: config → (sandbox) → app → listen; SIGTERM/SIGINT stop it cleanly. */
async function main(): Promise<void> {
  // A .env file beside package.json is read if present (see .env.example); real env vars win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  const fail = (err: unknown): never => {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message); // one line naming what to fix, not a stack trace
    process.exit(1);
  };
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    return fail(err);
  }
  const log = createLogger(config.logLevel);
  // The judgement's data files and dictionaries load now: a broken rule file stops start-up with its name,
  // and the first message does not wait for the segmenter (~0.25 s).
  defaultComplianceRules();
  warmUp();
  // The sandbox exists only without credentials: with any real credential its routes are never mounted.
  const sandbox = config.sandbox ? await startSandbox(config, log, process.env).catch(fail) : undefined;
  const app = createApp({
    config: sandbox?.config ?? config,
    log,
    ...(sandbox ? { routes: sandbox.routes, clock: sandbox.clock, feishuLimits: sandbox.feishuLimits } : {}),
  });
  // Refused credentials of a long connection stop start-up like a bad variable: one line, exit 1.
  const { url } = await app.start().catch(fail);
  await sandbox?.afterStart(app, url);
  log.info({ config: redactedConfig(app.config) }, `运营合规机器人已启动 / bot listening on ${url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing in-flight work");
    await app.stop();
    await sandbox?.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

await main();
