import { describe, expect, it } from "vitest";
import type { Harness } from "../support/harness.ts";
import { adminBot } from "./admin-support.ts";

/** docs/user-guide/admin.md: roles, stores, group bindings and /help, as people see them in Feishu. /policy: admin-policy.test.ts. */

let h: Harness;
const { count, last } = adminBot((bot) => {
  h = bot;
});

describe("/role", () => {
  it("the admin adds 陈律师 as legal; the reply says what changed and /role list shows her under 法务", async () => {
    await h.say("admin", "/role add legal @陈律师");
    expect(last("admin")).toBe("已将 陈律师 添加为「法务」");

    await h.say("admin", "/role list");
    const list = last("admin");
    expect(list).toContain("法务（legal）：陈律师");
    expect(list).toContain("市场部门负责人（marketing_head）：—");
  });

  it("the role may be given by its Chinese label, and several people at once", async () => {
    await h.say("admin", "/role add 运营团队负责人 @李姐 @林哥");
    expect(last("admin")).toBe("已将 李姐、林哥 添加为「运营团队负责人」");
    await h.say("admin", "/role add 法务 @陈律师");
    expect(last("admin")).toBe("已将 陈律师 添加为「法务」");
    expect(count("role_grants")).toBe(3);
  });

  it("adding a role someone already has says so and stores nothing new", async () => {
    await h.say("admin", "/role add legal @陈律师");
    await h.say("admin", "/role add legal @陈律师");
    expect(last("admin")).toBe("陈律师 已是「法务」，未变更");
    expect(count("role_grants")).toBe(1);
  });

  it("an unknown role answers with the list of roles and stores nothing", async () => {
    const before = count("role_grants");
    await h.say("admin", "/role add boss @陈律师");
    const reply = last("admin");
    expect(reply).toContain("没有角色「boss」");
    expect(reply).toContain("legal 法务");
    expect(reply).toContain("marketing_head 市场部门负责人");
    expect(count("role_grants")).toBe(before);
  });

  it("a word that is not an @-mention is refused with the usage line", async () => {
    await h.say("admin", "/role add legal 陈律师");
    expect(last("admin")).toContain("「陈律师」不是 @ 提及");
    expect(last("admin")).toContain("用法：/role add");
    expect(count("role_grants")).toBe(0);
  });

  it("someone who is neither admin nor marketing_head is refused and nothing is stored", async () => {
    await h.say("wang", "/role add legal @陈律师");
    expect(last("wang")).toContain("只有管理员或市场部门负责人可以调整「法务」角色");
    expect(count("role_grants")).toBe(0);
  });

  it("a marketing_head may grant legal but not management or marketing_head", async () => {
    await h.say("admin", "/role add marketing_head @张总");
    expect(count("role_grants")).toBe(1);

    await h.say("zhang", "/role add legal @陈律师");
    expect(last("zhang")).toBe("已将 陈律师 添加为「法务」");
    expect(count("role_grants", "role = 'legal'")).toBe(1);

    await h.say("zhang", "/role add management @李姐");
    expect(last("zhang")).toContain("只有管理员可以调整「管理层」角色");
    await h.say("zhang", "/role add marketing_head @李姐");
    expect(last("zhang")).toContain("只有管理员可以调整「市场部门负责人」角色");
    expect(count("role_grants")).toBe(2);
  });

  it("/role remove takes the role away and /role list no longer shows the person", async () => {
    await h.say("admin", "/role add legal @陈律师");
    await h.say("admin", "/role remove legal @陈律师");
    expect(last("admin")).toBe("已将 陈律师 移出「法务」");
    expect(count("role_grants")).toBe(0);

    await h.say("admin", "/role remove legal @陈律师");
    expect(last("admin")).toBe("陈律师 本来就不是「法务」，未变更");

    await h.say("admin", "/role list");
    expect(last("admin")).toContain("法务（legal）：—");
  });

  it("every role change is recorded in the audit log", async () => {
    await h.say("admin", "/role add legal @陈律师");
    await h.say("admin", "/role remove legal @陈律师");
    expect(count("audit_log", "action = 'role.add'")).toBe(1);
    expect(count("audit_log", "action = 'role.remove'")).toBe(1);
  });
});

