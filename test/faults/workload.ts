/**
 * The scripted workload of the fault run: people, roles, and 50 reviews, 20 feedback tickets and 3 crises,
 * planned up front from a seed (so a failing run can be replayed) and then played by concurrent lanes
 * the way people would: each action waits for the card or answer it needs, read from what the fake
 * platforms delivered — never from the bot's database.
 *
 * While it plays, every action that should produce a message the user reads is recorded in `Expected`
 * (platform, recipient, a text fragment unique to that message, how many times); the test counts them
 * on the fakes at the end.
 */
import type { FakeMessage } from "../../src/platforms/sandbox/open-platform/index.ts";
import type { AppMessage } from "../fakes/wecom/state.ts";
import { cardText, p2p } from "../support/harness.ts";
import { sleep } from "./bot-process.ts";
import type { Mention, PlatformDriver } from "./platform-driver.ts";

/** The fakes' PRNG, seeded from FAULT_SEED. */
export { prng } from "../../src/platforms/sandbox/open-platform/fault-picker.ts";

export type PlatformName = "feishu" | "wecom";

/** Somebody on one platform: a Feishu open_id or a WeCom userid, and the name the bot shows. */
export interface Person {
  platform: PlatformName;
  id: string;
  name: string;
}

const f = (id: string, name: string): Person => ({ platform: "feishu", id, name });
const w = (id: string, name: string): Person => ({ platform: "wecom", id, name });

export const P = {
  admin: f("ou_admin", "管理员"),
  wang: f("ou_wang", "小王"),
  li: f("ou_li", "李姐"),
  zhang: f("ou_zhang", "张总"),
  chen: f("ou_chen", "陈律师"),
  liu: f("ou_liu", "小刘"),
  mei: f("ou_mei", "小美"),
  lin: f("ou_lin", "林哥"),
  wecomAdmin: w("admin", "企微管理员"),
  xiaowang: w("xiaowang", "孙小二"),
  xiaozhao: w("xiaozhao", "赵小六"),
  qianls: w("qianls", "钱律师"),
  xiaomei: w("xiaomei", "周小美"),
  laozhou: w("laozhou", "老周"),
} as const;

export const CS_GROUP = "oc_fault_cs";
export const CRISIS_GROUP = "oc_fault_crisis";

/** Who holds the role of each review step (every holder gets the card; the plan picks who decides). */
export const STEP_HOLDERS: Record<string, Person[]> = {
  初审: [P.li],
  复审: [P.zhang],
  合规审核: [P.chen, P.qianls],
  发布确认: [P.liu],
};

// ---------------------------------------------------------------------------------------------------
// The plan

export interface ReviewPlan {
  kind: "review";
  key: string;
  title: string;
  author: Person;
  ad: boolean;
  /** 驳回 in revision 1 at this step (then /resubmit, and revision 2 goes through). */
  rejectAt: "初审" | "合规审核" | undefined;
  /** Who decides each step, per revision. */
  deciders: Record<string, Person>[];
  publish: boolean;
}

export interface TicketPlan {
  kind: "ticket";
  key: string;
  reporter: Person;
  store: string;
  text: string;
  negative: boolean;
  /** How a negative ticket is closed: 已处理 on the cs card (Feishu), /done on WeCom, or left open. */
  close: "card" | "wecom" | "open";
}

export interface CrisisPlan {
  kind: "crisis";
  key: string;
  reporter: Person;
  tier: 1 | 2 | 3;
  text: string;
  /** 收到 on the group card (林哥, Feishu) or /ack by 老周 on WeCom. */
  ack: "card" | "wecom";
}

export type Scenario = ReviewPlan | TicketPlan | CrisisPlan;

const chainOf = (ad: boolean) =>
  ad ? ["初审", "复审", "合规审核", "发布确认"] : ["初审", "复审", "发布确认"];

