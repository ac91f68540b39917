/**
 * Every privileged command (docs/user-guide/) sent by someone without the right (docs/reliability.md:
 * "nobody gets in who shouldn't"): answered in Chinese with who may do it, and nothing changes except
 * the rows that exist to record the attempt:
 *  - `inbound_seen` +2 (Feishu de-duplicates by event_id and by message_id) and `outbox` +1 (the
 *    answer), for every command;
 *  - `/archive search|show`: `archive_access_log` +1 and its archived copy in `archive_records` +1 —
 *    docs/archive.md: every read is logged, refused ones included (`basis = refused`);
 *  - refused review decisions: `audit_log` +1 and its archived copy (refusals are logged, docs/review.md), like a
 *    refused click — see the KNOWN FAILING test at the end.
 * Commands open to everyone (/submit, /feedback, /metric, /ledger, /crisis <级> …) are not here.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startWecomHarness, type WecomHarness } from "../fakes/wecom/harness.ts";
import { type Harness, seedRoles, type Who } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";
import { type Counts, countDelta, feishuSent, tableCounts } from "./support.ts";

const OPS_GROUP = "oc_ops_group";
const CRISIS_GROUP = "oc_crisis_group";
const ANSWERED = { inbound_seen: 2, outbox: 1 };
const LOGGED_DECISION = { audit_log: 1, archive_records: 1 };
const RESPONDERS = "只有危机小组成员、市场部门负责人或管理层可以";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/**
 * The demo company with one of everything to attack: #1 waiting at 初审 (李姐/林哥), T-1 open, C-1 open
 * and unacknowledged (reported by 小王), a store and a bound crisis group. 路人 holds no role and has
 * talked to the bot before; 小美 is 客服, 林哥 also 危机小组成员.
 */
async function company(): Promise<Harness> {
  const h = await startInProcess();
  await seedRoles(h);
  await h.say("admin", "/role add crisis @林哥");
  await h.say("admin", "/role add cs @小美");
  await h.say("admin", "/store add 城东店");
  await h.say("admin", "/bind crisis", { chatId: CRISIS_GROUP });
  await h.say("outsider", "/help");
  await h.say("wang", "/submit 抖音 周末新本\n欢迎预约");
  await h.say("wang", "/feedback 城东店 差评：服务太差，要求退款");
  await h.say("wang", "/crisis 1 城东店一条差评");
  return h;
}

/** The state an attacker would want to change, read back after each refused command. */
function state(h: Harness) {
  const q = (sql: string) => h.app.db.$client.prepare(sql).all();
  return {
    roles: q("select person_id, role from role_grants order by person_id, role"),
    bindings: q("select platform, chat_id, purpose from group_bindings order by id"),
    stores: q("select name from stores order by id"),
    policy: q("select * from policy_overrides"),
    identities: q("select platform, user_id, person_id from identities order by platform, user_id"),
    items: q("select id, status, revision from content_items order by id"),
    steps: q("select id, status, decided_by, opinion from review_steps order by id"),
    publications: q("select * from publications"),
    tickets: q("select id, status, owner_id, note from tickets order by id"),
    crises: q("select id, tier, stage, lead_id, acked_at, summary from crises order by id"),
    crisisEvents: q("select count(*) n from crisis_events"),
    marks: q("select scope from archive_marks order by scope"),
    targets: q("select * from content_targets"),
  };
}

/** Sends `text` as `who` (in `chatId` or a DM) and returns the one answer and the row deltas. */
async function attempt(who: Who, text: string, chatId?: string): Promise<{ answer: string; delta: Counts }> {
  const where = chatId ?? who;
  const before = tableCounts(h.app.db.$client);
  const seen = h.texts(where).length;
  const sent = feishuSent(h.fake);
  await h.say(who, text, chatId ? { chatId } : {});
  const answers = h.texts(where).slice(seen);
  expect(answers, `${who}: ${text}`).toHaveLength(1);
  // The answer went to the sender's chat and to nobody else.
  expect(feishuSent(h.fake) - sent, `${who}: ${text}`).toBe(1);
  return { answer: answers[0] ?? "", delta: countDelta(before, tableCounts(h.app.db.$client)) };
}

