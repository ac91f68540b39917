/**
 * What the trained readers (the compliance model, the sentiment model) see of a text: its character
 * pairs and triples that hold a letter, digit or Han character, and its jieba words. Shared so that both
 * models and their training read text the same way.
 */

const MEANINGFUL = /[\p{Script=Han}a-z0-9]/u;

/** The features of a text: character pairs and triples with a letter, digit or Han in them, and words. */
export function features(text: string, words: readonly { text: string }[]): string[] {
  const out = new Set<string>();
  // Which characters are letters, digits or Han, computed once: a gram counts when any of them is.
  const meaningful = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) meaningful[i] = MEANINGFUL.test(text.charAt(i)) ? 1 : 0;
  for (let i = 0; i + 2 <= text.length; i++) {
    const two = (meaningful[i] ?? 0) + (meaningful[i + 1] ?? 0);
    if (two > 0) out.add(text.slice(i, i + 2));
    if (i + 3 <= text.length && two + (meaningful[i + 2] ?? 0) > 0) out.add(text.slice(i, i + 3));
  }
  for (const w of words) if (w.text.trim() !== "") out.add(`w:${w.text}`);
  return [...out];
}
