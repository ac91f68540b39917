import { and, eq, gte } from "drizzle-orm";
import { crisisEvidence, crisisEvidenceWindows } from "../../store/schema/crisis.ts";
import type { Actor } from "../commands/registry.ts";
import type { Services } from "../services.ts";
import { type InboundMessage, UserError } from "../types.ts";
import { crisisCardRef, crisisNo, windowText } from "./model.ts";
import {
  addEvent,
  evidenceCount,
  findCrisis,
  getCrisis,
  isResponder,
  openCrises,
  requireResponder,
} from "./repo.ts";
import { crisisCard } from "./views.ts";

/**
 * Evidence (核实取证, 第十一条(二)3: "收集相关证据（内容截图、沟通记录等）"): images sent to the bot.
 * Which crisis an image belongs to:
 *  1. after `/crisis evidence C-7`, every image the sender sends within `crisis.evidence.window` (the window
 *     restarts with each image, so a batch of screenshots works) — from the reporter too;
 *  2. otherwise an image a responder DMs while exactly one crisis is open goes to that one; with several
 *     open the bot asks which (step 1). Other images are not the crisis module's business.
 */

const windowMs = (services: Services) => services.policy.durationMs("crisis.evidence.window");

export function armEvidence(services: Services, actor: Actor, id: number, note: string): string {
  const c = getCrisis(services.db, id);
  const no = crisisNo(id);
  if (c.stage === "closed") throw new UserError(`${no} 已结案`);
  requireResponder(services, actor, c, "提交证据", [c.reporterId, ...(c.leadId ? [c.leadId] : [])]);
  const until = services.clock.now() + windowMs(services);
  services.db
    .insert(crisisEvidenceWindows)
    .values({ personId: actor.personId, crisisId: id, note: note || null, until })
    .onConflictDoUpdate({
      target: crisisEvidenceWindows.personId,
      set: { crisisId: id, note: note || null, until },
    })
    .run();
  return `📎 请在 ${windowText(windowMs(services))} 内把截图/照片私聊发给我，将作为 ${no} 的证据`;
}

/** The crisis an image from this person goes to, or a question to ask them, or nothing. */
function targetOf(
  services: Services,
  msg: InboundMessage,
  personId: number,
  now: number,
): number | string | undefined {
  const armed = services.db
    .select()
    .from(crisisEvidenceWindows)
    .where(and(eq(crisisEvidenceWindows.personId, personId), gte(crisisEvidenceWindows.until, now)))
    .get();
  if (armed && findCrisis(services.db, armed.crisisId)?.stage !== "closed") return armed.crisisId;
  if (msg.chat.chatType !== "p2p" || !isResponder(services, personId)) return undefined;
  const open = openCrises(services.db);
  if (open.length === 1) return open[0]?.id;
  if (open.length === 0) return undefined;
  return `当前有 ${open.length} 个进行中的危机（${open.map((c) => crisisNo(c.id)).join("、")}），请先发送 /crisis evidence <编号>，再发图片`;
}

/** A message taker (Core.messageTakers): claims image messages that are crisis evidence. */
export function takeEvidenceImage(
  services: Services,
  msg: InboundMessage,
  personId: number,
  reply: (t: string) => void,
): boolean {
  if (!msg.imageKey) return false;
  const now = services.clock.now();
  const target = targetOf(services, msg, personId, now);
  if (target === undefined) return false;
  if (typeof target === "string") {
    reply(target);
    return true;
  }
  const window = services.db
    .select()
    .from(crisisEvidenceWindows)
    .where(eq(crisisEvidenceWindows.personId, personId))
    .get();
  const note = window?.crisisId === target ? window.note : null;
  services.db
    .insert(crisisEvidence)
    .values({
      crisisId: target,
      personId,
      platform: msg.platform,
      imageKey: msg.imageKey,
      messageId: msg.messageId,
      note,
      at: now,
    })
    .run();
  if (window?.crisisId === target) {
    services.db
      .update(crisisEvidenceWindows)
      .set({ until: now + windowMs(services) })
      .where(eq(crisisEvidenceWindows.personId, personId))
      .run();
  }
  const no = crisisNo(target);
  addEvent(services.db, {
    crisisId: target,
    type: "evidence",
    actorId: personId,
    detail: `提交证据图片${note ? `（${note}）` : ""}`,
    at: now,
  });
  services.outbound.updateCards(crisisCardRef(target), crisisCard(services, getCrisis(services.db, target)));
  reply(
    `📎 已作为证据附加到 ${no}（共 ${evidenceCount(services.db, target)} 张）。/crisis show ${no} 查看时间线`,
  );
  return true;
}
