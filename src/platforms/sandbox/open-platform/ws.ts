/**
 * Feishu's long connection (FEISHU_MODE=ws) as the SDK 1.74 WSClient speaks it: `POST
 * /callback/ws/endpoint {AppID, AppSecret}` answers the WebSocket URL (or code 514 for bad credentials,
 * final), then protobuf `pbbp2.Frame`s over the socket: pings answered with pongs, events pushed as data
 * frames (header type=event), and the client's ACK `{code, data: base64(JSON answer)}` on the same
 * message_id. Tests push events and read the answers (a card click's toast).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import protobuf from "protobufjs";
import { type WebSocket, WebSocketServer } from "ws";
import type { ResolvedConfig } from "./types.ts";

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: {
          fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } },
        },
        Frame: {
          fields: {
            SeqID: { type: "uint64", id: 1 },
            LogID: { type: "uint64", id: 2 },
            service: { type: "int32", id: 3 },
            method: { type: "int32", id: 4 },
            headers: { rule: "repeated", type: "Header", id: 5 },
            payloadEncoding: { type: "string", id: 6 },
            payloadType: { type: "string", id: 7 },
            payload: { type: "bytes", id: 8 },
            LogIDNew: { type: "string", id: 9 },
          },
        },
      },
    },
  },
});
const Frame = root.lookupType("pbbp2.Frame");

interface Header {
  key: string;
  value: string;
}
interface FrameShape {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: Header[];
  payload?: Uint8Array;
}

const CONTROL = 0;
const DATA = 1;
const PATH = "/callback/ws/connect";

export interface WsAck {
  code: number;
  /** The handler's answer, decoded (a card click: `{toast, card}`). */
  data?: Record<string, unknown>;
}

export class FakeWsHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly waiting = new Map<string, (ack: WsAck) => void>();
  /** Refuse every endpoint request with 514 (credentials rotated while the bot runs). */
  refuseAll = false;
  endpointCalls = 0;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly base: () => string,
  ) {
    this.wss.on("connection", (ws: WebSocket) => {
      this.sockets.add(ws);
      ws.on("close", () => this.sockets.delete(ws));
      ws.on("message", (buf: Buffer) => this.onFrame(ws, buf));
    });
  }

  /** `POST /callback/ws/endpoint`: the SDK reads `{code, msg, data: {URL, ClientConfig}}`. */
  endpoint(body: Record<string, unknown> | undefined): Record<string, unknown> {
    this.endpointCalls += 1;
    const ok =
      !this.refuseAll && body?.AppID === this.config.appId && body?.AppSecret === this.config.appSecret;
    if (!ok) return { code: 514, msg: "app_id or app_secret is invalid", data: {} };
    const url = `${this.base().replace(/^http/, "ws")}${PATH}?fake=1&device_id=fake_device&service_id=7`;
    return {
      code: 0,
      msg: "ok",
      data: {
        URL: url,
        ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 },
      },
    };
  }

  /** The http server's `upgrade` event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!req.url?.startsWith(PATH)) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
  }

  connected(): number {
    return this.sockets.size;
  }

  /** Pushes a schema-2.0 event body to one connected client and resolves with its ACK. */
  push(payload: Record<string, unknown>, timeoutMs = 5000): Promise<WsAck> {
    const ws = [...this.sockets][0];
    if (!ws) return Promise.reject(new Error("no long connection"));
    const messageId = randomUUID();
    const frame: FrameShape = {
      SeqID: 0,
      LogID: 0,
      service: 7,
      method: DATA,
      headers: [
        { key: "type", value: "event" },
        { key: "message_id", value: messageId },
        { key: "sum", value: "1" },
        { key: "seq", value: "0" },
        { key: "trace_id", value: randomUUID() },
      ],
      payload: Buffer.from(JSON.stringify(payload)),
    };
    return new Promise<WsAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no ACK from the client")), timeoutMs);
      this.waiting.set(messageId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      ws.send(Frame.encode(Frame.fromObject(frame)).finish());
    });
  }

  /** Drops every connection (the SDK reconnects through the endpoint). */
  dropAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  private onFrame(ws: WebSocket, buf: Buffer): void {
    const f = Frame.toObject(Frame.decode(buf), { longs: Number, bytes: Buffer }) as FrameShape;
    const header = (k: string) => f.headers?.find((h) => h.key === k)?.value;
    if (f.method === CONTROL && header("type") === "ping") {
      const pong: FrameShape = {
        ...f,
        headers: [{ key: "type", value: "pong" }],
        payload: Buffer.from(
          JSON.stringify({ PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 }),
        ),
      };
      ws.send(Frame.encode(Frame.fromObject(pong)).finish());
      return;
    }
    if (f.method === DATA) {
      const id = header("message_id") ?? "";
      const done = this.waiting.get(id);
      if (!done) return;
      this.waiting.delete(id);
      const raw = JSON.parse(Buffer.from(f.payload ?? []).toString("utf8")) as {
        code: number;
        data?: string;
      };
      done({
        code: raw.code,
        ...(raw.data ? { data: JSON.parse(Buffer.from(raw.data, "base64").toString("utf8")) } : {}),
      });
    }
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}

/** Attaches the hub to the fake's HTTP server. */
export function attachWs(server: Server, hub: FakeWsHub): void {
  server.on("upgrade", (req, socket, head) => hub.upgrade(req, socket, head));
}
