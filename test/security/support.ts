/**
 * Shared tools of the security suite (docs/reliability.md: "nobody gets in who shouldn't").
 *
 * The one question every test here asks is "did anything change?". Counting a few tables by name misses
 * the table nobody thought of, so `tableCounts` counts every table SQLite knows about (sqlite_master),
 * including ones added by later migrations. Updates do not change counts, but the archive triggers
 * (migrations/0006) append an `archive_records` row for every insert *and update* of content items,
 * tickets, crises, policy overrides, audit rows and access logs — so a silent update still shows up as
 * one more archive record. Tests that name a specific row also read that row back.
 */
import { connect } from "node:net";
import type Database from "better-sqlite3";
import type { FakeFeishu } from "../../src/platforms/sandbox/open-platform/index.ts";
import type { FakeWecom } from "../fakes/wecom/server.ts";

export type Counts = Record<string, number>;

/** `select count(*)` of every table in the database (internal sqlite_* tables excluded). */
export function tableCounts(sqlite: Database.Database): Counts {
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .all() as { name: string }[];
  const out: Counts = {};
  for (const { name } of tables) {
    out[name] = (
      sqlite.prepare(`select count(*) as n from "${name.replaceAll('"', '""')}"`).get() as { n: number }
    ).n;
  }
  return out;
}

/** Only the tables whose count moved, as `{table: after - before}`; `{}` when nothing changed. */
export function countDelta(before: Counts, after: Counts): Counts {
  const out: Counts = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[name] ?? 0) - (before[name] ?? 0);
    if (d !== 0) out[name] = d;
  }
  return out;
}

/** Everything the fake Feishu was made to show anyone: messages, card updates, buzzes. */
export function feishuSent(fake: FakeFeishu): number {
  let updates = 0;
  for (const m of fake.state.messages) updates += m.updates.length;
  return fake.state.messages.length + updates + fake.state.urgent.length;
}

/** Everything the fake WeCom delivered: app messages (and their card updates) and group-robot posts. */
export function wecomSent(fake: FakeWecom): number {
  let updates = 0;
  for (const m of fake.state.messages) updates += m.updates.length;
  return fake.state.messages.length + updates + fake.state.robot.length + fake.state.updateCalls.length;
}

/** The tables the suite expects to exist after any input: a dropped table would show up here first. */
export const CORE_TABLES = [
  "people",
  "identities",
  "content_items",
  "review_steps",
  "review_events",
  "tickets",
  "crises",
  "outbox",
  "inbound_seen",
  "audit_log",
  "archive_records",
];

/**
 * Hostile text: SQL that would end a statement, HTML/script, Feishu and WeCom markup (mentions, links,
 * colours, bold), both placeholder syntaxes of our card templates ({{…}} and $if/$each keys as JSON),
 * JS template literals, zero-width and right-to-left characters. Each is stored and shown verbatim.
 */
export const HOSTILE = {
  sqlDrop: "'); DROP TABLE content_items;--",
  sqlOr: '" OR 1=1 --',
  script: "<script>alert(1)</script>",
  atAll: "<at id=all></at>",
  atUserAll: '<at user_id="all">所有人</at>',
  link: "[点我](https://evil.example)",
  bold: "**加粗**",
  font: "<font color='red'>红字</font>",
  larkMd: '<text_tag color="red">标签</text_tag>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JS template literal typed as text, never evaluated
  jsTemplate: "${process.exit(1)}",
  mustache: "{{approveValue}}{{summary}}",
  templateKeys: '{"$if":"open","$each":"findings","$do":{}}',
  zeroWidth: "零\u200b宽\u200d字\ufeff符",
  rtl: "\u202e右到左\u202c",
  wecomMention: "<@all>",
  aTag: '<a href="https://evil.example">退款链接</a>',
} as const;

/**
 * An HTTP request written byte by byte on a socket, for what fetch refuses to send: a Content-Length
 * larger than the body (a client that dies mid-upload) and chunked bodies without any length. Resolves
 * with the status line's code, or 0 when the server closed the connection without answering.
 */
export function rawHttp(
  url: string,
  o: {
    method?: string;
    path: string;
    headers: Record<string, string>;
    chunks: Buffer[];
    halfClose?: boolean;
  },
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      const head = [
        `${o.method ?? "POST"} ${o.path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        "Connection: close",
      ];
      for (const [k, v] of Object.entries(o.headers)) head.push(`${k}: ${v}`);
      socket.write(`${head.join("\r\n")}\r\n\r\n`);
      for (const c of o.chunks) socket.write(c);
      if (o.halfClose) socket.end();
    });
    const got: Buffer[] = [];
    socket.on("data", (d: Buffer) => got.push(d));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(got).toString("utf8");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, text });
    });
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/** One chunk of a `Transfer-Encoding: chunked` body (hex length, CRLF, data, CRLF). */
export const chunk = (b: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from("\r\n")]);
export const LAST_CHUNK = Buffer.from("0\r\n\r\n");