describe("privileged commands from people without the role", () => {
  beforeEach(async () => {
    h = await company();
  });

  it("roles, groups, stores, policy and account links are for admins (and the 市场部门负责人 below them)", async () => {
    const before = state(h);
    const cases: [Who, string, string, string?][] = [
      ["outsider", "/role add ops @路人", "只有管理员或市场部门负责人可以调整「运营专员」角色"],
      ["wang", "/role add ops_lead @小王", "只有管理员或市场部门负责人可以调整「运营团队负责人」角色"],
      ["li", "/role remove legal @陈律师", "只有管理员或市场部门负责人可以调整「法务」角色"],
      // The 市场部门负责人 manages the roles below her, not her own rank or above.
      ["zhang", "/role add marketing_head @小王", "只有管理员可以调整「市场部门负责人」角色"],
      ["zhang", "/role add management @张总", "只有管理员可以调整「管理层」角色"],
      // Someone who is not the head is not told the head could do it: she could not, for these ranks.
      ["wang", "/role add management @小王", "只有管理员可以调整「管理层」角色"],
      ["outsider", "/bind ops", "只有管理员或市场部门负责人可以绑定群", OPS_GROUP],
      ["outsider", "/bind crisis", "只有管理员或市场部门负责人可以绑定群", CRISIS_GROUP],
      ["outsider", "/store add 路人店", "只有管理员或市场部门负责人可以添加门店"],
      ["zhang", "/policy set review.step.remind 1h", "只有管理员可以修改规则"],
      ["outsider", "/policy set crisis.repeat.3 1d", "只有管理员可以修改规则"],
      ["zhang", "/link @张总 wecom:zhangzong", "只有管理员可以关联账号"],
    ];
    for (const [who, text, answer, chat] of cases) {
      const r = await attempt(who, text, chat);
      expect([text, r.answer]).toEqual([text, answer]);
      expect([text, r.delta]).toEqual([text, ANSWERED]);
    }
    expect(state(h)).toEqual(before);
  });

  it("resubmit, withdraw, publish and targets are for the author, the head or the 发布专员", async () => {
    await h.say("li", "/reject 1 标题再改改");
    const before = state(h);
    const cases: [Who, string, string][] = [
      ["li", "/resubmit 1\n别人改写的正文", "只有作者可以重新提交 #1"],
      ["outsider", "/withdraw 1 不想发了", "只有作者或市场部门负责人可以撤回 #1"],
      ["li", "/withdraw 1 不想发了", "只有作者或市场部门负责人可以撤回 #1"],
      ["wang", "/publish 1 抖音 https://v.douyin.com/x", "只有「发布专员」可以登记发布"],
      ["outsider", "/target #1 曝光=50万", "只有作者、运营团队负责人或市场部门负责人可以设定目标"],
      ["chen", "/target #1 曝光=1", "只有作者、运营团队负责人或市场部门负责人可以设定目标"],
    ];
    for (const [who, text, answer] of cases) {
      const r = await attempt(who, text);
      expect([text, r.answer]).toEqual([text, answer]);
      expect([text, r.delta]).toEqual([text, ANSWERED]);
    }
    expect(state(h)).toEqual(before);
  });

  it("/done is for 客服, 运营 and the ticket's owner", async () => {
    const before = state(h);
    for (const who of ["outsider", "chen", "liu"] as const) {
      const r = await attempt(who, "/done T-1 已经处理好了");
      expect(r.answer).toBe("只有客服、运营或工单负责人可以处理 T-1");
      expect(r.delta).toEqual(ANSWERED);
    }
    expect(state(h)).toEqual(before);
  });

  it("ack, stage, level, note, evidence, statement, publish and close are for responders", async () => {
    const before = state(h);
    // 小王 reported C-1: he may add notes and evidence, but not steer the crisis.
    const cases: [Who, string, string][] = [
      ["outsider", "/ack C-1", `${RESPONDERS}确认危机`],
      ["wang", "/ack C-1", `${RESPONDERS}确认危机`],
      ["outsider", "/crisis stage C-1 评估定级 我来定", `${RESPONDERS}推进危机阶段`],
      ["wang", "/crisis level C-1 3", `${RESPONDERS}调整危机级别`],
      ["outsider", "/crisis note C-1 随便写写", `${RESPONDERS}记录危机进展`],
      ["outsider", "/crisis evidence C-1", `${RESPONDERS}提交证据`],
      ["wang", "/crisis statement C-1 我们没有责任", `${RESPONDERS}提交危机声明`],
      [
        "outsider",
        "/crisis publish C-1 https://weibo.com/x",
        "只有危机小组成员、市场部门负责人、管理层或发布专员可以登记危机声明发布",
      ],
      ["wang", "/crisis close C-1 没事了", `${RESPONDERS}结案`],
    ];
    for (const [who, text, answer] of cases) {
      const r = await attempt(who, text);
      expect([text, r.answer]).toEqual([text, answer]);
      // Crisis refusals carry an audit record for clicks; by text only the answer is written today.
      const { audit_log: _a, archive_records: _r, ...rest } = r.delta;
      expect([text, rest]).toEqual([text, ANSWERED]);
    }
    expect(state(h)).toEqual(before);
  });

  it("archive reads are refused and logged as refused; mark, verify and log are refused outright", async () => {
    const before = state(h);
    for (const text of ["/archive search 差评", "/archive search * #1", "/archive show 1"]) {
      const r = await attempt("outsider", text);
      expect(r.answer).toMatch(/^你没有档案查阅权限：档案只对市场部门负责人开放/);
      expect(r.answer).not.toContain("城东店一条差评");
      expect([text, r.delta]).toEqual([text, { ...ANSWERED, archive_access_log: 1, archive_records: 1 }]);
    }
    const refused = h.app.db.$client
      .prepare("select basis, results from archive_access_log order by id")
      .all() as { basis: string; results: number }[];
    expect(refused).toEqual(Array(3).fill({ basis: "refused", results: 0 }));
    const cases: [Who, string, string][] = [
      ["zhang", "/archive mark #1 重大", "只有管理员可以标记重大档案"],
      ["outsider", "/archive verify", "只有管理员、市场部门负责人、管理层或行政可以校验档案"],
      ["li", "/archive log", "只有市场部门负责人或管理员可以查看档案查阅记录"],
    ];
    for (const [who, text, answer] of cases) {
      const r = await attempt(who, text);
      expect([text, r.answer]).toEqual([text, answer]);
      expect([text, r.delta]).toEqual([text, ANSWERED]);
    }
    expect(state(h)).toEqual(before);
  });
});

