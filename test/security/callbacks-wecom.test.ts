/**
 * GET and POST /webhooks/wecom under attack (docs/reliability.md: msg_signature, decrypt, receiveid == corp id).
 * Everything WeCom did not sign for us — forged, signed over another ciphertext, stale or from the
 * future, cut short, oversized, not XML, a ciphertext with bad padding or another corp's receiveid — is
 * a 4xx, never a 500, and leaves every table and every member's chat as it was. A genuine callback
 * replayed is handled once. test/e2e/wecom-security.test.ts has one example of each basic refusal;
 * this file covers the header-by-header, byte-by-byte and window-edge cases.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encryptWecom, wecomSignature } from "../../src/platforms/wecom/crypto.ts";
import { MAX_AGE_MS } from "../../src/platforms/wecom/verify.ts";
import { buildXml } from "../../src/platforms/wecom/xml.ts";
import { cardEvent, echoRequest, signedCallback, textMessage } from "../fakes/wecom/callbacks.ts";
import { SECRETS, startWecomHarness, WECOM, type WecomHarness } from "../fakes/wecom/harness.ts";
import { chunk, countDelta, LAST_CHUNK, rawHttp, tableCounts, wecomSent } from "./support.ts";

let h: WecomHarness;
beforeEach(async () => {
  h = await startWecomHarness();
  await h.wecomSay("admin", "/role add ops_lead @lijie(李姐)");
  await h.wecomSay("admin", "/role add ops @xiaowang(小王)");
  // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
  await h.wecomSay("admin", "/exam record @xiaowang(小王) 100");
});
afterEach(async () => {
  await h.close();
});

const MiB = 1024 * 1024;
const secs = () => Math.floor(h.clock.now() / 1000);

/** 小王's /submit: any rejected variant that got through would add a content item. */
const submitXml = (msgId?: string) =>
  textMessage({
    corpId: WECOM.corpId,
    from: "xiaowang",
    text: "/submit 抖音 周末新本\n欢迎预约",
    agentId: WECOM.agentId,
    at: h.clock.now(),
    ...(msgId ? { msgId } : {}),
  });

/** Signs `encrypted` as WeCom would (query string) and wraps it in the outer XML. */
function signedEnvelope(encrypted: string, timestamp = secs(), nonce = "42") {
  const q = new URLSearchParams({
    msg_signature: wecomSignature(SECRETS.token, String(timestamp), nonce, encrypted),
    timestamp: String(timestamp),
    nonce,
  });
  return {
    query: q.toString(),
    body: buildXml({ ToUserName: WECOM.corpId, Encrypt: encrypted, AgentID: "" }),
  };
}

async function expectNoEffect(attack: () => Promise<void>): Promise<void> {
  await h.settle();
  const rows = tableCounts(h.app.db.$client);
  const sent = wecomSent(h.wecom);
  await attack();
  await h.settle();
  expect(countDelta(rows, tableCounts(h.app.db.$client))).toEqual({});
  expect(wecomSent(h.wecom)).toBe(sent);
}

