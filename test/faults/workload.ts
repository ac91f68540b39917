/**
 * The scripted workload of the fault run: the plan (plan.ts: people, roles, and 50 reviews, 20 feedback
 * tickets and 3 crises, drawn up front from a seed) played by concurrent lanes the way people would:
 * each action waits for the card or answer it needs, read from what the fake platforms delivered
 * (delivered.ts) — never from the bot's database.
 *
 * While it plays, every action that should produce a message the user reads is recorded in `Expected`
 * (platform, recipient, a text fragment unique to that message, how many times); the test counts them
 * on the fakes at the end.
 */
import { cardText, p2p } from "../support/harness.ts";
import {
  buttonValue,
  Expected,
  feishuCardsIn,
  feishuTexts,
  sentJson,
  textsOf,
  waitFor,
  wecomCardsOf,
  wecomTexts,
} from "./delivered.ts";
import {
  CRISIS_GROUP,
  type CrisisPlan,
  CS_GROUP,
  chainOf,
  P,
  type Person,
  type ReviewPlan,
  type Scenario,
  type TicketPlan,
} from "./plan.ts";
import type { Mention, PlatformDriver } from "./platform-driver.ts";

/** One at a time per key: a reporter's next /feedback waits until the last one was answered. */
class Mutex {
  private tail = new Map<string, Promise<void>>();
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tail.get(key) ?? Promise.resolve();
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    this.tail.set(
      key,
      prev.then(() => next),
    );
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Playing it

export class Workload {
  readonly expected = new Expected();
  private readonly reporters = new Mutex();
  /** Step ids already handled, so a wait for "the next card" never picks an old one. */
  private readonly seenSteps = new Set<number>();

  constructor(private readonly d: PlatformDriver) {}

  async say(p: Person, text: string, mentions: Mention[] = []): Promise<void> {
    if (p.platform === "feishu") await this.d.feishuSay(p.id, text, { mentions });
    else await this.d.wecomSay(p.id, text);
  }

  /** Roles, stores and groups, as the admins would set them up (run before faults are switched on). */
  async setUp(): Promise<void> {
    const feishuRoles: [string, Person][] = [
      ["ops", P.wang],
      ["ops_lead", P.li],
      ["marketing_head", P.zhang],
      ["legal", P.chen],
      ["publisher", P.liu],
      ["cs", P.mei],
      ["crisis", P.lin],
    ];
    for (const [role, p] of feishuRoles) {
      await this.d.feishuSay(P.admin.id, `/role add ${role} @_user_1`, {
        mentions: [{ key: "@_user_1", openId: p.id, name: p.name }],
      });
    }
    await this.d.feishuSay(P.admin.id, "/store add 城东店");
    await this.d.feishuSay(P.admin.id, "/store add 城西店");
    await this.d.feishuSay(P.admin.id, "/bind cs", { chatId: CS_GROUP });
    await this.d.feishuSay(P.admin.id, "/bind crisis", { chatId: CRISIS_GROUP });
    const wecomRoles: [string, Person[]][] = [
      ["ops", [P.xiaowang, P.xiaozhao]],
      ["legal", [P.qianls]],
      ["cs", [P.xiaomei]],
      ["crisis", [P.laozhou]],
    ];
    for (const [role, ps] of wecomRoles) {
      await this.d.wecomSay(
        P.wecomAdmin.id,
        `/role add ${role} ${ps.map((p) => `@${p.id}(${p.name})`).join(" ")}`,
      );
    }
    // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
    await this.d.feishuSay(P.admin.id, "/exam record @_user_1 100", {
      mentions: [{ key: "@_user_1", openId: P.wang.id, name: P.wang.name }],
    });
    for (const p of [P.xiaowang, P.xiaozhao])
      await this.d.wecomSay(P.wecomAdmin.id, `/exam record @${p.id}(${p.name}) 100`);
    await waitFor(
      () => feishuTexts(this.d, p2p(P.admin.id)).filter((t) => t.startsWith("已将")).length >= 7 || undefined,
      "the Feishu role replies",
    );
    await waitFor(
      () => wecomTexts(this.d, P.wecomAdmin.id).filter((t) => t.startsWith("已将")).length >= 4 || undefined,
      "the WeCom role replies",
    );
    await waitFor(
      () =>
        (feishuTexts(this.d, CRISIS_GROUP).length > 0 && feishuTexts(this.d, CS_GROUP).length > 0) ||
        undefined,
      "the /bind answers",
    );
  }

