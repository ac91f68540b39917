/**
 * Shared set-up of the crisis tests: the demo company with a crisis group, and helpers that read what
 * people see (cards in the crisis group, DMs, the fake's buzz log).
 */
import { type FakeMessage, messageEvent } from "../../../src/platforms/sandbox/open-platform/index.ts";
import {
  cardText,
  type Harness,
  type HarnessOptions,
  PEOPLE,
  p2p,
  VERIFICATION_TOKEN,
  type Who,
} from "../../support/harness.ts";
import { startInProcess } from "../../support/in-process.ts";

export const GROUP = "oc_crisis_group";
export const MIN = 60_000;
export const HOUR = 60 * MIN;

/**
 * 林哥 and 小刘 are the crisis group (危机小组成员), 张总 marketing_head, 陈律师 legal, 李姐 management;
 * 小王 is an ops person who reports, 路人 holds no role. The crisis group chat is bound.
 */
export async function crisisHarness(opts: HarnessOptions = {}, bind = true): Promise<Harness> {
  const h = await startInProcess(opts);
  await h.say("admin", "/role add crisis @林哥 @小刘");
  await h.say("admin", "/role add marketing_head @张总");
  await h.say("admin", "/role add legal @陈律师");
  await h.say("admin", "/role add management @李姐");
  await h.say("admin", "/role add ops @小王");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await h.say("admin", "/exam record @小王 100");
  if (bind) await h.say("admin", "/bind crisis", { chatId: GROUP });
  return h;
}

const isCrisisCard = (m: FakeMessage) => /🚨 [一二三]级危机 C-\d+/.test(cardText(m.card));

/** The crisis alert cards in a chat (group id or a person's DM), oldest first. */
export function crisisCards(h: Harness, whoOrChat: Who | string): FakeMessage[] {
  return h.cards(whoOrChat).filter(isCrisisCard);
}

/** What the newest crisis card in a chat shows now (after updates). */
export function lastCrisisText(h: Harness, whoOrChat: Who | string): string {
  return cardText(crisisCards(h, whoOrChat).at(-1)?.card);
}

export function hasButton(card: unknown, action: string): boolean {
  return JSON.stringify(card).includes(`"a":"${action}"`);
}

export function lastText(h: Harness, whoOrChat: Who | string): string {
  return h.texts(whoOrChat).at(-1) ?? "";
}

/** Sends an image message (Feishu message_type "image") as `who`, in a DM unless chatId is given. */
export async function sendImage(h: Harness, who: Who, imageKey: string, chatId?: string): Promise<void> {
  const payload = messageEvent({
    token: VERIFICATION_TOKEN,
    chatId: chatId ?? p2p(PEOPLE[who].openId),
    chatType: chatId ? "group" : "p2p",
    senderOpenId: PEOPLE[who].openId,
    text: "",
  });
  const message = (payload.event as { message: Record<string, unknown> }).message;
  message.message_type = "image";
  message.content = JSON.stringify({ image_key: imageKey });
  const res = await h.receive(payload);
  if (res.status !== 200) throw new Error(`image callback answered ${res.status}`);
  await h.settle();
}

export const count = (h: Harness, sql: string): number =>
  (h.app.db.$client.prepare(sql).get() as { n: number }).n;