describe("/store", () => {
  it("the admin adds 城东店 and /store list shows it", async () => {
    await h.say("admin", "/store add 城东店");
    expect(last("admin")).toBe("已添加门店「城东店」");
    await h.say("admin", "/store list");
    expect(last("admin")).toBe("门店（1）：城东店");
  });

  it("adding the same store twice is a clear error and keeps one row", async () => {
    await h.say("admin", "/store add 城东店");
    await h.say("admin", "/store add 城东店");
    expect(last("admin")).toBe("门店「城东店」已存在");
    expect(count("stores")).toBe(1);
  });

  it("a person without rights cannot add a store", async () => {
    await h.say("wang", "/store add 城西店");
    expect(last("wang")).toContain("只有管理员或市场部门负责人可以添加门店");
    expect(count("stores")).toBe(0);
  });
});

describe("/bind", () => {
  it("the admin binds a group as 运营群: the group is told and the binding is stored", async () => {
    await h.say("admin", "/bind ops", { chatId: "oc_ops" });
    expect(last("oc_ops")).toBe("已将本群登记为「运营群」");
    expect(count("group_bindings", "chat_id = 'oc_ops' and purpose = 'ops'")).toBe(1);
    expect(count("audit_log", "action = 'group.bind'")).toBe(1);
  });

  it("a feedback group without a store name asks for it and stores nothing", async () => {
    await h.say("admin", "/bind feedback", { chatId: "oc_fb" });
    expect(last("oc_fb")).toContain("门店反馈群需要写门店名");
    expect(last("oc_fb")).toContain("/bind feedback <门店名>");
    expect(count("group_bindings")).toBe(0);
  });

  it("a feedback group for an unknown store is refused", async () => {
    await h.say("admin", "/bind feedback 不存在店", { chatId: "oc_fb" });
    expect(last("oc_fb")).toContain("没有门店「不存在店」");
    expect(count("group_bindings")).toBe(0);
  });

  it("a feedback group for an existing store is bound to that store", async () => {
    await h.say("admin", "/store add 城东店");
    await h.say("admin", "/bind feedback 城东店", { chatId: "oc_fb" });
    expect(last("oc_fb")).toBe("已将本群登记为「门店反馈群」（城东店）");
    const row = h.app.db.$client
      .prepare(
        "select s.name from group_bindings b join stores s on s.id = b.store_id where b.chat_id = 'oc_fb' and b.purpose = 'feedback'",
      )
      .get() as { name: string } | undefined;
    expect(row?.name).toBe("城东店");
  });

  it("/bind in a DM is refused: it must be sent in the group", async () => {
    await h.say("admin", "/bind ops");
    expect(last("admin")).toContain("请在要登记的群里发送此命令");
    expect(count("group_bindings")).toBe(0);
  });

  it("an unknown purpose answers with the usage and the purposes", async () => {
    await h.say("admin", "/bind nonsense", { chatId: "oc_x" });
    expect(last("oc_x")).toContain("用法：在群里发送 /bind <用途>");
    expect(last("oc_x")).toContain("crisis 危机群");
    expect(count("group_bindings")).toBe(0);
  });

  it("/bind without a purpose answers with the usage and binds nothing", async () => {
    await h.say("admin", "/bind", { chatId: "oc_x" });
    expect(last("oc_x")).toContain("用法：在群里发送 /bind <用途>");
    expect(count("group_bindings")).toBe(0);
  });

  it("a person without rights cannot bind a group", async () => {
    await h.say("wang", "/bind ops", { chatId: "oc_ops" });
    expect(last("oc_ops")).toContain("只有管理员或市场部门负责人可以绑定群");
    expect(count("group_bindings")).toBe(0);
  });
});