describe("WeCom URL verification (GET)", () => {
  it("answers only a correctly signed echostr of our corp; every forgery is 401 and echoes nothing", async () => {
    const good = new URLSearchParams(echoRequest(SECRETS, "echo-ok", secs()));
    const variants: Record<string, URLSearchParams> = {};
    const v = (name: string, change: (q: URLSearchParams) => void) => {
      const q = new URLSearchParams(good);
      change(q);
      variants[name] = q;
    };
    v("no msg_signature", (q) => q.delete("msg_signature"));
    v("no timestamp", (q) => q.delete("timestamp"));
    v("no nonce", (q) => q.delete("nonce"));
    v("no echostr", (q) => q.delete("echostr"));
    v("signature of zeros", (q) => q.set("msg_signature", "0".repeat(40)));
    v("timestamp changed after signing", (q) => q.set("timestamp", String(secs() + 1)));
    v("echostr of another message", (q) =>
      q.set("echostr", new URLSearchParams(echoRequest(SECRETS, "other", secs())).get("echostr") ?? ""),
    );
    const bodies: Record<string, number> = {};
    const texts: string[] = [];
    await expectNoEffect(async () => {
      for (const [name, q] of Object.entries(variants)) {
        const res = await h.post(q.toString(), "", "GET");
        bodies[name] = res.status;
        texts.push(await res.text());
      }
      // Signed correctly, but the echostr is not a valid ciphertext (bad padding), or names another corp.
      const garbage = Buffer.alloc(48, 3).toString("base64");
      const gq = new URLSearchParams({
        msg_signature: wecomSignature(SECRETS.token, String(secs()), "9", garbage),
        timestamp: String(secs()),
        nonce: "9",
        echostr: garbage,
      });
      bodies["bad padding"] = (await h.post(gq.toString(), "", "GET")).status;
      const foreign = echoRequest({ ...SECRETS, corpId: "ww_someone_else" }, "echo-foreign", secs());
      bodies["another corp's receiveid"] = (await h.post(foreign, "", "GET")).status;
    });
    expect(bodies).toEqual(Object.fromEntries(Object.keys(bodies).map((k) => [k, 401])));
    expect(texts.some((t) => t.includes("echo"))).toBe(false);
    const ok = await h.post(good.toString(), "", "GET");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("echo-ok");
  });
});

