import { randomFillSync } from "node:crypto";
import { and, eq, gte, sql } from "drizzle-orm";
import { v7 as timeOrderedUuid } from "uuid";
import type { Clock } from "../clock.ts";
import type { People } from "../core/people/people.ts";
import type { Capability, Outbound, SendOptions } from "../core/ports.ts";
import type { CardView, Mention, OutMessage, Platform } from "../core/types.ts";
import type { Db } from "../store/db.ts";
import { arg, prepared, setArg } from "../store/prepared.ts";
import { groupBindings, outbox } from "../store/schema/index.ts";

// Every state change writes rows here; prepared once per database (see store/prepared.ts).
const insertRow = prepared((db) =>
  db
    .insert(outbox)
    .values({
      platform: arg("platform"),
      op: arg("op"),
      target: arg("target"),
      payload: arg("payload"), // insert placeholders still go through the column's JSON encoder
      idemKey: arg("idemKey"),
      cardRef: arg("cardRef"),
      status: "pending",
      nextAttemptAt: arg("now"),
      createdAt: arg("now"),
    })
    .returning({ id: outbox.id })
    .prepare(),
);
const platformsOfCard = prepared((db) =>
  db
    .selectDistinct({ platform: outbox.platform })
    .from(outbox)
    .where(and(eq(outbox.cardRef, arg("cardRef")), eq(outbox.op, "send")))
    .prepare(),
);
const supersedeUpdates = prepared((db) =>
  db
    .update(outbox)
    .set({ status: "superseded", doneAt: setArg("now") })
    .where(
      and(
        eq(outbox.cardRef, arg("cardRef")),
        eq(outbox.platform, arg("platform")),
        eq(outbox.op, "update"),
        eq(outbox.status, "pending"),
      ),
    )
    .prepare(),
);

// Served by the partial index outbox_wecom_recent (the only platform with a Renderer.repeat).
const identicalSince = prepared((db) =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(outbox)
    .where(
      and(
        sql`${outbox.platform} = 'wecom'`,
        eq(outbox.target, arg("target")),
        gte(outbox.createdAt, arg("since")),
        sql`${outbox.payload} = ${arg("payload")}`,
      ),
    )
    .prepare(),
);

const copyOf = prepared((db) =>
  db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(eq(outbox.cardRef, arg("cardRef")), eq(outbox.op, "send"), eq(outbox.messageId, arg("messageId"))),
    )
    .limit(1)
    .prepare(),
);

/**
 * Random bytes for the outbox's idempotency keys, drawn from a pool filled 4 KiB at a time: asking the
 * system for 16 bytes per key was a visible part of a card click (`npm run bench`).
 */
