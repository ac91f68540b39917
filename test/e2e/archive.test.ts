/**
 * 运营档案 (seeds/000 第十二条) over real HTTP against the fake Feishu: tamper evidence, access by
 * 《档案查阅申请》, the retention job — asserted on what people see.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cardText, type Harness, seedRoles, type Who } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h.close();
});

const START = Date.parse("2026-11-16T10:00:00+08:00");
const HOUR = 3_600_000;
const last = (who: Who) => h.texts(who).at(-1) ?? "";
const sql = <T>(q: string, ...params: unknown[]) => h.app.db.$client.prepare(q).get(...params) as T;

async function setup(): Promise<void> {
  h = await startInProcess({ start: START });
  await seedRoles(h); // 李姐/林哥 ops_lead, 张总 marketing_head, 陈律师 legal, 小刘 publisher, 小王 ops
  await h.say("admin", "/role add store @路人");
  await h.say("admin", "/role add management @林哥");
}

/** The 通过 button of the newest card in someone's DMs, clicked. */
async function approveCard(who: Who): Promise<string> {
  const card = h.cards(who).at(-1);
  if (!card) throw new Error(`${who} has no card`);
  const step = Number(/"step":(\d+)/.exec(JSON.stringify(card.card))?.[1]);
  const res = await h.click(who, card.messageId, { a: "review.decide", step, v: "approve" });
  return (res.json.toast as { content: string }).content;
}

describe("tamper evidence", () => {
  it("changing one byte of an archived row makes /archive verify name that row", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 周末早鸟活动\n早鸟价 88 元，限前 20 名");
    await h.say("li", "/approve 1 文案可以");
    await h.say("admin", "/archive verify");
    expect(last("admin")).toMatch(/^✅ 档案完整：\d+ 条记录逐条校验哈希链通过/);

    const row = sql<{ id: number; content: string }>(
      "select id, content from archive_records where kind = 'review_events' and content like '%文案可以%'",
    );
    // Nothing in the bot can change an archived record: the database itself refuses.
    expect(() =>
      h.app.db.$client.prepare("update archive_records set content = 'x' where id = ?").run(row.id),
    ).toThrow(/append-only/);
    // Someone with the file can drop the guard; the hash chain is what still tells.
    h.app.db.$client.exec("drop trigger archive_records_append_only");
    const bytes = Buffer.from(row.content, "utf8");
    const i = bytes.indexOf(Buffer.from('"approve"')) + 1;
    bytes[i] = (bytes[i] ?? 0) ^ 0x01; // "approve" → "`pprove": one byte
    h.app.db.$client
      .prepare("update archive_records set content = ? where id = ?")
      .run(bytes.toString("utf8"), row.id);

    await h.say("admin", "/archive verify");
    expect(last("admin")).toContain(
      `❌ 档案校验未通过：第一处断链在记录 ${row.id}（范围 #1，时间 2026-11-16 10:00）`,
    );
    expect(last("admin")).toContain("原因：记录内容与其哈希不符（该记录被改动过）");
  });

  it("a forger who also rewrites the hash is caught at the next record", async () => {
    await setup();
    await h.say("wang", "/submit 小红书 新本种草\n正文");
    await h.say("li", "/approve 1");
    const row = sql<{ id: number; prev_hash: string }>(
      "select id, prev_hash from archive_records where kind = 'review_events' and content like '%\"approve\"%'",
    );
    const client = h.app.db.$client;
    client.exec("drop trigger archive_records_append_only");
    client
      .prepare(
        `update archive_records set content = replace(content, 'approve', 'reject'),
           hash = sha256(prev_hash || json_array(id, at, kind, op, scope, retention, replace(content, 'approve', 'reject')))
         where id = ?`,
      )
      .run(row.id);
    await h.say("admin", "/archive verify");
    expect(last("admin")).toContain(`第一处断链在记录 ${row.id + 1}`);
    expect(last("admin")).toContain(`与前一条记录 ${row.id} 的哈希对不上`);
  });

  it("a record deleted behind the bot's back is a gap no retention note explains", async () => {
    await setup();
    await h.say("wang", "/submit 小红书 新本种草\n正文");
    h.app.db.$client.exec("drop trigger archive_records_purge_only");
    h.app.db.$client.prepare("delete from archive_records where id = 3").run();
    await h.say("admin", "/archive verify");
    expect(last("admin")).toContain("第一处断链在记录 4");
    expect(last("admin")).toContain("与前一条记录 2 之间缺少记录，且没有到期清理记录能说明");
  });

  it("only admins, the marketing head, management and 行政 may verify", async () => {
    await setup();
    await h.say("outsider", "/archive verify");
    expect(last("outsider")).toBe("只有管理员、市场部门负责人、管理层或行政可以校验档案");
    await h.say("lin", "/archive verify");
    expect(last("lin")).toContain("✅ 档案完整");
  });
});