describe("WeCom callbacks (POST)", () => {
  it("refuses a forged, re-used or partial signature with 401", async () => {
    const good = signedCallback(SECRETS, submitXml(), { timestamp: secs() });
    const other = signedCallback(SECRETS, submitXml(), { timestamp: secs() });
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      const send = async (name: string, query: string, body = good.body) => {
        statuses[name] = (await h.post(query, body)).status;
      };
      const q = (change: (q: URLSearchParams) => void) => {
        const p = new URLSearchParams(good.query);
        change(p);
        return p.toString();
      };
      await send(
        "no msg_signature",
        q((p) => p.delete("msg_signature")),
      );
      await send(
        "no timestamp",
        q((p) => p.delete("timestamp")),
      );
      await send(
        "no nonce",
        q((p) => p.delete("nonce")),
      );
      await send("no query at all", "");
      await send(
        "signature of zeros",
        q((p) => p.set("msg_signature", "0".repeat(40))),
      );
      await send(
        "nonce changed after signing",
        q((p) => p.set("nonce", `${p.get("nonce")}1`)),
      );
      // A real signature, but over the other request's ciphertext.
      await send("signature over another ciphertext", other.query);
      // Our body signed with someone else's token.
      const foreign = signedCallback({ ...SECRETS, token: "theirToken" }, submitXml(), { timestamp: secs() });
      await send("another token", foreign.query, foreign.body);
    });
    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((k) => [k, 401])));
    expect((await h.post(good.query, good.body)).status).toBe(200);
    await h.settle();
    expect(h.texts("xiaowang").at(-1)).toMatch(/^已提交 #1《周末新本》/);
  });

  it("accepts a signed timestamp up to an hour old or minutes ahead, and refuses beyond (replay window)", async () => {
    const at = (offsetMs: number) =>
      signedCallback(SECRETS, submitXml(), { timestamp: Math.floor((h.clock.now() + offsetMs) / 1000) });
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      for (const [name, off] of [
        ["just over an hour old", -MAX_AGE_MS - 1000],
        ["a day old", -24 * 3_600_000],
        ["an hour in the future", 3_600_000],
        ["six minutes in the future", 6 * 60_000],
        ["timestamp 0", -h.clock.now()],
      ] as const) {
        const r = at(off);
        statuses[name] = (await h.post(r.query, r.body)).status;
      }
      const nan = signedEnvelope(encryptWecom(SECRETS, submitXml()), Number.NaN);
      statuses["timestamp NaN"] = (await h.post(nan.query, nan.body)).status;
    });
    expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((k) => [k, 401])));
    // Inside the window: WeCom's own retries (seconds to minutes later) and a little clock skew.
    const late = at(-MAX_AGE_MS + 60_000);
    expect((await h.post(late.query, late.body)).status).toBe(200);
    const early = at(4 * 60_000);
    expect((await h.post(early.query, early.body)).status).toBe(200);
    await h.settle();
    expect(h.app.db.$client.prepare("select count(*) n from content_items").get()).toEqual({ n: 2 });
  });

  it("refuses a correctly signed ciphertext that is malformed, foreign or hides non-XML", async () => {
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      const send = async (name: string, encrypted: string) => {
        const r = signedEnvelope(encrypted);
        statuses[name] = (await h.post(r.query, r.body)).status;
      };
      await send("not base64", "%%%not-base64%%%");
      await send("shorter than two blocks", Buffer.alloc(16, 1).toString("base64"));
      await send("not whole blocks", Buffer.alloc(50, 1).toString("base64"));
      await send("bad padding", Buffer.alloc(64, 0).toString("base64"));
      await send(
        "another AES key",
        encryptWecom(
          { ...SECRETS, encodingAesKey: Buffer.alloc(32, 1).toString("base64").slice(0, 43) },
          submitXml(),
        ),
      );
      await send(
        "another corp's receiveid",
        encryptWecom({ ...SECRETS, corpId: "ww_other_corp" }, submitXml()),
      );
      await send("empty receiveid", encryptWecom({ ...SECRETS, corpId: "" }, submitXml()));
      await send(
        "receiveid with a suffix",
        encryptWecom({ ...SECRETS, corpId: `${WECOM.corpId}x` }, submitXml()),
      );
      // Our own corp and key, but the plaintext is not the flat XML WeCom sends.
      await send("plaintext not XML", encryptWecom(SECRETS, "hello"));
      await send("plaintext JSON", encryptWecom(SECRETS, JSON.stringify({ MsgType: "text" })));
    });
    expect(statuses).toMatchObject({
      "bad padding": 401,
      "another AES key": 401,
      "another corp's receiveid": 401,
      "empty receiveid": 401,
      "receiveid with a suffix": 401,
      "plaintext not XML": 400,
      "plaintext JSON": 400,
    });
    for (const [name, s] of Object.entries(statuses))
      expect([name, [400, 401].includes(s)]).toEqual([name, true]);
  });

  it("a body cut short at any byte is a 4xx and changes nothing", async () => {
    const good = signedCallback(SECRETS, submitXml(), { timestamp: secs() });
    const len = good.body.length;
    const cuts = [0, 1, 5, 20, 40, Math.floor(len / 2), len - 20, len - 7, len - 6, len - 1];
    const seen: number[] = [];
    await expectNoEffect(async () => {
      for (const cut of cuts) seen.push((await h.post(good.query, good.body.slice(0, cut))).status);
      // Cut inside the base64 of <Encrypt> but with the XML closed again: the signature no longer fits.
      const inner = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(good.body)?.[1] ?? "";
      const shorter = good.body.replace(inner, inner.slice(0, inner.length - 4));
      seen.push((await h.post(good.query, shorter)).status);
      // …and re-signed over the shorter ciphertext (an attacker cannot, but padding must catch it too).
      const resigned = signedEnvelope(inner.slice(0, inner.length - 24));
      seen.push((await h.post(resigned.query, resigned.body)).status);
      // Announced bigger than sent, then the client went away.
      const res = await rawHttp(h.url, {
        path: `/webhooks/wecom?${good.query}`,
        headers: { "content-type": "text/xml", "content-length": String(len) },
        chunks: [Buffer.from(good.body.slice(0, Math.floor(len / 2)))],
        halfClose: true,
      });
      expect([0, 400]).toContain(res.status);
    });
    for (const s of seen) expect([400, 401]).toContain(s);
    expect((await h.post(good.query, good.body)).status).toBe(200);
  });

  it("1 MiB + 1 byte is 413 with or without a Content-Length; garbage and XML tricks are 400", async () => {
    const good = signedCallback(SECRETS, submitXml(), { timestamp: secs() });
    const statuses: Record<string, number> = {};
    await expectNoEffect(async () => {
      const exact = `<xml><Encrypt>${"A".repeat(MiB - "<xml><Encrypt></Encrypt></xml>".length)}</Encrypt></xml>`;
      expect(Buffer.byteLength(exact)).toBe(MiB);
      statuses["exactly 1 MiB (read, then refused)"] = (await h.post(good.query, exact)).status;
      statuses["1 MiB + 1"] = (await h.post(good.query, `${exact} `)).status;
      const chunked = await rawHttp(h.url, {
        path: `/webhooks/wecom?${good.query}`,
        headers: { "content-type": "text/xml", "transfer-encoding": "chunked" },
        chunks: [chunk(Buffer.from(exact)), chunk(Buffer.from(" ")), LAST_CHUNK],
      });
      statuses["chunked 1 MiB + 1"] = chunked.status;
      const garbage: Record<string, string> = {
        empty: "",
        "not XML": "hello",
        JSON: JSON.stringify({ Encrypt: "abc" }),
        "no Encrypt element": "<xml><ToUserName>x</ToUserName></xml>",
        "empty Encrypt": "<xml><Encrypt></Encrypt></xml>",
        "unclosed CDATA": "<xml><Encrypt><![CDATA[abc</Encrypt></xml>",
        // External entities are never resolved: the reader knows no DTDs, so this is simply not our XML.
        XXE: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>',
        "billion laughs": `<!DOCTYPE l [<!ENTITY a "${"x".repeat(100)}">${Array.from({ length: 9 }, (_, i) => `<!ENTITY b${i} "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">`).join("")}]><xml><Encrypt>&b8;</Encrypt></xml>`,
        binary: randomBytes(512).toString("latin1"),
      };
      for (const [name, body] of Object.entries(garbage))
        statuses[name] = (await h.post(good.query, body)).status;
    });
    expect(statuses["1 MiB + 1"]).toBe(413);
    expect(statuses["chunked 1 MiB + 1"]).toBe(413);
    expect(statuses["exactly 1 MiB (read, then refused)"]).toBe(401);
    for (const [name, s] of Object.entries(statuses))
      expect([name, [400, 401, 413].includes(s)]).toEqual([name, true]);
    expect(statuses.XXE).toBe(400);
  });

  it("a genuine message and a genuine card click, each replayed, are handled once", async () => {
    const submit = signedCallback(SECRETS, submitXml("7000000001"), { timestamp: secs() });
    expect((await h.post(submit.query, submit.body)).status).toBe(200);
    await h.settle();
    const card = h.lastCard("lijie");
    const taskId = card.taskId as string;
    const approveKey =
      ((card.card?.button_list as { text: string; key: string }[] | undefined) ?? []).find(
        (b) => b.text === "通过",
      )?.key ?? "";
    const click = signedCallback(
      SECRETS,
      cardEvent({
        corpId: WECOM.corpId,
        from: "lijie",
        taskId,
        key: approveKey,
        responseCode: h.wecom.state.click(taskId, "lijie"),
        agentId: WECOM.agentId,
        at: h.clock.now(),
      }),
      { timestamp: secs() },
    );
    expect((await h.post(click.query, click.body)).status).toBe(200);
    await h.settle();
    const decided = h.app.db.$client.prepare("select count(*) n from review_events where type = 'approve'");
    expect(decided.get()).toEqual({ n: 1 });
    // WeCom retries 3 times when it gets no answer in 5 s: the same bytes, the same answer, no effect.
    await expectNoEffect(async () => {
      for (let i = 0; i < 3; i++) {
        const a = await h.post(submit.query, submit.body);
        expect([a.status, await a.text()]).toEqual([200, ""]);
        expect((await h.post(click.query, click.body)).status).toBe(200);
      }
    });
    expect(decided.get()).toEqual({ n: 1 });
  });
});
