import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Admin overrides of the rule numbers in policy/rules.json (`/policy set`, docs/user-guide/admin.md). Defaults stay in the file. */
export const policyOverrides = sqliteTable("policy_overrides", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedBy: integer("updated_by"),
  updatedAt: integer("updated_at").notNull(),
});
