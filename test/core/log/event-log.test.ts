import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, PEOPLE, p2p, seedRoles, startHarness } from "../../support/harness.ts";

/** Every JSON line the bot logged. */
function captured(): { log: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), lines };
}

describe("a decision's log lines say which event, person and chat they are about", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  // The event is the delivery's de-duplication key: the platform's own event id, prefixed by the platform.
  it("a click on 通过 and an /approve each log the platform, the delivery's event id, the person and the chat", async () => {
    const { log, lines } = captured();
    h = await startHarness({ log });
    await seedRoles(h);
    await h.say("wang", "/submit 抖音 周末新本上线\n周六下午场，欢迎预约");
    const card = h.cards("li").at(-1);
    expect(card).toBeDefined();
    const step = Number(/"step":(\d+)/.exec(JSON.stringify(card?.card))?.[1]);
    await h.click(
      "li",
      card?.messageId ?? "",
      { a: "review.decide", step, v: "approve" },
      { eventId: "ev_click_1" },
    );

    const li = h.app.core.services.people.ensure("feishu", PEOPLE.li.openId);
    const click = lines.find(
      (l) => l.msg === "审核决定 / review decision" && l.event === "feishu:event:ev_click_1",
    );
    expect(click).toMatchObject({
      platform: "feishu",
      person: li,
      chat: p2p(PEOPLE.li.openId),
      verdict: "approve",
    });

    // The next step (终审) is the marketing head's.
    await h.say("zhang", `/approve ${click?.item} 可以发`, { eventId: "ev_cmd_2" });
    const zhang = h.app.core.services.people.ensure("feishu", PEOPLE.zhang.openId);
    const command = lines.filter((l) => l.msg === "审核决定 / review decision").at(-1);
    expect(command).toMatchObject({
      platform: "feishu",
      event: "feishu:event:ev_cmd_2",
      person: zhang,
      chat: p2p(PEOPLE.zhang.openId),
    });
  });
});
