import { z } from "zod";
import { readDataFile } from "../data-file.ts";
import { PLATFORMS, type Platform } from "../types.ts";

/** What people read and type for each chat platform, as data (policy/chat-platforms.json). */

const entry = z.object({
  key: z.enum(PLATFORMS),
  label: z.string().min(1),
  stranger: z.string().min(1),
  aliases: z.array(z.string().min(1)),
  example: z.string().min(1),
});
const file = z
  .object({ chatPlatforms: z.array(entry) })
  .refine((f) => PLATFORMS.every((p) => f.chatPlatforms.some((c) => c.key === p)), {
    message: `每个平台都要有一项 / one entry for each of ${PLATFORMS.join(", ")}`,
  });

export type ChatPlatform = z.infer<typeof entry>;

const path = new URL("../../../policy/chat-platforms.json", import.meta.url);
const { chatPlatforms } = readDataFile(path, file, { zh: "聊天平台表", en: "chat platforms file" });

export function chatPlatform(key: Platform): ChatPlatform {
  return chatPlatforms.find((c) => c.key === key) as ChatPlatform;
}

/** The label of a platform key as stored (an unknown key is shown as it is). */
export function chatPlatformLabel(key: string): string {
  return chatPlatforms.find((c) => c.key === key)?.label ?? key;
}

/** The platform a person means by `name` before the colon of `平台:用户ID` (case-insensitive). */
export function chatPlatformNamed(name: string): Platform | undefined {
  const n = name.toLowerCase();
  return chatPlatforms.find((c) => c.aliases.some((a) => a.toLowerCase() === n))?.key;
}

/** `feishu:ou_…、wecom:zhangsan、wechat:…`, for usage lines. */
export function accountExamples(): string {
  return chatPlatforms.map((c) => `${c.key}:${c.example}`).join("、");
}
