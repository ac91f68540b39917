import { eq } from "drizzle-orm";
import type { Context } from "koa";
import type { Logger } from "pino";
import type { Clock } from "../../clock.ts";
import { parseCommandText } from "../../core/commands/parse.ts";
import type { Dispatcher } from "../../core/dispatch.ts";
import type { Outbound } from "../../core/ports.ts";
import type { CardAnswer, InboundCardAction } from "../../core/types.ts";
import { metrics } from "../../http/metrics.ts";
import { readRawBody } from "../../http/raw-body.ts";
import { type Db, tx } from "../../store/db.ts";
import { inboundSeen, wecomPendingInputs } from "../../store/schema/index.ts";
import type { WecomSecrets } from "./crypto.ts";
import { saveResponseCode } from "./deliver.ts";
import { wrongField } from "./fields.ts";
import { normaliseWecomCardEvent, normaliseWecomMessage, parseButtonKey } from "./normalise.ts";
import { unplus, verifyCallback, verifyEcho, type WecomQuery } from "./verify.ts";

/** A question asked after a click (驳回 → 驳回意见) waits this long for the member's answer. */
export const ASK_TTL_MS = 10 * 60_000;

export interface WecomReceiverDeps {
  secrets: WecomSecrets;
  agentId: number;
  dispatcher: Dispatcher;
  outbound: Outbound;
  db: Db;
  clock: Clock;
  log: Logger;
}

function query(ctx: Context): WecomQuery {
  const q = (k: string) => (typeof ctx.query[k] === "string" ? (ctx.query[k] as string) : "");
  return { signature: q("msg_signature"), timestamp: q("timestamp"), nonce: q("nonce") };
}

/**
 * GET, POST /webhooks/wecom. Verify (signature, freshness, padding, receiveid) before anything else reads
 * the body; then one transaction with the de-dup keys, the effects and the answer to the member; answer
 * an empty 200 well inside WeCom's 5 s (it retries 3 times otherwise). Card updates and answers to the
 * member go out through the outbox.
 */
export function wecomRoutes(d: WecomReceiverDeps) {
  const reject = (ctx: Context, status: number, reason: string) => {
    metrics.callbacksRejected.inc({ platform: "wecom", reason });
    d.log.warn({ reason, ip: ctx.ip }, "wecom callback rejected");
    ctx.status = status;
    ctx.body = status === 401 ? "unauthorized" : "bad request";
  };

  const get = (ctx: Context) => {
    const echostr = typeof ctx.query.echostr === "string" ? ctx.query.echostr : "";
    const r = verifyEcho(d.secrets, query(ctx), unplus(echostr));
    if (!r.ok) return reject(ctx, r.status, r.reason);
    ctx.type = "text/plain";
    ctx.body = r.echo;
  };

  const post = async (ctx: Context) => {
    const raw = await readRawBody(ctx, "wecom");
    if (!raw) return;
    const v = verifyCallback(d.secrets, query(ctx), raw, d.clock.now());
    if (!v.ok) return reject(ctx, v.status, v.reason);
    const wrong = wrongField(v.fields);
    if (wrong) return reject(ctx, 400, `bad_field_${wrong}`);
    const started = performance.now();
    const f = v.fields;
    const kind = f.MsgType === "event" ? (f.Event ?? "event") : (f.MsgType ?? "other");
    try {
      if (f.AgentID && Number(f.AgentID) !== d.agentId) {
        d.log.debug({ agentId: f.AgentID }, "wecom callback for another agent ignored");
      } else if (f.MsgType === "event" && f.Event === "template_card_event") {
        // One transaction for the click, its answer and the pending question it settles: a crash
        // between them would leave the member without an answer (the redelivery is a duplicate).
        tx(d.db, () => cardEvent(d, f));
      } else if (f.MsgType === "text" || f.MsgType === "image") {
        tx(d.db, () => message(d, f));
      } else {
        d.log.debug({ kind }, "wecom callback ignored");
      }
      ctx.status = 200;
      ctx.body = "";
    } catch (err) {
      // Nothing committed (one transaction per event): a 500 makes WeCom try again.
      d.log.error({ err }, "wecom callback failed");
      ctx.status = 500;
      ctx.body = "internal error";
    } finally {
      metrics.callbackSeconds.observe({ platform: "wecom", kind }, (performance.now() - started) / 1000);
    }
  };
  return { get, post };
}

/** WeCom documents `MsgId` for messages and FromUserName + CreateTime for events (kept ≥ 7 days). */
function eventKey(f: Record<string, string>): string {
  return `wecom:event:${f.FromUserName}:${f.CreateTime}:${f.Event}:${f.TaskId ?? ""}:${f.EventKey ?? ""}`;
}