describe("access by 《档案查阅申请》", () => {
  it("a store user is refused and offered the request; after approval the search works; after 24 h it is refused again; every read is logged", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 周末早鸟活动\n早鸟价 88 元，限前 20 名");

    await h.say("outsider", "/archive search 早鸟 #1");
    expect(last("outsider")).toContain("你没有档案查阅权限");
    expect(last("outsider")).toContain("申请：/archive request #1 <理由>");
    expect(last("outsider")).not.toContain("88 元");

    await h.say("outsider", "/archive request #1 核对门店张贴的活动价格");
    expect(last("outsider")).toBe(
      "已提交《档案查阅申请》#2（范围 #1），等待市场部门负责人审批；批准后你可在 24小时 内查阅。进度：/status 2",
    );
    const card = cardText(h.cards("zhang").at(-1)?.card);
    expect(card).toContain("市场部门负责人审批 · 档案查阅申请：#1");
    expect(card).toContain("申请人：路人（门店员工）");
    expect(card).toContain("查阅事由：核对门店张贴的活动价格");
    await h.say("outsider", "/archive request #1 再催一下");
    expect(last("outsider")).toBe("你对 #1 的查阅申请 #2 正在审批中，请耐心等待（/status 2）");

    // Still pending: still refused.
    await h.say("outsider", "/archive search 早鸟 #1");
    expect(last("outsider")).toContain("你没有档案查阅权限");

    expect(await approveCard("zhang")).toBe("已通过「市场部门负责人审批」");
    expect(h.texts("outsider")).toContain(
      "✅ 你的《档案查阅申请》#2 已批准：2026-11-17 10:00 前可查阅 #1\n查阅：/archive search <关键词> #1（关键词写 * 列出全部）\n档案仅供查阅，严禁复制、摘抄或篡改（《制度》第十二条）",
    );

    await h.say("outsider", "/archive search 早鸟 #1");
    const found = last("outsider");
    expect(found).toMatch(/^🔎 档案查阅「早鸟」（范围：#1）共 \d+ 条/);
    expect(found).toContain("#1 内容版本：早鸟价 88 元，限前 20 名");
    expect(found).toContain("档案仅供查阅，严禁复制、摘抄或篡改");
    const recordNo = /\[(\d+)\] 11-16 10:00 #1 内容版本/.exec(found)?.[1];
    await h.say("outsider", `/archive show ${recordNo}`);
    expect(last("outsider")).toContain(`📄 档案记录 ${recordNo} · 内容版本 · #1`);
    expect(last("outsider")).toContain("正文：早鸟价 88 元，限前 20 名");
    // The grant is for #1 only.
    await h.say("outsider", "/archive search 早鸟 审核");
    expect(last("outsider")).toContain("你没有档案查阅权限");
    await h.say("outsider", "/archive");
    expect(last("outsider")).toContain("· #1（申请 #2）至 2026-11-17 10:00");

    h.clock.advance(24 * HOUR + 60_000);
    await h.say("outsider", "/archive search 早鸟 #1");
    expect(last("outsider")).toContain("你对 #1 的查阅授权（申请 #2）已于 2026-11-17 10:00 到期");
    expect(last("outsider")).toContain("申请：/archive request #1 <理由>");

    await h.say("zhang", "/archive log");
    const log = last("zhang");
    expect(log).toContain("档案查阅记录（最近 6 次，每次查阅均已存档）：");
    expect(log).toMatch(/11-17 10:01 路人 查阅「早鸟」 范围 #1 · 被拒绝/);
    expect(log).toMatch(/11-16 10:0\d 路人 查阅「早鸟」 范围 #1 · 依据申请 #2 · \d+ 条/);
    expect(log).toMatch(new RegExp(`路人 查看记录 ${recordNo} 范围 #1 · 依据申请 #2 · 1 条`));
    expect(log).toMatch(/11-16 10:00 路人 查阅「早鸟」 范围 审核 · 被拒绝/);
    // The log is itself archived, and reading it back is one more logged read.
    await h.say("zhang", "/archive search 早鸟 档案");
    expect(last("zhang")).toMatch(/档案·查阅记录 档案查阅记录：查询 · 早鸟/);
  });

  it("#外部 needs the marketing head and then management", async () => {
    await setup();
    await h.say("wang", "/feedback 城东店 大众点评差评：退款拖了一周");
    await h.say("outsider", "/archive request T-1 律师事务所调取投诉处理记录 #外部");
    expect(last("outsider")).toContain(
      "已提交《档案查阅申请》#1（范围 T-1），等待市场部门负责人、管理层审批",
    );
    expect(await approveCard("zhang")).toBe("已通过「市场部门负责人审批」");
    await h.say("outsider", "/archive search 退款 T-1");
    expect(last("outsider")).toContain("你没有档案查阅权限");
    const card = cardText(h.cards("lin").at(-1)?.card);
    expect(card).toContain("管理层审批 · 档案查阅申请：T-1（外部）");
    expect(card).toContain("性质：外部单位查阅（须经管理层审批）");
    expect(await approveCard("lin")).toBe("已通过「管理层审批」");
    await h.say("outsider", "/archive search 退款 T-1");
    expect(last("outsider")).toContain("T-1 工单：城东店 大众点评差评：退款拖了一周");
  });

  it("the marketing head and admins search directly; a rejected request grants nothing", async () => {
    await setup();
    await h.say("wang", "/feedback 城东店 服务很好，下次还来");
    await h.say("zhang", "/archive search 下次还来");
    expect(last("zhang")).toMatch(/^🔎 档案查阅「下次还来」（范围：全部）共 1 条：/);
    await h.say("admin", "/archive search 没有这个词 工单");
    expect(last("admin")).toMatch(/^🔎 档案中没有找到「没有这个词」（范围：工单）/);
    await h.say("zhang", "/archive request T-1 看看");
    expect(last("zhang")).toBe("你可以直接查阅档案，无需申请：/archive search <关键词> T-1");
    await h.say("outsider", "/archive request T-99 看看");
    expect(last("outsider")).toBe("档案中没有 T-99 的记录，请核对编号");
    await h.say("outsider", "/archive request 工单");
    expect(last("outsider")).toContain("用法：/archive request <范围> <理由> [#外部]");

    await h.say("outsider", "/archive request 工单 想看看");
    await h.say("zhang", "/reject 2 与工作无关");
    await h.say("outsider", "/archive search 下次还来 工单");
    expect(last("outsider")).toContain("你没有档案查阅权限");
  });
});

describe("retention", () => {
  it("3 years + 1 day later the monthly job removes ordinary records, keeps crisis and 重大 ones, and the chain still verifies", async () => {
    await setup();
    await h.say("wang", "/submit 抖音 普通周末活动\n普通活动正文");
    await h.say("wang", "/submit 抖音 周年庆大促\n周年庆全场八折");
    await h.say("wang", "/crisis 3 城东店被媒体曝光");
    await h.say("wang", "/feedback 城东店 普通反馈：空调有点冷");
    await h.say("wang", "/done T-1 已致歉并调高温度");

    await h.say("outsider", "/archive mark #2 重大");
    expect(last("outsider")).toBe("只有管理员可以标记重大档案");
    await h.say("admin", "/archive mark #2 重大");
    expect(last("admin")).toMatch(/^已将 #2 标记为「重大」：它现有的 \d+ 条档案记录和今后的记录永久保管/);
    await h.say("admin", "/archive mark #2 重大");
    expect(last("admin")).toMatch(
      /^#2 已是永久保管（重大：重大运营活动（管理员标记），\S+ 于 2026-11-16 10:00 标记）$/,
    );
    await h.say("admin", "/archive mark C-1 重大");
    expect(last("admin")).toBe("C-1 是危机处置档案，本就永久保管，无需标记");
    await h.say("admin", "/archive mark");
    expect(last("admin")).toContain("· #2 重大：重大运营活动（管理员标记）");

    // The floor of 第十二条: at least 3 years.
    await h.say("admin", "/policy set archive.retention 365d");
    expect(last("admin")).toBe(
      "archive.retention 不能少于 1096d（《制度》第十二条：档案保管期限至少为 3 年）",
    );

    const before = sql<{ n: number }>("select count(*) n from archive_records").n;
    h.clock.set(Date.parse("2029-11-17T10:00:00+08:00")); // 3 years + 1 day
    await h.settle();
    const note = h.texts("admin").find((t) => t.startsWith("🗄️ 档案到期清理"));
    expect(note).toContain("🗄️ 档案到期清理（保管期限 1096d）：2026-11-17 10:00 之前的普通记录");
    expect(note).toMatch(/已删除 \d+ 条（/);
    expect(note).toContain("校验：✅ 哈希链完整");
    expect(sql<{ n: number }>("select count(*) n from archive_records").n).toBeLessThan(before);

    await h.say("zhang", "/archive search 普通活动");
    expect(last("zhang")).toContain("档案中没有找到「普通活动」");
    await h.say("zhang", "/archive search 空调有点冷");
    expect(last("zhang")).toContain("档案中没有找到「空调有点冷」");
    await h.say("zhang", "/archive search 周年庆全场八折");
    expect(last("zhang")).toContain("#2 内容版本：周年庆全场八折");
    await h.say("zhang", "/archive search 媒体曝光 危机");
    expect(last("zhang")).toMatch(/C-1 危机：.*城东店被媒体曝光/);
    await h.say("zhang", "/archive search * 档案");
    expect(last("zhang")).toContain("档案·到期清理记录 到期清理记录：1096天");

    await h.say("admin", "/archive verify");
    expect(last("admin")).toContain("✅ 档案完整");
    expect(last("admin")).toMatch(/到期清理 1 次，共清理 \d+ 条，每处缺口都有清理记录为证/);

    // Life goes on; next month's run finds nothing new to remove and the chain still verifies.
    await h.say("wang", "/submit 抖音 三年后的新活动\n正文");
    h.clock.set(Date.parse("2029-12-01T03:00:00+08:00"));
    await h.settle();
    expect(h.texts("admin").filter((t) => t.startsWith("🗄️"))).toHaveLength(2);
    expect(h.texts("admin").at(-1)).toContain("没有到期的记录");
    await h.say("admin", "/archive verify");
    expect(last("admin")).toMatch(/✅ 档案完整[\s\S]*到期清理 2 次/);
  });

  it("the job's cron is a /policy rule", async () => {
    await setup();
    await h.say("admin", "/policy");
    expect(last("admin")).toContain("· 档案到期清理：每月1日 03:00｜依据 《制度》第十二条");
    expect(last("admin")).toContain("· 《档案查阅申请》批准后可查阅的时长：24小时");
    await h.say("admin", "/policy set archive.purge.cron 0 4 * * *");
    expect(last("admin")).toBe("已修改「档案到期清理」：每月1日 03:00 → 每天 04:00");
    h.clock.set(Date.parse("2026-11-17T04:00:00+08:00"));
    await h.settle();
    expect(h.texts("admin").at(-1)).toContain("没有到期的记录");
  });
});
