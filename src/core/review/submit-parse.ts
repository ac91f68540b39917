import { findPlatform } from "../people/catalog.ts";
import { parseDateTime } from "../time.ts";
import { UserError } from "../types.ts";
import { plannedExample } from "./example-date.ts";

export const SUBMIT_USAGE =
  "用法：/submit <平台[,平台…]> <标题> [#广告] [#敏感] [@YYYY-MM-DD HH:mm]，第二行起写正文。平台：抖音 小红书 公众号 视频号 微博 大众点评 美团";

export interface SubmitArgs {
  platforms: string[];
  title: string;
  isAd: boolean;
  isSensitive: boolean;
  plannedAt?: number;
}

/** Platform list "抖音,小红书" (also 、 and ，) → platform keys; unknown names are a UserError. */
export function parsePlatforms(text: string): string[] {
  const names = text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UserError(SUBMIT_USAGE);
  const keys: string[] = [];
  for (const n of names) {
    const p = findPlatform(n);
    if (!p) throw new UserError(`不认识的平台「${n}」。可选：抖音 小红书 公众号 视频号 微博 大众点评 美团`);
    if (!keys.includes(p.key)) keys.push(p.key);
  }
  return keys;
}

/** The first line of /submit after the command word. */
/** `now` only words the example in an error: a planned time a week ahead, never one already past. */
export function parseSubmitArgs(args: string[], tz: string, now: number): SubmitArgs {
  const [platformText, ...rest] = args;
  if (!platformText || rest.length === 0) throw new UserError(SUBMIT_USAGE);
  const platforms = parsePlatforms(platformText);
  let isAd = false;
  let isSensitive = false;
  let plannedAt: number | undefined;
  const titleWords: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i] as string;
    if (t === "#广告" || t === "＃广告") isAd = true;
    else if (t === "#敏感" || t === "＃敏感") isSensitive = true;
    else if (/^[@＠]\d{4}-\d{1,2}-\d{1,2}$/.test(t)) {
      const when = parseDateTime(`${t.slice(1)} ${rest[i + 1] ?? ""}`, tz);
      if (when === undefined)
        throw new UserError(
          `计划发布时间「${t} ${rest[i + 1] ?? ""}」无效，格式：@${plannedExample(now, tz)}`,
        );
      plannedAt = when;
      i++;
    } else titleWords.push(t);
  }
  const title = titleWords.join(" ").trim();
  if (!title) throw new UserError(SUBMIT_USAGE);
  if (title.length > 100) throw new UserError("标题不能超过 100 个字");
  return { platforms, title, isAd, isSensitive, ...(plannedAt !== undefined ? { plannedAt } : {}) };
}
