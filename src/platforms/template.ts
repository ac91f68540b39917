/**
 * Fills a card template (JSON data in cards/<platform>/) with a view's values. Templates stay plain JSON:
 *  - "{{a.b}}" inside a string is replaced by the value's text; a string that is exactly "{{a.b}}" takes the
 *    value as it is (objects for button values, booleans, numbers);
 *  - an object with "$if": "path" (or "$unless") is kept only when the value is truthy (falsy); the key is
 *    dropped; inside arrays a dropped object disappears;
 *  - {"$each": "path", "$as": "x", "$do": {…}} inside an array repeats $do once per element of path.
 * Values are inserted as data, never parsed as JSON, so user text cannot break out of its field.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Scope = Record<string, unknown>;

const WHOLE = /^\{\{\s*([\w.]+)\s*\}\}$/;
const PART = /\{\{\s*([\w.]+)\s*\}\}/g;
const DROP = Symbol("drop");

function truthy(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

type Filler = (scope: Scope) => unknown;

/**
 * A template turned once into functions: the placeholders are found and the paths split when compiling,
 * not on every render, so a card file filled again and again (Feishu's, one per decision on the card click,
 * `npm run bench`) costs a fraction of walking its JSON each time. Every call returns new objects.
 */
export function compileTemplate(template: unknown): (data: Record<string, unknown>) => unknown {
  const filler = compile(template as Json);
  return (data) => {
    const out = filler(data);
    return out === DROP ? {} : out;
  };
}

function walk(scope: Scope, parts: readonly string[]): unknown {
  let cur: unknown = scope;
  for (const part of parts) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The value at a dotted path ("who.name") of the data, or undefined where the path leads nowhere. */
export function lookup(scope: Scope, dotted: string): unknown {
  return walk(scope, dotted.split("."));
}

function path(text: string): (scope: Scope) => unknown {
  const parts = text.split(".");
  return (scope) => walk(scope, parts);
}

function compileString(node: string): Filler {
  const whole = WHOLE.exec(node);
  if (whole) {
    const get = path(whole[1] as string);
    return (scope) => get(scope) ?? "";
  }
  const texts: string[] = [];
  const gets: ((scope: Scope) => unknown)[] = [];
  let at = 0;
  for (const m of node.matchAll(PART)) {
    texts.push(node.slice(at, m.index));
    gets.push(path(m[1] as string));
    at = m.index + m[0].length;
  }
  if (gets.length === 0) return () => node;
  texts.push(node.slice(at));
  return (scope) => {
    let out = texts[0] as string;
    for (let i = 0; i < gets.length; i++) {
      const v = (gets[i] as (scope: Scope) => unknown)(scope);
      out += (v === undefined || v === null ? "" : String(v)) + (texts[i + 1] as string);
    }
    return out;
  };
}

function compile(node: Json): Filler {
  if (typeof node === "string") return compileString(node);
  if (Array.isArray(node)) {
    const parts = node.map((child): { each?: (scope: Scope) => unknown; as?: string; fill: Filler } => {
      if (child && typeof child === "object" && !Array.isArray(child) && "$each" in child) {
        const each = path(String(child.$each));
        return { each, as: String(child.$as ?? "item"), fill: compile(child.$do as Json) };
      }
      return { fill: compile(child) };
    });
    return (scope) => {
      const out: unknown[] = [];
      for (const part of parts) {
        if (part.each) {
          const list = part.each(scope);
          for (const el of Array.isArray(list) ? list : []) {
            const v = part.fill({ ...scope, [part.as as string]: el });
            if (v !== DROP) out.push(v);
          }
          continue;
        }
        const v = part.fill(scope);
        if (v !== DROP) out.push(v);
      }
      return out;
    };
  }
  if (node && typeof node === "object") {
    const when = "$if" in node ? path(String(node.$if)) : undefined;
    const unless = "$unless" in node ? path(String(node.$unless)) : undefined;
    const entries = Object.entries(node)
      .filter(([k]) => k !== "$if" && k !== "$unless")
      .map(([k, v]) => [k, compile(v)] as const);
    return (scope) => {
      if (when && !truthy(when(scope))) return DROP;
      if (unless && truthy(unless(scope))) return DROP;
      const out: Record<string, unknown> = {};
      for (const [k, fill] of entries) {
        const filled = fill(scope);
        if (filled !== DROP) out[k] = filled;
      }
      return out;
    };
  }
  return () => node;
}

/** Fills a template once (templates chosen per message, WeCom's text forms): compile and run. */
export function renderTemplate(template: unknown, data: Record<string, unknown>): unknown {
  return compileTemplate(template)(data);
}
