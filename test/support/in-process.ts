/**
 * The in-process harness for policy tests (docs/testing.md), like Bolt's `FakeReceiver.sendEvent` or
 * Probot's `probot.receive()`: the same `Harness` as ./harness.ts — real app, real SQLite file with the
 * real migrations, real outbox worker and Feishu deliverer talking to the fake Feishu — but an event goes
 * from the real Feishu normaliser straight to `app.dispatcher`, without signing, encrypting, HTTP and the
 * webhook's verification. Those are transport, tested over HTTP (test/security, test/e2e/security.test.ts).
 *
 * Outbound stays real: the outbox rows are rendered by the real FeishuRenderer and sent by the real
 * deliverer to the fake, which enforces Feishu's card and message rules, so `inbox`/`cards` show what
 * Feishu would have received. Feishu's send pacing is off, as in every harness (`paced: true` turns it
 * on): it was most of the suite's wall time and no policy depends on it.
 */
import type { App } from "../../src/app.ts";
import {
  type FeishuCardEvent,
  type FeishuMessageEvent,
  normaliseCardAction,
  normaliseMessage,
} from "../../src/platforms/feishu/normalise.ts";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import { buildHarness, type Harness, type HarnessOptions, type Receive } from "./harness.ts";

export { type Harness, type HarnessOptions, PEOPLE, p2p, seedRoles, type Who } from "./harness.ts";

/** Loaded once per test file: the card templates are read from disk (the bot loads its own copy). */
let renderer: FeishuRenderer | undefined;

/**
 * What src/platforms/feishu/receiver.ts does with a verified body, minus the transport: normalise, run
 * through the dispatcher with the same de-duplication keys (an event id; a message id for messages, as
 * Feishu redelivers one message under several event ids), render the card answer as Feishu's
 * `{toast, card: {type: "raw", data}}`. A failure answers as the webhook does: 500 for a message (Feishu
 * redelivers), a 200 with an error toast for a card click (card callbacks are not redelivered).
 */
const inProcess: Receive = async (app: App, payload) => {
  const header = (payload.header ?? {}) as { event_id?: string; event_type?: string };
  const eventKey = `feishu:event:${header.event_id ?? ""}`;
  try {
    if (header.event_type === "im.message.receive_v1") {
      const msg = normaliseMessage(payload.event as FeishuMessageEvent);
      if (msg && header.event_id) app.dispatcher.message(msg, [eventKey, `feishu:msg:${msg.messageId}`]);
      return { status: 200, json: {} };
    }
    if (header.event_type === "card.action.trigger") {
      const action = normaliseCardAction(payload.event as FeishuCardEvent);
      if (!action || !header.event_id) return { status: 200, json: {} };
      const { answer } = app.dispatcher.cardAction(action, [eventKey]);
      const json: Record<string, unknown> = {};
      if (answer.toast) json.toast = answer.toast;
      if (answer.card) {
        renderer ??= new FeishuRenderer();
        json.card = { type: "raw", data: renderer.card(answer.card) };
      }
      return { status: 200, json };
    }
    return { status: 200, json: {} };
  } catch (err) {
    app.log.error({ err }, "feishu callback failed");
    if (header.event_type === "card.action.trigger")
      return { status: 200, json: { toast: { type: "error", content: "系统繁忙，请稍后再试" } } };
    return { status: 500, json: { code: 500, msg: "internal error" } };
  }
};

/** A bot driven in process (see the file comment); `restart()` reopens the same database file. */
export function startInProcess(opts: HarnessOptions = {}): Promise<Harness> {
  return buildHarness(opts, inProcess);
}
