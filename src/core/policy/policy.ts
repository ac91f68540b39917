import { eq } from "drizzle-orm";
import type { Clock } from "../../clock.ts";
import type { Db } from "../../store/db.ts";
import { arg, prepared } from "../../store/prepared.ts";
import { policyOverrides } from "../../store/schema/index.ts";
import { parseDuration } from "../time.ts";
import { UserError } from "../types.ts";
import { type RuleDef, ruleDefs, validateRuleValue } from "./rules.ts";
import { ruleName } from "./words.ts";

export interface RuleValue extends RuleDef {
  value: string;
  overridden: boolean;
}

const overrideOf = prepared((db) =>
  db
    .select({ value: policyOverrides.value })
    .from(policyOverrides)
    .where(eq(policyOverrides.key, arg("key")))
    .prepare(),
);

type ChangeListener = (key: string, value: string) => void;

/**
 * Current rule values: the data-file default unless an admin changed it. Read on every use (one indexed
 * lookup), so a change applies at once without a restart (docs/user-guide/admin.md).
 */
export class Policy {
  private readonly listeners: ChangeListener[] = [];
  private textChoices = new Map<string, string[]>();
  private choiceLabels = new Map<string, Record<string, string>>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Allowed values for a text rule (e.g. the chain names for review.chain). */
  setChoices(key: string, choices: string[], labels?: Record<string, string>): void {
    this.textChoices.set(key, choices);
    if (labels) this.choiceLabels.set(key, labels);
  }

  /** How each allowed value of a text rule is shown (the chain "default" as 内容审核（《制度》第八条）). */
  labelsOf(key: string): Record<string, string> | undefined {
    return this.choiceLabels.get(key);
  }

  /** The allowed values of a text rule, if it has a fixed set. */
  choices(key: string): string[] | undefined {
    return this.textChoices.get(key);
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  def(key: string): RuleDef | undefined {
    return ruleDefs.find((r) => r.key === key);
  }

  get(key: string): string {
    const def = this.def(key);
    if (!def) throw new Error(`unknown policy key ${key}`);
    const row = overrideOf(this.db).get({ key });
    return row?.value ?? def.default;
  }

  durationMs(key: string): number {
    const ms = parseDuration(this.get(key));
    if (ms === undefined) throw new Error(`policy ${key} is not a duration`);
    return ms;
  }

  count(key: string): number {
    return Number(this.get(key));
  }

  list(): RuleValue[] {
    const rows = this.db.select().from(policyOverrides).all();
    const over = new Map(rows.map((r) => [r.key, r.value]));
    return ruleDefs.map((d) => ({ ...d, value: over.get(d.key) ?? d.default, overridden: over.has(d.key) }));
  }

  /** Validates and stores a new value; returns the old one. Throws UserError with the reason. */
  set(key: string, value: string, by: number): { old: string; def: RuleDef } {
    const def = this.def(key);
    if (!def) throw new UserError(`没有规则「${key}」。发送 /policy 查看全部规则`);
    const choices = this.textChoices.get(key);
    const labels = this.choiceLabels.get(key);
    const shown = choices && labels ? choices.map((c) => labels[c] ?? c) : choices;
    const problem = validateRuleValue(def, value, choices, shown);
    if (problem) throw new UserError(`「${ruleName(def)}」：${problem}`);
    const old = this.get(key);
    this.db
      .insert(policyOverrides)
      .values({ key, value, updatedBy: by, updatedAt: this.clock.now() })
      .onConflictDoUpdate({
        target: policyOverrides.key,
        set: { value, updatedBy: by, updatedAt: this.clock.now() },
      })
      .run();
    for (const l of this.listeners) l(key, value);
    return { old, def };
  }
}
