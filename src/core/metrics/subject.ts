import { eq } from "drizzle-orm";
import { stores } from "../../store/schema/index.ts";
import { parseItemNo } from "../commands/parse.ts";
import { catalog, findPlatform, platformLabel } from "../people/catalog.ts";
import { getItem, publicationsOf } from "../review/repo.ts";
import type { Services } from "../services.ts";
import { UserError } from "../types.ts";
import type { MetricSubject } from "./repo.ts";

/**
 * The first word(s) of /metric: a platform (抖音), a store (城东店) or a content item (#12, then the
 * platform when it went out on several). Returns the subject and how many tokens it used.
 */
export function resolveSubject(d: Services, tokens: string[]): { subject: MetricSubject; used: number } {
  const first = tokens[0] ?? "";
  const itemNo = /^[#＃]/.test(first) ? parseItemNo(first) : undefined;
  if (itemNo !== undefined) return resolveItem(d, itemNo, tokens[1]);
  const platform = findPlatform(first);
  if (platform) return { subject: { scope: "platform", platform: platform.key }, used: 1 };
  const store = d.db.select().from(stores).where(eq(stores.name, first)).get();
  if (store) return { subject: { scope: "store", storeId: store.id, storeName: store.name }, used: 1 };
  const known = d.db
    .select({ name: stores.name })
    .from(stores)
    .all()
    .map((s) => s.name);
  throw new UserError(
    [
      `不认识「${first}」，未登记任何数据。第一个词应为平台、门店或内容编号：`,
      `· 平台：${catalog.platforms.map((p) => p.label).join(" ")}`,
      `· 门店：${known.length ? known.join(" ") : "（还没有门店，管理员可用 /store add <门店名> 添加）"}`,
      "· 内容：#12（先由发布专员 /publish 登记发布）",
    ].join("\n"),
  );
}

function resolveItem(
  d: Services,
  itemId: number,
  next: string | undefined,
): { subject: MetricSubject; used: number } {
  const item = getItem(d.db, itemId);
  if (item.kind !== "content") throw new UserError(`#${itemId} 不是内容稿件，不能登记数据`);
  const published = publicationsOf(d.db, itemId).map((p) => p.platform);
  const named = next ? findPlatform(next) : undefined;
  const subject = (platform: string): MetricSubject => ({
    scope: "item",
    itemId,
    platform,
    title: item.title,
  });
  if (named) {
    if (!published.includes(named.key)) {
      throw new UserError(
        `#${itemId} 还没有在${named.label}登记发布${published.length ? `（已发布：${published.map(platformLabel).join("、")}）` : ""}，请先由发布专员 /publish ${itemId} ${named.label}`,
      );
    }
    return { subject: subject(named.key), used: 2 };
  }
  if (published.length === 0) {
    throw new UserError(
      `#${itemId}《${item.title}》还没有登记发布，发布后才能登记数据（/publish ${itemId} <平台>）`,
    );
  }
  if (published.length > 1) {
    const labels = published.map(platformLabel);
    throw new UserError(
      `#${itemId} 发布在${labels.join("、")}，请写明平台，如：/metric #${itemId} ${labels[0]} 曝光=28万 点赞=6000`,
    );
  }
  return { subject: subject(published[0] as string), used: 1 };
}

export function subjectLabel(s: MetricSubject): string {
  if (s.scope === "platform") return platformLabel(s.platform);
  if (s.scope === "store") return s.storeName;
  return `#${s.itemId}《${s.title}》${platformLabel(s.platform)}`;
}
