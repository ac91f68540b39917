/**
 * Card JSON 2.0 rules (docs/platforms.md → 飞书 → Cards). Real Feishu still accepts 1.0 cards
 * for sending, but this project only sends 2.0 (card-callback answers must stay 2.0, error 200830), so the
 * fake refuses anything else to catch a 1.0 card before production does.
 */

export const MAX_CARD_ELEMENTS = 200;
/** Card / post body ≤ 30 KB; text ≤ 150 KB (230025). */
export const MAX_CARD_BYTES = 30 * 1024;
export const MAX_TEXT_BYTES = 150 * 1024;
const MAX_INPUT_LENGTH = 1000;

/** Components that carry a value into `action.form_value`: inside a form each needs a `name`. */
const FORM_FIELDS = new Set([
  "input",
  "select_static",
  "multi_select_static",
  "select_person",
  "multi_select_person",
  "date_picker",
  "picker_time",
  "picker_datetime",
  "checker",
  "select_img",
]);

/** Keys under which 2.0 containers nest child components. */
const CHILD_KEYS = ["elements", "columns"] as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Why the card is not a valid JSON 2.0 card, or undefined when it is. */
export function cardProblem(card: unknown): string | undefined {
  if (!isObj(card)) return "card must be a JSON object";
  if (card.schema !== "2.0") return 'card must be JSON 2.0 (schema: "2.0")';
  const body = card.body;
  if (!isObj(body) || !Array.isArray(body.elements)) return "card body.elements must be an array";

  const walk = { count: 0, names: new Set<string>(), problem: undefined as string | undefined };
  for (const el of body.elements) {
    visit(el, { root: true, inForm: false }, walk);
    if (walk.problem) return walk.problem;
  }
  if (walk.count > MAX_CARD_ELEMENTS) return `card has ${walk.count} elements (max ${MAX_CARD_ELEMENTS})`;
  return undefined;
}

interface Where {
  root: boolean;
  inForm: boolean;
}

interface Walk {
  count: number;
  names: Set<string>;
  problem: string | undefined;
}

function visit(el: unknown, where: Where, walk: Walk): void {
  if (walk.problem) return;
  if (!isObj(el) || typeof el.tag !== "string") {
    walk.problem = "every element must be an object with a string tag";
    return;
  }
  walk.count += 1;
  const tag = el.tag;
  if (tag === "action") {
    walk.problem = 'the 1.0 "action" module does not exist in card JSON 2.0';
    return;
  }
  if (tag === "form") {
    if (!where.root || where.inForm) {
      walk.problem = "form must be at the root of body.elements";
      return;
    }
    if (typeof el.name !== "string" || el.name === "") {
      walk.problem = "form needs a name";
      return;
    }
  }
  if (tag === "input" && typeof el.max_length === "number" && el.max_length > MAX_INPUT_LENGTH) {
    walk.problem = `input max_length must be ≤ ${MAX_INPUT_LENGTH}`;
    return;
  }
  const needsName = where.inForm && (FORM_FIELDS.has(tag) || (tag === "button" && "form_action_type" in el));
  if (needsName && (typeof el.name !== "string" || el.name === "")) {
    walk.problem = `${tag} inside a form needs a name`;
    return;
  }
  // Component names are card-unique (form fields are read back by name from action.form_value).
  if (typeof el.name === "string" && el.name !== "") {
    if (walk.names.has(el.name)) {
      walk.problem = `duplicate component name "${el.name}"`;
      return;
    }
    walk.names.add(el.name);
  }
  const inner: Where = { root: false, inForm: where.inForm || tag === "form" };
  for (const key of CHILD_KEYS) {
    const children = el[key];
    if (Array.isArray(children)) for (const c of children) visit(c, inner, walk);
  }
}

/**
 * PATCH needs a shared card before and after: `config.update_multi: true`, which JSON 2.0 cards
 * always are.
 */
export function isSharedCard(card: unknown): boolean {
  if (!isObj(card)) return false;
  if (card.schema === "2.0") return true;
  return isObj(card.config) && card.config.update_multi === true;
}