function message(d: WecomReceiverDeps, f: Record<string, string>): void {
  const msg = normaliseWecomMessage(f);
  if (!msg) return;
  const keys = [`wecom:msg:${f.MsgId}`];
  const pending = d.db
    .select()
    .from(wecomPendingInputs)
    .where(eq(wecomPendingInputs.userId, msg.sender.userId))
    .get();
  if (pending && msg.text.trim() && !msg.imageKey) {
    const live = pending.expiresAt > d.clock.now();
    if (live && !parseCommandText(msg.text)) {
      // The answer to the question a button asked: the same card action, now with its field.
      const action = cardAction(msg.sender.userId, pending.value as Record<string, unknown>, pending.taskId, {
        [pending.field]: f.Content ?? msg.text,
      });
      const { answer, outcome } = d.dispatcher.cardAction(action, keys);
      if (outcome !== "duplicate") {
        d.db.delete(wecomPendingInputs).where(eq(wecomPendingInputs.userId, msg.sender.userId)).run();
      }
      tell(d, msg.sender.userId, answer);
      return;
    }
    // A command, or too late: the question is dropped, so a later chat line is not taken as the answer.
    d.db.delete(wecomPendingInputs).where(eq(wecomPendingInputs.userId, msg.sender.userId)).run();
  }
  d.dispatcher.message(msg, keys);
}

function cardAction(
  userId: string,
  value: Record<string, unknown>,
  taskId: string,
  formValue: Record<string, unknown>,
): InboundCardAction {
  return {
    kind: "card_action",
    platform: "wecom",
    sender: { platform: "wecom", userId },
    value,
    formValue,
    buttonName: undefined,
    messageId: `click:${taskId}`,
    chatId: userId,
  };
}

/** A `button_selection` answer: `<SelectedItem><QuestionKey>k</QuestionKey><OptionIds><OptionId>v…` */
function selections(raw: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!raw) return out;
  const cdata = (s: string) => s.replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, "$1").trim();
  for (const item of raw.matchAll(/<SelectedItem>([\s\S]*?)<\/SelectedItem>/g)) {
    const key = /<QuestionKey>([\s\S]*?)<\/QuestionKey>/.exec(item[1] ?? "")?.[1];
    const option = /<OptionId>([\s\S]*?)<\/OptionId>/.exec(item[1] ?? "")?.[1];
    if (key && option) out[cdata(key)] = cdata(option);
  }
  return out;
}

function cardEvent(d: WecomReceiverDeps, f: Record<string, string>): void {
  const userId = f.FromUserName ?? "";
  const taskId = f.TaskId ?? "";
  // The click's response_code updates this copy once (72 h): keep it for the update the click causes.
  if (f.ResponseCode && userId && taskId) {
    saveResponseCode(d.db, d.clock.now(), { code: f.ResponseCode, taskId, userId, source: "click" });
  }
  const key = f.EventKey ? parseButtonKey(f.EventKey) : undefined;
  if (key?.value.a === "noop") return;
  const keys = [eventKey(f)];
  if (key?.ask && userId && taskId) {
    ask(d, userId, taskId, key.value, key.ask, keys);
    return;
  }
  const action = normaliseWecomCardEvent(f, selections(f.SelectedItems));
  if (!action) return;
  // Another button pressed instead of answering an earlier question: that question is void.
  d.db.delete(wecomPendingInputs).where(eq(wecomPendingInputs.userId, userId)).run();
  const { answer } = d.dispatcher.cardAction(action, keys);
  tell(d, userId, answer);
}

/** Cards have no inputs: remember the click and ask for the field in the DM. */
function ask(
  d: WecomReceiverDeps,
  userId: string,
  taskId: string,
  value: Record<string, unknown>,
  q: { field: string; label: string },
  keys: string[],
): void {
  const now = d.clock.now();
  tx(d.db, () => {
    for (const key of keys) {
      const seen = d.db.insert(inboundSeen).values({ key, seenAt: now }).onConflictDoNothing().run();
      if (seen.changes === 0) return; // a repeated callback: asked already
    }
    d.db
      .insert(wecomPendingInputs)
      .values({ userId, value, field: q.field, taskId, createdAt: now, expiresAt: now + ASK_TTL_MS })
      .onConflictDoUpdate({
        target: wecomPendingInputs.userId,
        set: { value, field: q.field, taskId, createdAt: now, expiresAt: now + ASK_TTL_MS },
      })
      .run();
    d.outbound.toChat(
      { platform: "wecom", chatId: userId },
      {
        type: "text",
        text: `请直接回复${q.label}（一条消息，${ASK_TTL_MS / 60_000} 分钟内有效）。发送其他命令即取消。`,
      },
    );
  });
}

/** WeCom has no toast: what Feishu shows as a toast goes to the member as a message (caller's tx). */
function tell(d: WecomReceiverDeps, userId: string, answer: CardAnswer): void {
  const text = answer.toast?.content;
  if (!text || !userId) return;
  d.outbound.toChat({ platform: "wecom", chatId: userId }, { type: "text", text });
}
