/**
 * What the fake 智能机器人 server remembers, public so tests assert on what people saw: every message in
 * every chat (cards with their current state), every update attempt and how it was answered, every
 * callback pushed (so a test can click a card or redeliver a frame), and the uploads.
 */

/** Error codes the fake answers with (WeCom's own numbers where they are known). */
export const BOT_ERR = {
  /** Wrong bot id or secret in aibot_subscribe (WeCom: invalid credential). */
  AUTH: 40001,
  /** A command before aibot_subscribe succeeded. */
  NOT_AUTHENTICATED: 40002,
  /** A reply or update naming a req_id the server never pushed (or pushed as another kind). */
  BAD_REQ_ID: 40003,
  /** An update after its 5 s, or a second update for the same event. */
  UPDATE_EXPIRED: 40004,
  /** task_id of an update differs from the clicked card's. */
  TASK_MISMATCH: 40005,
  /** A template card whose task_id this bot has already used. */
  TASK_DUPLICATE: 40006,
  /** aibot_send_msg to a chat the robot is not in / an unknown user. */
  UNKNOWN_CHAT: 40007,
  /** Malformed body (missing fields, wrong msgtype, too long). */
  BAD_BODY: 40008,
  /** Unknown media_id or upload_id, or chunk/md5 mismatch. */
  BAD_MEDIA: 40009,
  /** Over the per-chat send rate. */
  RATE: 45009,
} as const;

export interface BotMessage {
  /** The chat (group chatid, or the userid of a single chat). */
  chatid: string;
  msgtype: string;
  /** Markdown / stream text, or the media id. */
  content: string;
  taskId?: string;
  /** The card as everyone sees it now (after updates). */
  card?: Record<string, unknown>;
  /** Updates applied: the userids they were for (empty: everyone). */
  updates: { at: number; userids: string[]; card: Record<string, unknown> }[];
  via: "send" | "reply";
  at: number;
}

export interface PushedCallback {
  reqId: string;
  kind: "message" | "event";
  eventType?: string;
  chatid: string;
  userid: string;
  taskId?: string;
  pushedAt: number;
  /** An update was answered (once per template_card_event). */
  updated?: boolean;
  /** A template card was replied to this message (once per message). */
  cardReplied?: boolean;
  frame: Record<string, unknown>;
}

export interface Upload {
  type: string;
  filename: string;
  totalSize: number;
  totalChunks: number;
  md5: string;
  chunks: Map<number, Buffer>;
}

export class FakeBotState {
  readonly messages: BotMessage[] = [];
  readonly callbacks = new Map<string, PushedCallback>();
  /** Every aibot_respond_update_msg and its answer. */
  readonly updateCalls: { reqId: string; taskId: string; errcode: number; at: number }[] = [];
  /** Every frame the client sent, by command (heartbeats included). */
  readonly frames: { cmd: string; errcode: number; at: number }[] = [];
  /** Subscribe attempts: accepted or refused. */
  readonly auths: { botId: string; ok: boolean; at: number }[] = [];
  readonly media = new Map<string, { type: string; filename: string; bytes: Buffer }>();
  readonly uploads = new Map<string, Upload>();
  readonly taskIds = new Set<string>();

  /** Messages in one chat (a group's chatid, or a user's single chat). */
  in(chatid: string): BotMessage[] {
    return this.messages.filter((m) => m.chatid === chatid);
  }

  texts(chatid: string): string[] {
    return this.in(chatid)
      .filter((m) => m.msgtype === "markdown" || m.msgtype === "stream" || m.msgtype === "text")
      .map((m) => m.content);
  }

  cards(chatid: string): BotMessage[] {
    return this.in(chatid).filter((m) => m.msgtype === "template_card");
  }

  card(taskId: string): BotMessage | undefined {
    return this.messages.find((m) => m.taskId === taskId);
  }

  count(cmd: string): number {
    return this.frames.filter((f) => f.cmd === cmd).length;
  }
}
