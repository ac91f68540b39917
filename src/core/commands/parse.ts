/**
 * Command text → name, arguments and body. The first line holds the command and its arguments; the
 * lines after it are the body (e.g. the draft text of /submit). Leading @-mentions (the bot) are dropped.
 */
export interface ParsedText {
  /** Command name as typed, lower-cased, without the slash (e.g. "submit", "提审"). */
  name: string;
  /** First-line tokens after the name; mention tokens stay as `@{n}`. */
  args: string[];
  /** The first line after the name, spacing kept (for free text such as reasons). */
  rest: string;
  body: string;
}

const MENTION = /^@\{(\d+)\}$/;

/** Words that work without a slash, because people type them that way. */
const BARE_WORDS = new Set(["帮助", "help"]);

/**
 * `bare` says which words count as a command without the slash: in a direct message people type
 * 「提审 抖音 …」 as they would say it; in a group they talk, so only 帮助 works there.
 */
export function parseCommandText(text: string, bare?: (word: string) => boolean): ParsedText | undefined {
  const normalised = text.replace(/\r\n?/g, "\n").replace(/\u3000/g, " ");
  const newline = normalised.indexOf("\n");
  const first = (newline === -1 ? normalised : normalised.slice(0, newline)).trim();
  const body = newline === -1 ? "" : normalised.slice(newline + 1).trim();
  // Drop leading mentions (the bot being @-ed in a group) before the command word.
  const withoutBot = first.replace(/^(?:@\{\d+\}\s*)+/, "");
  const m = /^([/／])?(\S+)\s*(.*)$/.exec(withoutBot);
  if (!m) return undefined;
  const [, slash, word = "", rest = ""] = m;
  if (!slash && !BARE_WORDS.has(word.toLowerCase()) && !bare?.(word.toLowerCase())) return undefined;
  return { name: word.toLowerCase(), args: rest.split(/\s+/).filter(Boolean), rest: rest.trim(), body };
}

/**
 * Free text (titles, reasons, feedback) keeps the names people typed: `@{n}` back to `@名字`. Arguments keep
 * the tokens, because commands such as /role find the person by them.
 */
export function showMentions(text: string, mentions: readonly { name: string }[]): string {
  return text.replace(/@\{(\d+)\}/g, (token, n: string) => {
    const m = mentions[Number(n)];
    return m ? `@${m.name}` : token;
  });
}

export function mentionIndex(token: string): number | undefined {
  const m = MENTION.exec(token);
  return m ? Number(m[1]) : undefined;
}

/** "#12" | "12" | "＃12" → 12; with a prefix letter for other kinds ("T-34", "C-7"). */
export function parseItemNo(token: string | undefined, prefix = "#"): number | undefined {
  if (!token) return undefined;
  const t = token.trim().replace(/^＃/, "#");
  const re = prefix === "#" ? /^#?(\d{1,9})$/ : new RegExp(`^(?:${prefix}-?)?(\\d{1,9})$`, "i");
  const m = re.exec(t);
  return m ? Number(m[1]) : undefined;
}