const randomPool = Buffer.alloc(4096);
let randomAt = randomPool.length;
function random16(): Uint8Array {
  if (randomAt + 16 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  randomAt += 16;
  return randomPool.subarray(randomAt - 16, randomAt);
}

export interface Recipient {
  type: "user" | "chat";
  id: string;
}

/** Turns a platform-neutral message into the payload one platform's deliverer sends. */
export interface Renderer {
  send(to: Recipient, msg: OutMessage, mentions: Mention[]): unknown;
  card(view: CardView): unknown;
  /** Payloads (one per platform batch) that buzz `userIds` about the message of outbox row `sendId`. */
  urgent?(sendId: number, userIds: string[]): unknown[];
  /** True for chats whose posts cannot carry buttons (WeCom group robots): `actors` get DM copies. */
  buttonlessChat?(chatId: string): boolean;
  /**
   * Platforms that drop content identical to what the same target got within a window (WeCom's
   * duplicate check, which makes resends safe) would also drop a legitimate repeat — the second
   * "已通过「初审」" in half an hour. `repeat.distinct` returns the payload made different from `earlier`
   * identical ones (or undefined when this payload is not subject to the check).
   */
  repeat?: { windowMs: number; distinct(payload: unknown, earlier: number): unknown };
}

/** Listens for new rows so the worker wakes at once instead of at its next poll. */
export type Wake = () => void;

/**
 * The outbox side of the Outbound port: every call writes rows in the caller's transaction. Payloads are
 * rendered now, so what was decided is what gets sent even if the templates change before delivery.
 */
export class OutboxWriter implements Outbound {
  private wake: Wake = () => {};

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly people: People,
    private readonly renderers: Partial<Record<Platform, Renderer>>,
    private readonly admins: readonly { platform: Platform; userId: string }[],
    /** Each enabled platform's capabilities (the union of its modules' flags, src/platforms/module.ts). */
    private readonly capabilities: Partial<Record<Platform, ReadonlySet<Capability>>> = {},
  ) {}

  can(platform: Platform, capability: Capability): boolean {
    return this.capabilities[platform]?.has(capability) ?? false;
  }

  onWrite(wake: Wake): void {
    this.wake = wake;
  }

  toPerson(personId: number, msg: OutMessage, opts: SendOptions = {}): number {
    let n = 0;
    for (const id of this.people.identitiesOf(personId)) {
      if (this.insert(id.platform, { type: "user", id: id.userId }, msg, opts)) n++;
    }
    return n;
  }

  toChat(chat: { platform: Platform; chatId: string }, msg: OutMessage, opts: SendOptions = {}): void {
    this.insert(chat.platform, { type: "chat", id: chat.chatId }, msg, opts);
  }

  toGroups(purpose: string, msg: OutMessage, opts: SendOptions = {}): number {
    const chats = this.db.select().from(groupBindings).where(eq(groupBindings.purpose, purpose)).all();
    let n = 0;
    const dmed = new Set<string>(); // several robot groups: each actor still gets one DM copy
    for (const c of chats) {
      if (this.insert(c.platform as Platform, { type: "chat", id: c.chatId }, msg, opts, dmed)) n++;
    }
    return n;
  }

  updateCards(cardRef: string, card: CardView, exceptMessageId?: string): void {
    const platforms = platformsOfCard(this.db).all({ cardRef });
    for (const { platform } of platforms) {
      const renderer = this.renderers[platform as Platform];
      if (!renderer) continue;
      // Each update carries the whole card, so an older update still waiting is now pointless, and
      // delivering it after this one would show stale state.
      supersedeUpdates(this.db).run({ cardRef, platform, now: this.clock.now() });
      this.row(
        platform as Platform,
        "update",
        cardRef,
        { card: renderer.card(card), exceptMessageId },
        cardRef,
      );
    }
  }

  isCopyOf(cardRef: string, messageId: string): boolean {
    return copyOf(this.db).get({ cardRef, messageId }) !== undefined;
  }

  toAdmins(msg: OutMessage): void {
    for (const a of this.admins) this.insert(a.platform, { type: "user", id: a.userId }, msg);
  }

  private insert(
    platform: Platform,
    to: Recipient,
    msg: OutMessage,
    opts: SendOptions = {},
    dmed = new Set<string>(),
  ): boolean {
    const renderer = this.renderers[platform];
    if (!renderer) return false; // that platform is not enabled in this deployment
    const mentions = msg.type === "text" ? this.resolveMentions(platform, msg.mentions ?? []) : [];
    const target = `${to.type}:${to.id}`;
    const payload = this.unrepeated(renderer, target, renderer.send(to, msg, mentions));
    const sendId = this.row(platform, "send", target, payload, opts.cardRef);
    // The buzz needs the message id of this send, so the worker holds it until the send is done.
    const buzzed = this.resolveMentions(platform, opts.urgent ?? []).map((m) => m.userId);
    if (buzzed.length > 0 && renderer.urgent) {
      for (const payload of renderer.urgent(sendId, buzzed)) this.row(platform, "urgent", target, payload);
    }
    if (
      msg.type === "card" &&
      to.type === "chat" &&
      opts.actors?.length &&
      renderer.buttonlessChat?.(to.id)
    ) {
      for (const m of this.resolveMentions(platform, opts.actors)) {
        if (dmed.has(`${platform}:${m.userId}`)) continue;
        dmed.add(`${platform}:${m.userId}`);
        const dm = { type: "user" as const, id: m.userId };
        this.row(platform, "send", `user:${m.userId}`, renderer.send(dm, msg, []), opts.cardRef);
      }
    }
    return true;
  }

  private row(platform: Platform, op: string, target: string, payload: unknown, cardRef?: string): number {
    const now = this.clock.now();
    const row = insertRow(this.db).get({
      platform,
      op,
      target,
      payload,
      // Time-ordered (UUIDv7): new keys land at the end of the unique index instead of on a random page
      // of it; with ~200k rows a random key made each outbox insert ~3× slower (npm run bench).
      idemKey: timeOrderedUuid({ random: random16() }),
      cardRef: cardRef ?? null,
      now,
    });
    if (!row) throw new Error("outbox insert returned no row");
    const { id } = row;
    this.wake();
    return id;
  }

  /** See Renderer.repeat. Decided when the row is written, so a resend of this row stays identical. */
  private unrepeated(renderer: Renderer, target: string, payload: unknown): unknown {
    const repeat = renderer.repeat;
    if (!repeat) return payload;
    const since = this.clock.now() - repeat.windowMs;
    const taken = (p: unknown) =>
      (identicalSince(this.db).get({ target, since, payload: JSON.stringify(p) })?.n ?? 0) > 0;
    // The n-th variant is tried until one is free: earlier repeats were stored already marked.
    let candidate = payload;
    for (let n = 1; taken(candidate); n++) {
      const next = repeat.distinct(payload, n);
      if (next === undefined) return payload;
      candidate = next;
    }
    return candidate;
  }

  private resolveMentions(platform: Platform, personIds: number[]): Mention[] {
    const out: Mention[] = [];
    for (const pid of personIds) {
      const id = this.people.identitiesOf(pid).find((i) => i.platform === platform);
      if (id) out.push({ userId: id.userId, name: this.people.name(pid) });
    }
    return out;
  }
}
