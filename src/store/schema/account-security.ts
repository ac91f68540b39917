import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { people } from "./people.ts";
import { accounts } from "./sla.ts";

/**
 * 账号安全 (seeds/000 第七条(三) 账号管理台账「认证状态」; 第九条(四) 定期检查登录记录、异常登录及时修改
 * 密码并上报). Next to the account ledger (`accounts`), never a password.
 */

/** One row per account: its 认证状态 and when its owner last confirmed the login records were checked. */
export const accountSecurity = sqliteTable("account_security", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => accounts.id),
  /** One of policy/accounts.json `certification` (已认证, 认证中, 未认证, 已过期). */
  certification: text("certification").notNull(),
  loginCheckedAt: integer("login_checked_at"),
  loginCheckedBy: integer("login_checked_by").references(() => people.id),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * An abnormal login reported with `/account incident` (`A-n`): the 市场部门负责人 is told, the password
 * must be changed within `account.incident.rotate` (24 h). `rotatedAt` is set by `/account rotated`.
 */
export const accountIncidents = sqliteTable(
  "account_incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    reporterId: integer("reporter_id")
      .notNull()
      .references(() => people.id),
    note: text("note").notNull(),
    createdAt: integer("created_at").notNull(),
    dueAt: integer("due_at").notNull(),
    rotatedAt: integer("rotated_at"),
    breachedAt: integer("breached_at"),
  },
  (t) => [index("account_incidents_account").on(t.accountId)],
);
