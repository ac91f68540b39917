/** A line-sized excerpt: at most `max` characters (by code point), with "…" when something was cut. */
export function clipLine(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  const chars = [...oneLine];
  return chars.length > max ? `${chars.slice(0, max).join("")}…` : oneLine;
}
