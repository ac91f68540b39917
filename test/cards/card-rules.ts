/**
 * Our rules for a Feishu card in JSON 2.0 (docs/platforms.md → 飞书 → Cards), as a checker: what the fake
 * platform refuses, plus schema 2.0, update_multi, plain_text headers, the element and byte limits, forms
 * at the root with named inputs, callback values on every button, no template directive or placeholder
 * left over. card-rules.test.ts shows it catches each; feishu-cards.test.ts holds every template to it.
 */
import { readdirSync } from "node:fs";
import { FEISHU_CARDS_DIR } from "../../src/platforms/feishu/render.ts";
import { cardProblem } from "../../src/platforms/sandbox/open-platform/index.ts";

const MAX_ELEMENTS = 200;
const MAX_BYTES = 30 * 1024;
/** Every Feishu card template, by name (cards/feishu/<name>.json). */
export const TEMPLATES = readdirSync(FEISHU_CARDS_DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.slice(0, -5))
  .sort();

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

interface Component {
  el: Obj;
  depth: number;
  inForm: boolean;
}

/** Every component of body.elements (through `elements` and `columns`), with its depth. */
export function components(card: unknown): Component[] {
  const out: Component[] = [];
  const visit = (el: unknown, depth: number, inForm: boolean) => {
    if (!isObj(el)) return;
    out.push({ el, depth, inForm });
    for (const key of ["elements", "columns"]) {
      const children = el[key];
      if (Array.isArray(children)) for (const c of children) visit(c, depth + 1, inForm || el.tag === "form");
    }
  };
  const body = isObj(card) && isObj(card.body) ? card.body : {};
  for (const el of Array.isArray(body.elements) ? body.elements : []) visit(el, 0, false);
  return out;
}

/** Every string anywhere in the card, with the key it sits under. */
export function strings(node: unknown, key = ""): { key: string; value: string }[] {
  if (typeof node === "string") return [{ key, value: node }];
  if (Array.isArray(node)) return node.flatMap((n) => strings(n, key));
  if (isObj(node)) return Object.entries(node).flatMap(([k, v]) => strings(v, k));
  return [];
}

/** Every object anywhere in the card (headers, texts, behaviors included). */
export function objects(node: unknown): Obj[] {
  if (Array.isArray(node)) return node.flatMap(objects);
  if (!isObj(node)) return [];
  return [node, ...Object.values(node).flatMap(objects)];
}

/** Our rules for a Feishu card; an empty list when the card follows all of them. */
export function designProblems(card: unknown): string[] {
  const problems: string[] = [];
  const fake = cardProblem(card);
  if (fake) problems.push(`fake Feishu refuses it: ${fake}`);
  if (!isObj(card)) return ["not an object"];
  if (card.schema !== "2.0") problems.push('schema is not "2.0"');
  if (!isObj(card.config) || card.config.update_multi !== true)
    problems.push("config.update_multi is not true");
  const header = isObj(card.header) ? card.header : undefined;
  if (header && (!isObj(header.title) || header.title.tag !== "plain_text")) {
    problems.push("header.title is not plain_text");
  }
  if (header && (typeof header.template !== "string" || header.template === "")) {
    problems.push("header.template (colour) is empty");
  }
  const all = components(card);
  if (all.length > MAX_ELEMENTS) problems.push(`${all.length} elements (max ${MAX_ELEMENTS})`);
  const bytes = Buffer.byteLength(JSON.stringify(card), "utf8");
  if (bytes > MAX_BYTES) problems.push(`${bytes} bytes (max ${MAX_BYTES})`);
  const names = new Set<string>();
  for (const { el, depth, inForm } of all) {
    if (el.tag === "action") problems.push('legacy 1.0 "action" tag');
    if (el.tag === "form" && (depth !== 0 || inForm)) problems.push("form not at the root of body.elements");
    if (typeof el.name === "string") {
      if (names.has(el.name)) problems.push(`duplicate name "${el.name}"`);
      names.add(el.name);
    }
    if (inForm && ["input", "multi_select_static", "select_static", "button"].includes(String(el.tag))) {
      if (el.tag !== "button" || "form_action_type" in el) {
        if (typeof el.name !== "string" || el.name === "")
          problems.push(`${String(el.tag)} in a form has no name`);
      }
    }
    if (el.tag === "button") {
      const behaviors = Array.isArray(el.behaviors) ? el.behaviors : [];
      const values = behaviors.filter((b) => isObj(b) && b.type === "callback").map((b) => (b as Obj).value);
      if (values.length === 0 || !values.every((v) => isObj(v) && Object.keys(v).length > 0)) {
        problems.push(`button ${String(el.name ?? "")} has no callback value`);
      }
    }
  }
  for (const o of objects(card)) {
    if (o.tag === "action") problems.push('legacy 1.0 "action" tag');
    if ("$if" in o || "$unless" in o || "$each" in o) problems.push("template directive left in the card");
  }
  for (const s of strings(card)) {
    if (/\{\{.*\}\}/.test(s.value))
      problems.push(`unfilled placeholder in ${s.key}: ${s.value.slice(0, 40)}`);
  }
  return [...new Set(problems)];
}
