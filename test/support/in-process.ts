/**
 * The in-process harness for policy tests (docs/testing.md), like Bolt's `FakeReceiver.sendEvent` or
 * Probot's `probot.receive()`: the same `Harness` as ./harness.ts — real app, real SQLite file with the
 * real migrations, real outbox worker and Feishu deliverer talking to the fake Feishu — but an event goes
 * to the real Feishu handlers (the part of the receiver after verification) and on to `app.dispatcher`,
 * without signing, encrypting, HTTP and the webhook's verification. Those are transport, tested over HTTP (test/security, test/e2e/security.test.ts).
 *
 * Outbound stays real: the outbox rows are rendered by the real FeishuRenderer and sent by the real
 * deliverer to the fake, which enforces Feishu's card and message rules, so `inbox`/`cards` show what
 * Feishu would have received. Feishu's send pacing is off, as in every harness (`paced: true` turns it
 * on): it was most of the suite's wall time and no policy depends on it.
 */
import type { App } from "../../src/app.ts";
import { type FeishuHandlers, feishuHandlers } from "../../src/platforms/feishu/receiver.ts";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import { InvalidPayload } from "../../src/platforms/feishu/schema.ts";
import { GroupCommit } from "../../src/store/group-commit.ts";
import { buildHarness, type Harness, type HarnessOptions, type Receive } from "./harness.ts";

export { type Harness, type HarnessOptions, PEOPLE, p2p, seedRoles, type Who } from "./harness.ts";

/** Loaded once per test file: the card templates are read from disk (the bot loads its own copy). */
let renderer: FeishuRenderer | undefined;
/** The Feishu handlers of each app (a restart makes a new app), as the webhook and the WS client use them. */
const handlersOf = new WeakMap<App, FeishuHandlers>();

/**
 * What the webhook does with a verified body, minus the transport: the real Feishu handlers (schema
 * check, normalise, the dispatcher with the receiver's own de-duplication keys, group commit, the card
 * answer as Feishu's `{toast, card: {type: "raw", data}}`). A failure answers as the webhook does: 400 for
 * a malformed body, 500 for a message (Feishu redelivers), a 200 with an error toast for a card click
 * (card callbacks are not redelivered).
 */
const inProcess: Receive = async (app: App, payload) => {
  let handlers = handlersOf.get(app);
  if (!handlers) {
    renderer ??= new FeishuRenderer();
    handlers = feishuHandlers(app.dispatcher, renderer, app.log, new GroupCommit(app.db));
    handlersOf.set(app, handlers);
  }
  try {
    return { status: 200, json: await handlers.handle(payload) };
  } catch (err) {
    if (err instanceof InvalidPayload) return { status: 400, json: { code: 400, msg: "bad request" } };
    app.log.error({ err }, "feishu callback failed");
    const header = (payload.header ?? {}) as { event_type?: string };
    if (header.event_type === "card.action.trigger")
      return { status: 200, json: { toast: { type: "error", content: "系统繁忙，请稍后再试" } } };
    return { status: 500, json: { code: 500, msg: "internal error" } };
  }
};

/** A bot driven in process (see the file comment); `restart()` reopens the same database file. */
export function startInProcess(opts: HarnessOptions = {}): Promise<Harness> {
  return buildHarness(opts, inProcess);
}
