/**
 * WeCom callbacks are verified before anything reads them (docs/reliability.md): URL verification answers the
 * decrypted echostr; a forged signature, a wrong corp id, a wrong key, a stale timestamp, an oversized
 * body are refused and change nothing; a replayed (redelivered) callback is accepted once.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encryptWecom, wecomSignature } from "../../src/platforms/wecom/crypto.ts";
import { buildXml } from "../../src/platforms/wecom/xml.ts";
import { echoRequest, signedCallback, textMessage } from "../fakes/wecom/callbacks.ts";
import { SECRETS, startWecomHarness, WECOM, type WecomHarness } from "../fakes/wecom/harness.ts";

let h: WecomHarness;
beforeEach(async () => {
  h = await startWecomHarness();
});
afterEach(async () => {
  await h.close();
});

const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;
const changes = () => ({
  people: count("select count(*) n from people"),
  outbox: count("select count(*) n from outbox"),
  seen: count("select count(*) n from inbound_seen"),
});
const submit = (from = "xiaowang", msgId?: string) =>
  textMessage({
    corpId: WECOM.corpId,
    from,
    text: "/help",
    agentId: WECOM.agentId,
    at: h.clock.now(),
    ...(msgId ? { msgId } : {}),
  });
const ts = () => Math.floor(h.clock.now() / 1000);

describe("WeCom callback security", () => {
  it("answers URL verification with the decrypted echostr, and refuses a forged one", async () => {
    const q = echoRequest(SECRETS, "1616140317555161061", ts());
    const res = await h.post(q, "", "GET");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("1616140317555161061");
    const forged = q.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${"0".repeat(40)}`);
    expect((await h.post(forged, "", "GET")).status).toBe(401);
  });

  it("refuses forged, foreign, stale and undecryptable callbacks with 401 and changes nothing", async () => {
    await h.wecomSay("someone", "/help"); // a first, valid message
    const before = changes();
    const good = signedCallback(SECRETS, submit(), { timestamp: ts() });

    const tampered = good.query.replace(
      /msg_signature=([0-9a-f])/,
      (_, c: string) => `msg_signature=${c === "a" ? "b" : "a"}`,
    );
    expect((await h.post(tampered, good.body)).status).toBe(401);

    const otherCorp = signedCallback({ ...SECRETS, corpId: "ww_other_corp" }, submit(), { timestamp: ts() });
    expect((await h.post(otherCorp.query, otherCorp.body)).status).toBe(401);

    const otherKey = signedCallback(
      { ...SECRETS, encodingAesKey: Buffer.alloc(32, 9).toString("base64").slice(0, 43) },
      submit(),
      { timestamp: ts() },
    );
    expect((await h.post(otherKey.query, otherKey.body)).status).toBe(401);

    const otherToken = signedCallback({ ...SECRETS, token: "notOurToken" }, submit(), { timestamp: ts() });
    expect((await h.post(otherToken.query, otherToken.body)).status).toBe(401);

    const stale = signedCallback(SECRETS, submit(), { timestamp: ts() - 2 * 3600 });
    expect((await h.post(stale.query, stale.body)).status).toBe(401);

    // Signed correctly, but the ciphertext is not WeCom's format (the library alone would accept it).
    const garbage = Buffer.alloc(64, 1).toString("base64");
    const sig = wecomSignature(SECRETS.token, String(ts()), "1", garbage);
    const q = new URLSearchParams({ msg_signature: sig, timestamp: String(ts()), nonce: "1" }).toString();
    expect((await h.post(q, buildXml({ Encrypt: garbage }))).status).toBe(401);

    expect((await h.post(good.query, "<xml><Nothing/></xml>")).status).toBe(400);
    const big = await h.post(good.query, "x".repeat(1024 * 1024 + 10));
    expect(big.status).toBe(413);
    await h.settle();
    expect(changes()).toEqual(before);
    expect(h.texts("xiaowang")).toEqual([]);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/bot_callbacks_rejected_total\{platform="wecom",reason="bad_signature"\} [1-9]/);
    expect(metrics).toMatch(/bot_callbacks_rejected_total\{platform="wecom",reason="bad_receiveid"\} 1/);
  });

  it("a redelivered message (same MsgId, WeCom retries 3 times) is handled once", async () => {
    const req = signedCallback(SECRETS, submit("xiaowang", "9000000001"), { timestamp: ts() });
    for (let i = 0; i < 3; i++) {
      const res = await h.post(req.query, req.body);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("");
    }
    await h.settle();
    expect(h.texts("xiaowang")).toHaveLength(1);
    // The same MsgId 6 days later is still a duplicate (keys are kept 8 days).
    h.clock.advance(6 * 24 * 3_600_000);
    await h.restart();
    const again = signedCallback(SECRETS, submit("xiaowang", "9000000001"), { timestamp: ts() });
    expect((await h.post(again.query, again.body)).status).toBe(200);
    await h.settle();
    expect(h.texts("xiaowang")).toHaveLength(1);
  });

  it("ignores callbacks for another agent of the same corp", async () => {
    const xml = textMessage({
      corpId: WECOM.corpId,
      from: "xiaowang",
      text: "/help",
      agentId: 999,
      at: h.clock.now(),
    });
    const req = signedCallback(SECRETS, xml, { timestamp: ts() });
    expect((await h.post(req.query, req.body)).status).toBe(200);
    await h.settle();
    expect(h.texts("xiaowang")).toEqual([]);
  });

  it("the echo uses the same checks: a wrong corp id in the echostr is refused", async () => {
    const encrypted = encryptWecom({ ...SECRETS, corpId: "ww_other" }, "42");
    const sig = wecomSignature(SECRETS.token, String(ts()), "7", encrypted);
    const q = new URLSearchParams({
      msg_signature: sig,
      timestamp: String(ts()),
      nonce: "7",
      echostr: encrypted,
    });
    expect((await h.post(q.toString(), "", "GET")).status).toBe(401);
  });
});
