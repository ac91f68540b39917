import { afterEach, describe, expect, it } from "vitest";
import { type Harness, seedRoles } from "../support/harness.ts";
import { startInProcess } from "../support/in-process.ts";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const lastText = (who: Parameters<Harness["texts"]>[0]) => h.texts(who).at(-1) ?? "";
const count = (sql: string) => (h.app.db.$client.prepare(sql).get() as { n: number }).n;

async function setup(startIso: string): Promise<void> {
  h = await startInProcess({ start: at(startIso) });
  await seedRoles(h);
}

describe("认证状态 in the account ledger (《制度》第七条(三))", () => {
  it("/account add takes an optional 认证状态, /account cert changes it, /account list shows it", async () => {
    await setup("2026-11-20T10:00:00");
    await h.say("li", "/account add 抖音 城东店 官方号 已认证");
    expect(lastText("li")).toContain("已登记抖音账号「城东店 官方号」（认证：已认证）");
    await h.say("li", "/account add 小红书 城西店");
    expect(lastText("li")).toContain("（认证：未认证）");
    await h.say("li", "/account cert 抖音 城东店 官方号 已过期");
    expect(lastText("li")).toBe("已记录抖音账号「城东店 官方号」认证状态：已过期");
    await h.say("li", "/account list");
    expect(lastText("li")).toBe(
      [
        "抖音「城东店 官方号」｜认证：已过期｜负责人：李姐｜密码上次更换 11-20 10:00，下次 02-18 10:00｜登录记录未核查",
        "小红书「城西店」｜认证：未认证｜负责人：李姐｜密码上次更换 11-20 10:00，下次 02-18 10:00｜登录记录未核查",
      ].join("\n"),
    );
  });
});

describe("monthly login-record check (《制度》第九条(四))", () => {
  it("on the 1st at 10:00 each owner is asked once; /account checked by the owner is recorded, by others refused", async () => {
    await setup("2026-11-20T10:00:00");
    await h.say("li", "/account add 抖音 城东店官方号");
    await h.say("li", "/account add 小红书 城西店");
    await h.say("zhang", "/account add 公众号 品牌号");
    h.clock.set(at("2026-12-01T10:00:00"));
    await h.settle();
    h.clock.set(at("2026-12-01T20:00:00"));
    await h.settle();
    const asks = h.texts("li").filter((t) => t.startsWith("🛡️ 每月账号安全检查"));
    expect(asks).toHaveLength(1);
    expect(asks[0]).toContain("· /account checked 抖音 城东店官方号\n· /account checked 小红书 城西店");
    expect(asks[0]).not.toContain("品牌号");
    expect(h.texts("zhang").filter((t) => t.startsWith("🛡️ 每月账号安全检查"))[0]).toContain(
      "/account checked 公众号 品牌号",
    );

    await h.say("wang", "/account checked 抖音 城东店官方号");
    expect(lastText("wang")).toContain("只有账号负责人 李姐、市场部门负责人或管理员可以确认核查");
    expect(count("select count(*) as n from account_security where login_checked_at is not null")).toBe(0);
    await h.say("li", "/account checked 抖音 城东店官方号");
    expect(lastText("li")).toBe("已记录：抖音账号「城东店官方号」的登录记录已于今天核查");
    await h.say("li", "/account list");
    expect(lastText("li")).toContain("抖音「城东店官方号」｜认证：未认证｜负责人：李姐");
    expect(lastText("li")).toContain("登录记录核查 12-01 20:00");
  });
});

describe("abnormal login /account incident (《制度》第九条(四))", () => {
  it("tells the 市场部门负责人 and the owner, breaches after 24 h without a new password, and is archived", async () => {
    await setup("2026-11-20T10:00:00");
    await h.say("li", "/account add 抖音 城东店官方号");
    await h.say("wang", "/account incident 抖音 城东店官方号 凌晨 3 点有陌生设备登录");
    expect(lastText("wang")).toBe(
      "已上报异常登录 A-1（抖音「城东店官方号」），已通知市场部门负责人。请立即修改密码，改完发送 /account rotated 抖音 城东店官方号",
    );
    for (const who of ["zhang", "li"] as const) {
      const note = h.texts(who).find((t) => t.startsWith("🚨 异常登录上报 A-1"));
      expect(note).toContain("说明：凌晨 3 点有陌生设备登录");
      expect(note).toContain("须在 2026-11-21 10:00 前修改密码");
    }
    await h.say("li", "/account list");
    expect(lastText("li")).toContain("🚨 异常登录待改密 1 起");

    h.clock.set(at("2026-11-21T10:00:00"));
    await h.settle();
    for (const who of ["zhang", "li"] as const)
      expect(h.texts(who).filter((t) => t.startsWith("🔴 异常登录 A-1 已超过 1天仍未修改密码"))).toHaveLength(
        1,
      );

    await h.say("li", "/account rotated 抖音 城东店官方号");
    expect(lastText("li")).toBe("已记录抖音账号「城东店官方号」今天更换了密码，异常登录 1 起已处理完毕");
    await h.say("li", "/account list");
    expect(lastText("li")).not.toContain("🚨");
    expect(count("select count(*) as n from archive_records where kind = 'account_incidents'")).toBe(3);
    expect(count("select count(*) as n from archive_records where scope = 'duty:A-1'")).toBe(3);
  });

  it("a password changed in time stops the duty", async () => {
    await setup("2026-11-20T10:00:00");
    await h.say("li", "/account add 抖音 城东店官方号");
    await h.say("li", "/account incident 抖音 城东店官方号 异地登录提醒");
    h.clock.set(at("2026-11-20T12:00:00"));
    await h.say("li", "/account rotated 抖音 城东店官方号");
    h.clock.set(at("2026-11-22T10:00:00"));
    await h.settle();
    expect(h.texts("li").filter((t) => t.startsWith("🔴 异常登录"))).toHaveLength(0);
  });

  it("bad arguments answer the usage and change nothing", async () => {
    await setup("2026-11-20T10:00:00");
    await h.say("li", "/account add 抖音 城东店官方号");
    const before = count("select count(*) as n from archive_records");
    for (const bad of [
      "/account incident 抖音 城东店官方号",
      "/account incident 抖音",
      "/account cert 抖音 城东店官方号",
      "/account cert 抖音 城东店官方号 蓝V",
      "/account checked 火星 城东店官方号",
      "/account frob 抖音 城东店官方号",
    ]) {
      await h.say("li", bad);
      expect(lastText("li")).toContain("用法：/account add <平台> <账号名> [未认证|认证中|已认证|已过期]");
    }
    await h.say("li", "/account incident 抖音 没有这个号 被盗了");
    expect(lastText("li")).toBe("没有登记抖音账号「没有这个号」，先用 /account add");
    expect(count("select count(*) as n from account_incidents")).toBe(0);
    expect(count("select count(*) as n from archive_records")).toBe(before);
    expect(h.texts("zhang").filter((t) => t.startsWith("🚨"))).toHaveLength(0);
  });
});
