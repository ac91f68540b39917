/** The card checker itself, and that every Feishu card template is used by the code. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FeishuRenderer } from "../../src/platforms/feishu/render.ts";
import { designProblems, type Obj, TEMPLATES } from "./card-rules.ts";

const SRC_DIR = fileURLToPath(new URL("../../src/", import.meta.url));

const renderer = new FeishuRenderer();

describe("Feishu card templates", () => {
  it("the checker itself catches what it is meant to catch", () => {
    const ok = renderer.card({
      template: "submit_form",
      data: { plannedExample: "2026-12-13 20:00" },
    }) as Obj;
    expect(designProblems(ok)).toEqual([]);
    const bad = (mutate: (c: Obj) => void): string[] => {
      const c = structuredClone(ok);
      mutate(c);
      return designProblems(c);
    };
    const form = (c: Obj) => ((c.body as Obj).elements as Obj[])[0] as Obj;
    expect(bad((c) => (c.schema = "1.0")).join()).toContain("schema");
    expect(bad((c) => ((c.config as Obj).update_multi = false)).join()).toContain("update_multi");
    // elements: [label, platforms, label, title, …]: the title renamed to "platforms" is a duplicate.
    expect(bad((c) => (((form(c).elements as Obj[])[3] as Obj).name = "platforms")).join()).toContain(
      "duplicate",
    );
    expect(
      bad(
        (c) =>
          ((c.body as Obj).elements = [
            { tag: "column_set", columns: [{ tag: "column", elements: [form(c)] }] },
          ]),
      ).join(),
    ).toContain("root");
    expect(
      bad((c) => ((c.body as Obj).elements as Obj[]).push({ tag: "action", actions: [] })).join(),
    ).toContain("action");
    expect(bad((c) => (((form(c).elements as Obj[]).at(-1) as Obj).behaviors = [])).join()).toContain(
      "callback value",
    );
    expect(
      bad((c) =>
        ((c.body as Obj).elements as Obj[]).push(...Array.from({ length: 200 }, () => ({ tag: "hr" }))),
      ).join(),
    ).toContain("elements");
    expect(
      bad((c) =>
        ((c.body as Obj).elements as Obj[]).push({ tag: "markdown", content: "字".repeat(11_000) }),
      ).join(),
    ).toContain("bytes");
    expect(
      bad((c) => ((c.header as Obj).title = { tag: "plain_text", content: "{{title}}" })).join(),
    ).toContain("placeholder");
  });

  it("every template is used by the code (no dead templates)", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith(".ts")) files.push(readFileSync(join(dir, e.name), "utf8"));
      }
    };
    walk(SRC_DIR);
    const source = files.join("\n");
    for (const t of TEMPLATES) {
      expect(source.includes(`template: "${t}"`), `cards/feishu/${t}.json is not used in src/`).toBe(true);
    }
  });
});
