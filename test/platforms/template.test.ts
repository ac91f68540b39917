import { describe, expect, it } from "vitest";
import { loadFeishuTemplates } from "../../src/platforms/feishu/render.ts";
import { compileTemplate, renderTemplate } from "../../src/platforms/template.ts";

/**
 * The Feishu renderer fills its card files through compileTemplate; every other caller through
 * renderTemplate. Both must give the same card for the same data, for every rule of the template language.
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

describe("compileTemplate", () => {
  it("fills every rule as renderTemplate does", () => {
    const fill = compileTemplate(rules);
    for (const scope of scopes) expect(fill(scope)).toEqual(renderTemplate(rules, scope));
  });

  it("gives new objects on every call (rendered cards are stored and sent, never shared)", () => {
    const fill = compileTemplate(rules);
    expect(fill(scopes[1] as Record<string, unknown>)).not.toBe(fill(scopes[1] as Record<string, unknown>));
  });

  it("renders every Feishu card file as renderTemplate does, empty and fully filled", () => {
    const templates = loadFeishuTemplates();
    expect(templates.size).toBeGreaterThan(5);
    for (const [name, template] of templates) {
      const fill = compileTemplate(template);
      for (const data of [{}, everything(template)]) {
        expect(fill(data), name).toEqual(renderTemplate(template, data));
      }
    }
  });

  it("drops a template whose top-level condition fails to an empty object, like renderTemplate", () => {
    const t = { $if: "shown", text: "x" };
    expect(compileTemplate(t)({})).toEqual({});
    expect(renderTemplate(t, {})).toEqual({});
  });
});
