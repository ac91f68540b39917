import { readFileSync } from "node:fs";

/** What the robot itself says (cards/wecom-bot/wording.json): data, so wording changes need no code. */
const raw = JSON.parse(
  readFileSync(new URL("../../../cards/wecom-bot/wording.json", import.meta.url), "utf8"),
) as Record<string, string>;

export function wording(
  key: "pageMentions" | "askInGroup" | "askInChat" | "cardAbove",
  data: Record<string, string> = {},
) {
  return (raw[key] ?? "").replace(/\{\{(\w+)\}\}/g, (_, k: string) => data[k] ?? "");
}
