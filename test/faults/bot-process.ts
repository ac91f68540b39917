/**
 * The bot as a real child process (`node --import tsx src/main.ts`), the way production runs it: started,
 * waited for via /healthz, SIGKILLed (no shutdown hook runs, in-flight HTTP is cut) and started again on
 * the same port and the same SQLite file. Its stdout/stderr go to a log file so a failure can show them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BotProcess {
  private child: ChildProcess | undefined;
  /** Completed starts (the first one included) and SIGKILLs, for the report. */
  starts = 0;
  kills = 0;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logPath: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    const log = openSync(this.logPath, "a");
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: "127.0.0.1" },
      stdio: ["ignore", log, log],
    });
    closeSync(log);
    this.child = child;
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}:\n${this.logTail()}`);
      const ok = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        this.starts += 1;
        return;
      }
      await sleep(100);
    }
    throw new Error(`bot did not answer /healthz within 60 s:\n${this.logTail()}`);
  }

  /** SIGKILL: the process gets no chance to finish anything (docs/reliability.md: "killing at any moment"). */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
    this.kills += 1;
  }

  /** SIGTERM (clean stop), SIGKILL if it hangs. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => c.kill("SIGKILL"), 10_000);
      c.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      c.kill("SIGTERM");
    });
  }

  logTail(lines = 60): string {
    try {
      return readFileSync(this.logPath, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }
}