  /** Runs the scenarios on `lanes` concurrent lanes (people working in parallel). */
  async play(scenarios: Scenario[], lanes: number): Promise<void> {
    const queue = [...scenarios];
    const lane = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          if (s.kind === "review") await this.review(s);
          else if (s.kind === "ticket") await this.ticket(s);
          else await this.crisis(s);
        } catch (err) {
          throw new Error(`scenario ${s.key}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  // --- reviews -------------------------------------------------------------------------------------

  private async review(s: ReviewPlan): Promise<void> {
    const body = `城东店周末活动第${s.key.slice(1)}场，欢迎预约体验。`;
    await this.say(s.author, `/submit 抖音 ${s.title}${s.ad ? " #广告" : ""}\n${body}`);
    const reply = await waitFor(
      () => textsOf(this.d, s.author).find((t) => t.includes(`《${s.title}》，当前：`)),
      `${s.key}: the /submit reply`,
    );
    const no = Number(/已提交 #(\d+)《/.exec(reply)?.[1]);
    this.expected.text(s.author, `已提交 #${no}《${s.title}》，当前：`);

    for (let rev = 1; rev <= s.deciders.length; rev++) {
      const rejectHere = rev === 1 ? s.rejectAt : undefined;
      for (const label of chainOf(s.ad)) {
        const by = s.deciders[rev - 1]?.[label] as Person;
        const reject = rejectHere === label;
        await this.decide(s, no, rev, label, by, reject);
        if (reject) break;
      }
      if (rev < s.deciders.length) {
        await this.say(s.author, `/resubmit ${no}\n${body}（第 ${rev + 1} 版：已补充地址）`);
        this.expected.text(s.author, `已提交 #${no}《${s.title}》第 ${rev + 1} 版`);
      }
    }
    await waitFor(
      () => textsOf(this.d, s.author).find((t) => t.includes(`#${no}《${s.title}》已全部审核通过`)),
      `${s.key}: the author's 已全部审核通过`,
    );
    if (s.publish) {
      await this.say(P.liu, `/publish ${no} 抖音`);
      this.expected.text(P.liu, `📢 已登记 #${no} 在抖音发布`);
      this.expected.text(s.author, `📢 #${no}《${s.title}》已在抖音发布`);
    }
    this.expected.items.set(no, {
      plan: s,
      status: s.publish ? "published" : "approved",
      revision: s.deciders.length,
    });
  }

  /** Waits for `by`'s card of this step, decides it there, and records what the author must be told. */
  private async decide(
    s: ReviewPlan,
    no: number,
    rev: number,
    label: string,
    by: Person,
    reject: boolean,
  ): Promise<void> {
    const header = `${label} · #${no} ${s.title}`;
    const unseenStep = (json: string) => {
      if (!json.includes(header)) return undefined;
      const step = buttonValue(json, "review.decide", "step");
      return step !== undefined && !this.seenSteps.has(step) ? step : undefined;
    };
    const opinion = reject ? `请补充门店地址${s.key}` : `同意${s.key}`;
    let step: number;
    if (by.platform === "feishu") {
      const card = await waitFor(
        () => feishuCardsIn(this.d, p2p(by.id)).find((m) => unseenStep(sentJson(m)) !== undefined),
        `${s.key}: ${by.name}'s ${label} card (revision ${rev})`,
      );
      step = unseenStep(sentJson(card)) as number;
      this.seenSteps.add(step);
      const toast = await this.d.feishuClick(
        by.id,
        card.messageId,
        { a: "review.decide", step, v: reject ? "reject" : "approve" },
        { opinion },
      );
      // A toast is only missing when a SIGKILL cut the answer off (the driver records those).
      if (toast && toast.type !== "success") throw new Error(`${s.key}: ${label} refused: ${toast.content}`);
    } else {
      const card = await waitFor(
        () => wecomCardsOf(this.d, by.id).find((m) => unseenStep(sentJson(m)) !== undefined),
        `${s.key}: ${by.name}'s ${label} card (revision ${rev})`,
      );
      step = unseenStep(sentJson(card)) as number;
      this.seenSteps.add(step);
      // WeCom cards hold no text input: 驳回 with an opinion is the documented text command.
      if (reject) await this.d.wecomSay(by.id, `/reject ${no} ${opinion}`);
      else await this.d.wecomClick(by.id, card.taskId as string, "通过");
    }
    this.expected.steps.set(step, {
      item: no,
      label,
      revision: rev,
      by,
      verdict: reject ? "reject" : "approve",
    });
    const last = label === "发布确认";
    const told = reject
      ? `#${no}《${s.title}》${label}被 ${by.name} 驳回`
      : last
        ? `#${no}《${s.title}》已全部审核通过（${label}：${by.name}）`
        : `#${no}《${s.title}》${label}已由 ${by.name} 通过`;
    this.expected.text(s.author, told);
    if (reject) {
      // The author acts on the 驳回 only once told.
      await waitFor(
        () => textsOf(this.d, s.author).some((t) => t.includes(told)) || undefined,
        `${s.key}: ${told}`,
      );
    }
  }

  // --- tickets -------------------------------------------------------------------------------------

  private async ticket(s: TicketPlan): Promise<void> {
    // One /feedback per reporter at a time, so "the next 已登记 T-n" is this ticket's answer.
    const no = await this.reporters.run(s.reporter.id, async () => {
      const before = textsOf(this.d, s.reporter).filter((t) => t.startsWith("已登记 T-")).length;
      await this.say(s.reporter, `/feedback ${s.store} ${s.text}`);
      const reply = await waitFor(
        () => textsOf(this.d, s.reporter).filter((t) => t.startsWith("已登记 T-"))[before],
        `${s.key}: the /feedback reply`,
      );
      return Number(/^已登记 T-(\d+)｜/.exec(reply)?.[1]);
    });
    this.expected.text(s.reporter, `已登记 T-${no}｜${s.store}｜`);
    if (!s.negative) {
      this.expected.tickets.set(no, { plan: s, status: "material" });
      return;
    }
    const card = await waitFor(
      () =>
        feishuCardsIn(this.d, CS_GROUP).find(
          (m) => cardText(m.content).includes(s.text) && sentJson(m).includes('"ticket.done"'),
        ),
      `${s.key}: the cs card`,
    );
    const cardTicket = buttonValue(sentJson(card), "ticket.done", "ticket");
    if (cardTicket !== no) throw new Error(`${s.key}: reply says T-${no}, the cs card T-${cardTicket}`);
    if (s.close === "card") {
      const toast = await this.d.feishuClick(
        P.mei.id,
        card.messageId,
        { a: "ticket.done", ticket: no },
        { note: `已回访${s.key}` },
      );
      if (toast && toast.type !== "success") throw new Error(`${s.key}: 已处理 refused: ${toast.content}`);
      this.expected.tickets.set(no, { plan: s, status: "done", by: P.mei });
    } else if (s.close === "wecom") {
      await this.d.wecomSay(P.xiaomei.id, `/done T-${no} 已回访${s.key}`);
      this.expected.text(P.xiaomei, `✅ 已处理 T-${no}：已回访${s.key}`);
      this.expected.tickets.set(no, { plan: s, status: "done", by: P.xiaomei });
    } else {
      this.expected.tickets.set(no, { plan: s, status: "open" });
    }
  }

  // --- crises --------------------------------------------------------------------------------------

  private async crisis(s: CrisisPlan): Promise<void> {
    await this.say(s.reporter, `/crisis ${s.tier} ${s.text}`);
    const page = await waitFor(
      () =>
        feishuCardsIn(this.d, CRISIS_GROUP).find(
          (m) => cardText(m.content).includes(s.text) && sentJson(m).includes('"crisis.ack"'),
        ),
      `${s.key}: the page in the crisis group`,
    );
    const c = buttonValue(sentJson(page), "crisis.ack", "c");
    if (c === undefined) throw new Error(`${s.key}: no crisis number on the page`);
    this.expected.text(s.reporter, `🚨 已上报 C-${c}：`);
    const lead = s.ack === "card" ? P.lin : P.laozhou;
    if (s.ack === "card") {
      const toast = await this.d.feishuClick(P.lin.id, page.messageId, { a: "crisis.ack", c });
      if (toast && toast.type !== "success") throw new Error(`${s.key}: 收到 refused: ${toast.content}`);
    } else {
      await this.d.wecomSay(P.laozhou.id, `/ack C-${c}`);
      this.expected.text(P.laozhou, `已确认 C-${c}，你是负责人`);
    }
    this.expected.text({ platform: "feishu", chat: CRISIS_GROUP }, `✅ C-${c}（`);
    this.expected.crises.set(c, { plan: s, lead });
  }
}
