/**
 * WeCom's XML is flat: `<xml><Tag><![CDATA[text]]></Tag><Num>1</Num>…</xml>`. A small reader for exactly
 * that (no DTD, no entities beyond the five predefined ones, so no XXE), and a writer for the fake and for
 * tests. Nested elements (e.g. `SelectedItems`) are kept as their raw inner XML.
 */

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e] ?? "");
}

/** Reads the children of the root element; undefined when the text is not such a document. */
export function parseXml(xml: string): Record<string, string> | undefined {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<(\w+)>([\s\S]*)<\/\1>\s*$/.exec(xml);
  if (!root) return undefined;
  const body = root[2] ?? "";
  const out: Record<string, string> = {};
  const openTag = /\s*<(\w+)\s*(\/?)>/y;
  let i = 0;
  while (body.slice(i).trim() !== "") {
    openTag.lastIndex = i;
    const m = openTag.exec(body);
    if (!m) return undefined;
    const tag = m[1] as string;
    if (m[2] === "/") {
      out[tag] = "";
      i = openTag.lastIndex;
      continue;
    }
    const close = `</${tag}>`;
    const start = openTag.lastIndex;
    // CDATA may itself contain "</Tag>"-like text: skip over CDATA sections when looking for the close.
    let j = start;
    let end = -1;
    while (j < body.length) {
      const cdata = body.indexOf("<![CDATA[", j);
      const c = body.indexOf(close, j);
      if (c === -1) break;
      if (cdata !== -1 && cdata < c) {
        const cend = body.indexOf("]]>", cdata);
        if (cend === -1) return undefined;
        j = cend + 3;
        continue;
      }
      end = c;
      break;
    }
    if (end === -1) return undefined;
    const inner = body.slice(start, end);
    out[tag] = textOf(inner);
    i = end + close.length;
  }
  return out;
}

function textOf(inner: string): string {
  const parts = /^\s*((?:<!\[CDATA\[[\s\S]*?\]\]>\s*)+)$/.exec(inner);
  if (parts?.[1]) {
    return [...parts[1].matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((p) => p[1] ?? "").join("");
  }
  if (inner.includes("<")) return inner; // a nested element: raw
  return decodeEntities(inner.trim());
}

/** Writes `<xml>` with strings as CDATA (split around "]]>") and numbers as text. */
export function buildXml(fields: Record<string, string | number>): string {
  const cdata = (s: string) => `<![CDATA[${s.split("]]>").join("]]]]><![CDATA[>")}]]>`;
  const inner = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === "number" ? String(v) : cdata(v)}</${k}>`)
    .join("");
  return `<xml>${inner}</xml>`;
}