describe("refused review decisions by text are logged like refused clicks", () => {
  it("/approve and /reject by someone without the step's role, and by the author", async () => {
    h = await company();
    await h.say("admin", "/role add ops_lead @小王");
    const before = state(h);
    const cases: [Who, string, string][] = [
      ["chen", "/approve 1", "你不是「运营团队负责人」，不能处理「初审」"],
      ["outsider", "/reject 1 写得不好", "你不是「运营团队负责人」，不能处理「初审」"],
      ["wang", "/approve 1 自己通过", "不能审核自己提交的内容"],
    ];
    for (const [who, text, answer] of cases) {
      const r = await attempt(who, text);
      expect([text, r.answer]).toEqual([text, answer]);
      // KNOWN FAILING: Dispatcher.message (src/core/dispatch.ts) answers a RefusedDecision like any
      // UserError and drops its audit row; Dispatcher.cardAction writes it. WeChat store groups can only
      // decide by text, so their refused attempts are never logged.
      expect.soft([text, r.delta]).toEqual([text, { ...ANSWERED, ...LOGGED_DECISION }]);
    }
    expect(state(h)).toEqual(before);
  });
});

describe("WeCom", () => {
  let w: WecomHarness;
  afterEach(async () => {
    await w.close();
  });

  it("a member without a role cannot bind a group robot or grant roles in the app chat", async () => {
    h = undefined as unknown as Harness;
    w = await startWecomHarness();
    await w.wecomSay("admin", "/role add ops @xiaowang(小王)");
    // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
    await w.wecomSay("admin", "/exam record @xiaowang(小王) 100");
    const before = tableCounts(w.app.db.$client);
    const robot = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    await w.wecomSay("xiaowang", `/bind crisis ${robot}`);
    expect(w.texts("xiaowang").at(-1)).toBe("只有管理员或市场部门负责人可以绑定群");
    await w.wecomSay("xiaowang", "/role add legal @xiaowang(小王)");
    expect(w.texts("xiaowang").at(-1)).toBe("只有管理员或市场部门负责人可以调整「法务」角色");
    // WeCom de-duplicates a message by its MsgId alone: one key per message.
    expect(countDelta(before, tableCounts(w.app.db.$client))).toEqual({ inbound_seen: 2, outbox: 2 });
    expect(w.wecom.state.robot).toEqual([]);
  });
});