describe("/help and unknown input", () => {
  it("a person without roles sees the everyday commands; the admin sees the admin commands too", async () => {
    await h.say("outsider", "/help");
    const mine = last("outsider");
    expect(mine).toContain("你的角色：暂无（请联系管理员分配角色）");
    expect(mine).toContain("/help");
    expect(mine).not.toContain("/role");
    expect(mine).not.toContain("/bind");
    expect(mine).toMatch(/另有 \d+ 个命令属于其他角色/);

    await h.say("admin", "/help");
    const admin = last("admin");
    expect(admin).toContain("你的角色：管理员");
    for (const cmd of ["/role", "/bind", "/store", "/policy", "/submit"]) expect(admin).toContain(cmd);
    const commands = (text: string) => text.match(/\/[a-z]+/g)?.length ?? 0;
    expect(commands(admin)).toBeGreaterThan(commands(mine));
    // The admin's list is long: names only, and /help <命令> says what one does and how.
    await h.say("admin", "/help spotcheck");
    expect(last("admin")).toContain("/spotcheck（/抽查） 每日抽查");
    expect(last("admin")).toContain("用法");
    await h.say("admin", "/help nosuch");
    expect(last("admin")).toBe("没有「nosuch」这个命令。发送 /help 查看可用命令");
  });

  it("help lists the commands of the person's roles", async () => {
    await h.say("admin", "/role add ops @小王");
    // 上岗考核 passed (《制度》第十四条(二)1): without it an ops holder cannot submit.
    await h.say("admin", "/exam record @小王 100");
    await h.say("wang", "/help");
    expect(last("wang")).toContain("你的角色：运营专员");
    expect(last("wang")).toContain("/submit");
    expect(last("wang")).not.toContain("/role");
  });

  it("帮助 without a slash works", async () => {
    await h.say("outsider", "帮助");
    expect(last("outsider")).toContain("你的角色");
    expect(last("outsider")).toContain("/help");
  });

  it("an unknown command answers 未知命令 and points to /help", async () => {
    await h.say("wang", "/foo bar");
    expect(last("wang")).toBe("未知命令「/foo」。发送 /help 查看可用命令");
  });

  it("a plain DM without a command gets a hint", async () => {
    await h.say("wang", "你好，在吗");
    expect(last("wang")).toContain("/help");
  });

  it("plain chatter in a group gets no answer", async () => {
    await h.say("wang", "今天大家辛苦了", { chatId: "oc_ops" });
    expect(h.texts("oc_ops")).toEqual([]);
  });
});

describe("/outbox", () => {
  it("a message the platform refused for good is listed, and /outbox retry delivers it once the bot is back in the group", async () => {
    h.fake.config.chatsWithoutBot.add("oc_gone"); // the bot was removed from this group
    await h.say("admin", "/bind ops", { chatId: "oc_gone" });
    expect(h.texts("oc_gone")).toHaveLength(0);
    expect(last("admin")).toContain("机器人不在这个群里"); // the admins are told at once, in words

    await h.say("admin", "/outbox");
    expect(last("admin")).toMatch(/已停止重试 1 条\n#\d+ 飞书群「运营群」 .*机器人不在这个群里/);

    await h.say("lin", "/outbox retry all");
    expect(last("lin")).toBe("只有管理员可以查看和重试消息投递");
    expect(count("outbox", "status = 'dead'")).toBe(1);

    h.fake.config.chatsWithoutBot.delete("oc_gone"); // someone added the bot back
    await h.say("admin", "/outbox retry all");
    expect(last("admin")).toBe("已重新排队 1 条消息，将按频率限制投递");
    expect(h.texts("oc_gone")).toHaveLength(1);
    expect(h.texts("oc_gone")[0]).toContain("运营");
    expect(count("outbox", "status = 'dead'")).toBe(0);
    expect(count("audit_log", "action = 'outbox.retry'")).toBe(1);

    await h.say("admin", "/outbox retry all");
    expect(last("admin")).toBe("没有已停止重试的消息");
  });
});
