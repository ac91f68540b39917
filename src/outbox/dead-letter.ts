/**
 * The admins' notice about a message that stopped retrying (a dead letter): in Chinese, naming who or
 * which group did not get it, why (the platform's refusal in words, from policy/delivery-errors.json),
 * what to do about it, and the `/outbox retry <编号>` that sends it once the cause is fixed.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { readDataFile } from "../core/data-file.ts";
import { catalog } from "../core/people/catalog.ts";
import { chatPlatformLabel } from "../core/people/chat-platforms.ts";
import type { Db } from "../store/db.ts";
import { groupBindings, identities } from "../store/schema/index.ts";
import type { DeliveryFailure } from "./types.ts";

const entry = z.object({ cause: z.string().min(1), fix: z.string().min(1) });
const file = z.object({
  feishu: z.record(z.string(), entry),
  wecom: z.record(z.string(), entry),
  wechat: z.record(z.string(), entry),
});
const explanations = readDataFile(new URL("../../policy/delivery-errors.json", import.meta.url), file, {
  zh: "投递错误说明表",
  en: "delivery errors file",
});

/** "飞书群「危机处置群」" / "飞书用户 小王" — who the message was for, as a person knows them. */
export function recipient(db: Db, platform: string, target: string): string {
  const where = chatPlatformLabel(platform);
  const [type, ...rest] = target.split(":");
  const id = rest.join(":");
  if (type === "user") {
    const who = db
      .select({ name: identities.name })
      .from(identities)
      .where(and(eq(identities.platform, platform), eq(identities.userId, id)))
      .get();
    return `${where}用户 ${who?.name ?? id}`;
  }
  const purposes = db
    .select({ purpose: groupBindings.purpose })
    .from(groupBindings)
    .where(and(eq(groupBindings.platform, platform), eq(groupBindings.chatId, id)))
    .all()
    .map((b) => catalog.groupPurposes.find((p) => p.key === b.purpose)?.label ?? b.purpose);
  return purposes.length > 0 ? `${where}群「${purposes.join("、")}」` : `${where}群（${id}）`;
}

/** Why a message stopped retrying, in words (the row's stored error begins with the platform's code). */
export function causeOf(platform: string, lastError: string | null): string {
  const code = (lastError ?? "").split(" ")[0] ?? "";
  const table = explanations[platform as keyof typeof explanations] ?? {};
  return (table[code] ?? table.other)?.cause ?? "平台拒收了这条消息";
}

export function deadLetterNotice(
  db: Db,
  row: { id: number; platform: string; target: string },
  failure: DeliveryFailure,
): string {
  const table = explanations[row.platform as keyof typeof explanations] ?? {};
  const known = table[failure.code] ?? table.other;
  const cause = known?.cause ?? (failure.retry ? "多次重试仍未成功（网络或平台故障）" : "平台拒收了这条消息");
  const fix = failure.retry ? "确认网络和平台恢复正常" : (known?.fix ?? "排除原因");
  return [
    `⚠️ 有一条消息无法送达${recipient(db, row.platform, row.target)}，已停止重试（编号 #${row.id}）`,
    `原因：${cause}`,
    `处理：${fix}后，发送 /outbox retry ${row.id} 重新投递（/outbox 查看全部未送达消息）`,
  ].join("\n");
}
