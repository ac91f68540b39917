import { describe, expect, it } from "vitest";
import { loadFeishuTemplates } from "../../src/platforms/feishu/render.ts";
import { compileTemplate, renderTemplate } from "../../src/platforms/template.ts";

/**
 * The card template language (src/platforms/template.ts), rule by rule. There is one implementation:
 * `renderTemplate` is `compileTemplate` run once. The expectations below are what the language's first
 * implementation (a JSON walker, replaced by the compiled form) gave for the same data.
 */
const rules = {
  header: { title: "{{title}}", $if: "open" },
  closed: { text: "已结束 {{who.name}}", $unless: "open" },
  value: "{{button}}",
  missing: "{{nothing.here}}",
  mixed: "#{{id}}《{{title}}》 by {{who.name}}{{none}}.",
  plain: "no placeholders",
  count: 3,
  flag: true,
  nothing: null,
  rows: [
    { $each: "items", $as: "it", $do: { text: "{{it.text}} ({{title}})", $if: "it.shown" } },
    { $each: "absent", $do: { text: "{{item}}" } },
    { tag: "hr", $if: "items" },
    { tag: "note", $unless: "items" },
    "{{title}}",
    [{ $each: "tags", $do: "{{item}}" }],
  ],
};
const scopes: Record<string, unknown>[] = [
  {},
  {
    open: true,
    title: "周末<新本>",
    id: 12,
    who: { name: "李姐" },
    button: { a: "review.decide", step: 3 },
    items: [
      { text: "一", shown: true },
      { text: "二", shown: false },
    ],
    tags: ["a", "b"],
    none: null,
  },
  { open: false, items: [], tags: [], who: "not an object", title: 0 },
];

/** Data where every path a template names resolves: strings, and two-element lists for `$each`. */
function everything(template: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const set = (path: string, value: unknown) => {
    const parts = path.split(".");
    let cur = data;
    for (const p of parts.slice(0, -1)) {
      cur[p] ??= {};
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts.at(-1) as string] ??= value;
  };
  const walk = (node: unknown) => {
    if (typeof node === "string") {
      for (const m of node.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) set(m[1] as string, `v:${m[1]}`);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (typeof o.$each === "string") set(o.$each, [{}, {}]);
      for (const k of ["$if", "$unless"]) if (typeof o[k] === "string") set(o[k] as string, true);
      Object.values(o).forEach(walk);
    }
  };
  walk(template);
  return data;
}

const expected = [
  {
    closed: { text: "已结束 " },
    value: "",
    missing: "",
    mixed: "#《》 by .",
    plain: "no placeholders",
    count: 3,
    flag: true,
    nothing: null,
    rows: [{ tag: "note" }, "", []],
  },
  {
    header: { title: "周末<新本>" },
    value: { a: "review.decide", step: 3 },
    missing: "",
    mixed: "#12《周末<新本>》 by 李姐.",
    plain: "no placeholders",
    count: 3,
    flag: true,
    nothing: null,
    rows: [{ text: "一 (周末<新本>)" }, { tag: "hr" }, "周末<新本>", ["a", "b"]],
  },
  {
    closed: { text: "已结束 " },
    value: "",
    missing: "",
    mixed: "#《0》 by .",
    plain: "no placeholders",
    count: 3,
    flag: true,
    nothing: null,
    rows: [{ tag: "note" }, 0, []],
  },
];

describe("card templates", () => {
  it("fill every rule: placeholders, whole values, $if/$unless, $each/$as, nesting", () => {
    const fill = compileTemplate(rules);
    scopes.forEach((scope, i) => {
      expect(fill(scope)).toEqual(expected[i]);
      expect(renderTemplate(rules, scope)).toEqual(expected[i]);
    });
  });

  it("gives new objects on every call (rendered cards are stored and sent, never shared)", () => {
    const fill = compileTemplate(rules);
    expect(fill(scopes[1] as Record<string, unknown>)).not.toBe(fill(scopes[1] as Record<string, unknown>));
  });

  it("leaves no placeholder or template key in any Feishu card file, empty or fully filled", () => {
    const templates = loadFeishuTemplates();
    expect(templates.size).toBeGreaterThan(5);
    for (const [name, template] of templates) {
      const fill = compileTemplate(template);
      for (const data of [{}, everything(template)]) {
        const card = JSON.stringify(fill(data));
        expect(card, name).not.toMatch(/\{\{|"\$(if|unless|each|as|do)"/);
      }
    }
  });

  it("drops a template whose top-level condition fails to an empty object", () => {
    const t = { $if: "shown", text: "x" };
    expect(compileTemplate(t)({})).toEqual({});
    expect(renderTemplate(t, {})).toEqual({});
  });
});
