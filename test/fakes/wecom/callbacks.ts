/**
 * What WeCom sends to the bot: `GET ?msg_signature&timestamp&nonce&echostr` and
 * `POST ?msg_signature&timestamp&nonce` with `<xml><Encrypt>…`, encrypted and signed like WeCom does.
 */
import { randomBytes } from "node:crypto";
import { encryptWecom, type WecomSecrets, wecomSignature } from "../../../src/platforms/wecom/crypto.ts";
import { buildXml } from "../../../src/platforms/wecom/xml.ts";

export interface WecomRequest {
  query: string;
  body: string;
}

/** Encrypts and signs a plaintext XML message (from `textMessage`, `cardEvent`, or by hand). */
export function signedCallback(
  s: WecomSecrets,
  xml: string,
  o: { timestamp?: number; nonce?: string; agentId?: number } = {},
): WecomRequest {
  const encrypted = encryptWecom(s, xml);
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? String(randomBytes(4).readUInt32BE());
  const signature = wecomSignature(s.token, timestamp, nonce, encrypted);
  const q = new URLSearchParams({ msg_signature: signature, timestamp, nonce });
  return {
    query: q.toString(),
    body: buildXml({ ToUserName: s.corpId, Encrypt: encrypted, AgentID: String(o.agentId ?? "") }),
  };
}

export function echoRequest(
  s: WecomSecrets,
  echo: string,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const encrypted = encryptWecom(s, echo);
  const nonce = String(randomBytes(4).readUInt32BE());
  const signature = wecomSignature(s.token, String(timestamp), nonce, encrypted);
  return new URLSearchParams({
    msg_signature: signature,
    timestamp: String(timestamp),
    nonce,
    echostr: encrypted,
  }).toString();
}

export function textMessage(o: {
  corpId: string;
  from: string;
  text: string;
  msgId?: string;
  agentId: number;
  at?: number;
}): string {
  return buildXml({
    ToUserName: o.corpId,
    FromUserName: o.from,
    CreateTime: Math.floor((o.at ?? Date.now()) / 1000),
    MsgType: "text",
    Content: o.text,
    MsgId: o.msgId ?? String(BigInt.asUintN(63, randomBytes(8).readBigUInt64BE())),
    AgentID: o.agentId,
  });
}

export function cardEvent(o: {
  corpId: string;
  from: string;
  taskId: string;
  key: string;
  responseCode: string;
  agentId: number;
  at?: number;
  selected?: Record<string, string>;
}): string {
  const fields: Record<string, string | number> = {
    ToUserName: o.corpId,
    FromUserName: o.from,
    CreateTime: Math.floor((o.at ?? Date.now()) / 1000),
    MsgType: "event",
    Event: "template_card_event",
    EventKey: o.key,
    TaskId: o.taskId,
    CardType: "button_interaction",
    ResponseCode: o.responseCode,
    AgentID: o.agentId,
  };
  const xml = buildXml(fields);
  if (!o.selected) return xml;
  const items = Object.entries(o.selected)
    .map(
      ([k, v]) =>
        `<SelectedItem><QuestionKey><![CDATA[${k}]]></QuestionKey><OptionIds><OptionId><![CDATA[${v}]]></OptionId></OptionIds></SelectedItem>`,
    )
    .join("");
  return xml.replace("</xml>", `<SelectedItems>${items}</SelectedItems></xml>`);
}
