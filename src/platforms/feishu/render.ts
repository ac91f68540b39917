import { readdirSync, readFileSync } from "node:fs";
import type { CardView, Mention, OutMessage } from "../../core/types.ts";
import type { Recipient, Renderer } from "../../outbox/outbound.ts";
import { fitText, fitView, utf8Bytes } from "../fit.ts";
import { compileTemplate, renderTemplate } from "../template.ts";

export const FEISHU_CARDS_DIR = new URL("../../../cards/feishu/", import.meta.url);

/** Payload of a Feishu outbox row: what `FeishuDeliverer` sends. */
export type FeishuPayload =
  | {
      receiveIdType: "open_id" | "chat_id";
      receiveId: string;
      msgType: "text" | "interactive";
      content: string;
    }
  | {
      receiveIdType: "open_id" | "chat_id";
      receiveId: string;
      msgType: "file";
      file: { name: string; base64: string };
    }
  | {
      receiveIdType: "open_id" | "chat_id";
      receiveId: string;
      msgType: "image";
      image: { base64: string };
    }
  | { card: object; exceptMessageId?: string }
  | { urgent: string[]; sendId: number };

/**
 * Feishu refuses a card over 30 KB and a text over 150 KB (230025) for good; we stay 1 KB below both
 * (the card is measured as sent, JSON-encoded).
 */
export const CARD_MAX_BYTES = 30 * 1024 - 1024;
export const TEXT_MAX_BYTES = 150 * 1024 - 1024;

/** urgent_app takes at most 200 user ids per call. */
const URGENT_BATCH = 200;

/** Loads every card template once; a missing template is a programming error caught by the card tests. */
export function loadFeishuTemplates(dir: URL = FEISHU_CARDS_DIR): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of readdirSync(dir)) {
    if (f.endsWith(".json")) out.set(f.slice(0, -5), JSON.parse(readFileSync(new URL(f, dir), "utf8")));
  }
  return out;
}

/**
 * Feishu text treats `<at user_id=…>` as a mention, so user-typed text could @all the company. Such tags
 * are only produced by us; anything like them in user text is defused with a full-width bracket.
 */
export function defuseAtTags(text: string): string {
  return text.replace(/<(\/?at\b)/gi, "＜$1");
}

export class FeishuRenderer implements Renderer {
  constructor(private readonly templates = loadFeishuTemplates()) {}

  card(view: CardView): object {
    return this.filled(view).card;
  }

  /**
   * A decision renders the same view for the outbox PATCH of the other copies, for the click's answer and
   * for every holder's copy: filled and serialised once. Rendered cards are only ever serialised, never
   * changed.
   */
  private filled(view: CardView): { card: object; json: string } {
    const done = this.rendered.get(view);
    if (done) return done;
    const fill = this.compiled(view.template);
    const render = (v: CardView) => fill(v.data) as object;
    const size = (v: CardView) => utf8Bytes(JSON.stringify(render(v)));
    let card = render(view);
    let json = JSON.stringify(card);
    if (utf8Bytes(json) > CARD_MAX_BYTES) {
      const fitted = fitView(view, CARD_MAX_BYTES, size);
      card = fitted ? render(fitted) : this.standIn(view);
      json = JSON.stringify(card);
    }
    const out = { card, json };
    this.rendered.set(view, out);
    return out;
  }

  /** When even the cut card is too big (never for user text alone): a short card saying where to look. */
  private standIn(view: CardView): object {
    const title = String(view.data.headerTitle ?? view.data.title ?? "通知").slice(0, 100);
    const notice = this.templates.get("notice");
    return renderTemplate(notice, {
      title,
      color: "orange",
      text: `内容过长，卡片无法显示。${view.more ?? ""}`,
    }) as object;
  }

  private readonly rendered = new WeakMap<CardView, { card: object; json: string }>();

  /** Each template file compiled once (platforms/template.ts), on first use. */
  private compiled(name: string): (data: Record<string, unknown>) => unknown {
    let fill = this.fillers.get(name);
    if (!fill) {
      const template = this.templates.get(name);
      if (!template) throw new Error(`no Feishu card template ${name}`);
      fill = compileTemplate(template);
      this.fillers.set(name, fill);
    }
    return fill;
  }

  private readonly fillers = new Map<string, (data: Record<string, unknown>) => unknown>();

  /** In-app buzz (加急 urgent_app) of the message sent by outbox row `sendId`. */
  urgent(sendId: number, userIds: string[]): FeishuPayload[] {
    const out: FeishuPayload[] = [];
    for (let i = 0; i < userIds.length; i += URGENT_BATCH) {
      out.push({ urgent: userIds.slice(i, i + URGENT_BATCH), sendId });
    }
    return out;
  }

  text(text: string, mentions: Mention[], mentionAll: boolean, more?: string): string {
    const ats = [
      ...(mentionAll ? ['<at user_id="all">所有人</at>'] : []),
      ...mentions.map((m) => `<at user_id="${m.userId}">${defuseAtTags(m.name)}</at>`),
    ];
    const head = ats.length ? `${ats.join(" ")} ` : "";
    const content = (t: string) => JSON.stringify({ text: `${head}${t}` });
    const fitted = fitText(defuseAtTags(text), TEXT_MAX_BYTES, (t) => utf8Bytes(content(t)), more);
    return content(fitted);
  }

  send(to: Recipient, msg: OutMessage, mentions: Mention[]): FeishuPayload {
    const base = {
      receiveIdType: to.type === "chat" ? ("chat_id" as const) : ("open_id" as const),
      receiveId: to.id,
    };
    switch (msg.type) {
      case "text":
        return {
          ...base,
          msgType: "text",
          content: this.text(msg.text, mentions, msg.mentionAll ?? false, msg.more),
        };
      case "card":
        return { ...base, msgType: "interactive", content: this.filled(msg.card).json };
      case "file":
        return { ...base, msgType: "file", file: { name: msg.fileName, base64: msg.base64 } };
      case "image":
        return { ...base, msgType: "image", image: { base64: msg.base64 } };
    }
  }
}