export function planWorkload(rand: () => number): Scenario[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const out: Scenario[] = [];
  for (let k = 1; k <= 50; k++) {
    // About a quarter of the items are written on WeCom (two authors, to stay far below WeCom's
    // 30 messages/min per member), the rest on Feishu.
    const author = rand() < 0.25 ? pick([P.xiaowang, P.xiaozhao]) : P.wang;
    const ad = rand() < 0.3;
    const r = rand();
    // A 驳回 at 合规审核 means revision 2 repeats 初审 and 复审 with the same deciders and the same
    // notification text; WeCom's duplicate check (identical content to one member within 30 min) would
    // swallow the repeat for a WeCom author (the bug wecom-repeated-text.test.ts reproduces), so that
    // pattern is kept to Feishu authors.
    const rejectAt =
      r < 0.14
        ? ("初审" as const)
        : r < 0.22 && ad && author.platform === "feishu"
          ? ("合规审核" as const)
          : undefined;
    const deciders: Record<string, Person>[] = [];
    for (let rev = 0; rev < (rejectAt ? 2 : 1); rev++) {
      const d: Record<string, Person> = {};
      for (const step of chainOf(ad)) d[step] = pick(STEP_HOLDERS[step] ?? []);
      deciders.push(d);
    }
    const id = String(k).padStart(2, "0");
    out.push({
      kind: "review",
      key: `R${id}`,
      // 第N场, not RN: “R18” is itself a 低俗 term to the pre-check, which would add a 合规审核 step.
      title: `故障演练第${id}场${ad ? "新本推广" : "门店日常"}`,
      author,
      ad,
      rejectAt,
      deciders,
      publish: rand() < 0.5,
    });
  }
  for (let k = 1; k <= 20; k++) {
    const id = String(k).padStart(2, "0");
    const negative = k % 10 !== 3 && k % 10 !== 7; // 16 negative, 4 positive
    const reporter = rand() < 0.3 ? pick([P.xiaowang, P.xiaozhao]) : P.wang;
    const store = rand() < 0.5 ? "城东店" : "城西店";
    const text = negative
      ? `工单F${id}：主持人全程看手机，态度很差，体验很失望`
      : `工单F${id}：今天的本超级好玩，DM很专业，五星好评！`;
    const c = rand();
    out.push({
      kind: "ticket",
      key: `F${id}`,
      reporter,
      store,
      text,
      negative,
      close: !negative ? "open" : c < 0.55 ? "card" : c < 0.85 ? "wecom" : "open",
    });
  }
  const crises: [1 | 2 | 3, Person, "card" | "wecom"][] = [
    [1, P.wang, "card"],
    [2, P.xiaowang, "wecom"],
    [3, P.wang, "card"],
  ];
  crises.forEach(([tier, reporter, ack], i) => {
    out.push({
      kind: "crisis",
      key: `C${i + 1}`,
      reporter,
      tier,
      text: `演练危机${i + 1}号：城东店顾客在点评网发帖投诉，需要处置`,
      ack,
    });
  });
  // Seeded shuffle: crises and tickets land between reviews.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as Scenario, out[i] as Scenario];
  }
  return out;
}

/** How many callbacks a scenario sends (the kill schedule spreads the five SIGKILLs over them). */
export function callbacksOf(s: Scenario): number {
  if (s.kind === "ticket") return 1 + (s.close === "open" ? 0 : 1);
  if (s.kind === "crisis") return 2;
  const steps = chainOf(s.ad).length;
  return 1 + steps + (s.rejectAt ? 1 + steps : 0) + (s.publish ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------
// What users must have received

export interface ExpectedText {
  platform: PlatformName;
  /** Feishu: chat id (a DM is `oc_p2p_<open_id>`); WeCom: the member's userid. */
  to: string;
  fragment: string;
  times: number;
}

export class Expected {
  readonly texts = new Map<string, ExpectedText>();
  /** Review steps decided in the run: step id → the plan's decider and outcome. */
  readonly steps = new Map<
    number,
    { item: number; label: string; revision: number; by: Person; verdict: "approve" | "reject" }
  >();
  /** Planned end state per item, ticket and crisis number. */
  readonly items = new Map<
    number,
    { plan: ReviewPlan; status: "approved" | "published"; revision: number }
  >();
  readonly tickets = new Map<
    number,
    { plan: TicketPlan; status: "open" | "done" | "material"; by?: Person }
  >();
  readonly crises = new Map<number, { plan: CrisisPlan; lead: Person }>();

  text(to: Person | { platform: PlatformName; chat: string }, fragment: string): void {
    const dest = "chat" in to ? to.chat : to.platform === "feishu" ? p2p(to.id) : to.id;
    const key = `${to.platform}|${dest}|${fragment}`;
    const e = this.texts.get(key);
    if (e) e.times += 1;
    else this.texts.set(key, { platform: to.platform, to: dest, fragment, times: 1 });
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading what the fakes delivered

export function feishuTexts(d: PlatformDriver, chatId: string): string[] {
  return d.feishu.state.messages
    .filter((m) => m.chatId === chatId && m.msgType === "text")
    .map((m) => (m.content as { text: string }).text);
}

export function wecomTexts(d: PlatformDriver, userId: string): string[] {
  return d.wecom.state.messages
    .filter((m) => m.touser === userId && (m.msgtype === "text" || m.msgtype === "markdown"))
    .map((m) => m.content);
}

export function textsOf(d: PlatformDriver, p: Person): string[] {
  return p.platform === "feishu" ? feishuTexts(d, p2p(p.id)) : wecomTexts(d, p.id);
}

/** The card as first sent (what the button values were), as JSON text. */
export const sentJson = (m: FakeMessage | AppMessage): string =>
  "rawContent" in m ? m.rawContent : m.content;

/** A number field of a button value `{a: action, <field>: n}` in a card's JSON (also JSON-in-JSON). */
export function buttonValue(json: string, action: string, field: string): number | undefined {
  const q = '\\\\?"';
  const m = new RegExp(`"a${q}:${q}${action.replace(".", "\\.")}${q},${q}${field}${q}:(\\d+)`).exec(json);
  return m ? Number(m[1]) : undefined;
}

export function feishuCardsIn(d: PlatformDriver, chatId: string): FakeMessage[] {
  return d.feishu.state.messages.filter((m) => m.chatId === chatId && m.msgType === "interactive");
}

export function wecomCardsOf(d: PlatformDriver, userId: string): AppMessage[] {
  return d.wecom.state.messages.filter((m) => m.touser === userId && m.msgtype === "template_card");
}

const WAIT_MS = 150_000;

export async function waitFor<T>(find: () => T | undefined, what: string, ms = WAIT_MS): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = find();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

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
