/**
 * The plan of the fault run: the people (on Feishu and WeCom), their roles, the groups, and 50 reviews,
 * 20 feedback tickets and 3 crises drawn up front from a seed, so a failing run can be replayed.
 * workload.ts plays the plan; audit.ts checks the ledger against it.
 */
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

/** The review steps an item goes through: an ad adds 合规审核. */
export const chainOf = (ad: boolean) =>
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
