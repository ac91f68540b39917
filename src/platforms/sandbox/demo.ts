import { eq } from "drizzle-orm";
import { recordOffline } from "../../core/exam/quiz.ts";
import type { Services } from "../../core/services.ts";
import { tx } from "../../store/db.ts";
import { groupBindings, stores } from "../../store/schema/index.ts";

/** The sandbox's demo company (docs/sandbox.md): who is who, which groups exist and who sits in them. */
export interface DemoPerson {
  key: string;
  openId: string;
  name: string;
  /** What the picker shows, e.g. 运营-小王. */
  label: string;
  roles: string[];
  admin?: boolean;
}

export const DEMO_PEOPLE: DemoPerson[] = [
  { key: "wang", openId: "ou_sb_wang", name: "小王", label: "运营-小王", roles: ["ops"] },
  { key: "li", openId: "ou_sb_li", name: "李姐", label: "运营负责人-李姐", roles: ["ops_lead"] },
  {
    key: "zhang",
    openId: "ou_sb_zhang",
    name: "张总",
    label: "市场总监-张总",
    roles: ["marketing_head"],
    admin: true,
  },
  { key: "chen", openId: "ou_sb_chen", name: "陈律师", label: "法务-陈律师", roles: ["legal"] },
  { key: "liu", openId: "ou_sb_liu", name: "小刘", label: "发布-小刘", roles: ["publisher"] },
  { key: "mei", openId: "ou_sb_mei", name: "小美", label: "客服-小美", roles: ["cs"] },
  { key: "jie", openId: "ou_sb_jie", name: "阿杰", label: "城东店-阿杰", roles: ["store"] },
  { key: "zhou", openId: "ou_sb_zhou", name: "老周", label: "危机小组-老周", roles: ["crisis"] },
  {
    key: "boss",
    openId: "ou_sb_boss",
    name: "王总",
    label: "管理层-王总",
    roles: ["management"],
    admin: true,
  },
];

export interface DemoGroup {
  chatId: string;
  name: string;
  purpose: string;
  store?: string;
  members: string[];
}

export const DEMO_STORES = ["城东店", "城西店"];

export const DEMO_GROUPS: DemoGroup[] = [
  {
    chatId: "oc_sb_ops",
    name: "运营群",
    purpose: "ops",
    members: ["wang", "li", "zhang", "liu", "mei", "boss"],
  },
  {
    chatId: "oc_sb_crisis",
    name: "危机群",
    purpose: "crisis",
    members: ["zhou", "zhang", "boss", "li", "mei"],
  },
  {
    chatId: "oc_sb_feedback_east",
    name: "城东店反馈群",
    purpose: "feedback",
    store: "城东店",
    members: ["jie", "mei", "li"],
  },
];

export const DEMO_ADMINS = DEMO_PEOPLE.filter((p) => p.admin).map((p) => ({
  platform: "feishu" as const,
  userId: p.openId,
}));

/** Seeds the demo company once (first start); later starts find it and change nothing. */
export function seedDemo(services: Services): boolean {
  return tx(services.db, () => {
    const first = DEMO_PEOPLE[0];
    if (!first) return false;
    const existing = services.db
      .select()
      .from(stores)
      .where(eq(stores.name, DEMO_STORES[0] ?? ""))
      .get();
    if (existing) return false;
    const now = services.clock.now();
    const ids = new Map<string, number>();
    for (const p of DEMO_PEOPLE) ids.set(p.key, services.people.ensure("feishu", p.openId, p.name));
    const granter = ids.get("zhang") ?? 0;
    for (const p of DEMO_PEOPLE)
      for (const r of p.roles) services.people.grant(ids.get(p.key) ?? 0, r, granter);
    // 运营-小王 passed the 上岗考核 in person (《制度》第十四条(二)1), so the demo can submit at once.
    for (const p of DEMO_PEOPLE.filter((x) => x.roles.includes("ops")))
      recordOffline(services, ids.get(p.key) ?? 0, 100, granter, "演示数据：入职培训线下考核");
    for (const s of DEMO_STORES) services.db.insert(stores).values({ name: s, createdAt: now }).run();
    for (const g of DEMO_GROUPS) {
      const storeId = g.store
        ? (services.db.select().from(stores).where(eq(stores.name, g.store)).get()?.id ?? null)
        : null;
      services.db
        .insert(groupBindings)
        .values({
          platform: "feishu",
          chatId: g.chatId,
          purpose: g.purpose,
          storeId,
          boundBy: granter,
          boundAt: now,
        })
        .run();
    }
    return true;
  });
}

export function demoPerson(key: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((p) => p.key === key);
}

/** The chats a demo person sees: their DM with the bot, then their groups. */
export function chatsOf(key: string): { chatId: string; name: string; type: "p2p" | "group" }[] {
  const person = demoPerson(key);
  if (!person) return [];
  return [
    { chatId: `oc_p2p_${person.openId}`, name: "机器人（私聊）", type: "p2p" as const },
    ...DEMO_GROUPS.filter((g) => g.members.includes(key)).map((g) => ({
      chatId: g.chatId,
      name: g.name,
      type: "group" as const,
    })),
  ];
}
