import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A person is one human; identities are their accounts on each platform (one person, many platforms). */
export const people = sqliteTable("people", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const identities = sqliteTable(
  "identities",
  {
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    name: text("name").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] }), index("identities_person").on(t.personId)],
);

export const roleGrants = sqliteTable(
  "role_grants",
  {
    personId: integer("person_id")
      .notNull()
      .references(() => people.id),
    role: text("role").notNull(),
    grantedBy: integer("granted_by"),
    grantedAt: integer("granted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] }), index("role_grants_role").on(t.role)],
);

export const stores = sqliteTable(
  "stores",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("stores_name").on(t.name)],
);

/** A chat bound to a purpose (ops / crisis / feedback / cs / management) by `/bind`. */
export const groupBindings = sqliteTable(
  "group_bindings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    chatId: text("chat_id").notNull(),
    purpose: text("purpose").notNull(),
    storeId: integer("store_id").references(() => stores.id),
    boundBy: integer("bound_by"),
    boundAt: integer("bound_at").notNull(),
  },
  (t) => [uniqueIndex("group_bindings_chat_purpose").on(t.platform, t.chatId, t.purpose)],
);
