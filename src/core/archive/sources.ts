/**
 * What the archive copies (docs/archive.md): one entry per table. The triggers in migrations/*_archive_triggers.sql
 * are generated from this list by `scripts/archive-triggers.ts`; the verifier checks they are all present.
 * `scope` and `retention` are SQL expressions over NEW (the row being written).
 */
export interface ArchiveSource {
  table: string;
  /** What people see in search results. */
  label: string;
  /** insert only for append-only tables; insert and update for rows that change (snapshots). */
  ops: ("insert" | "update")[];
  scope: string;
  retention?: string;
  /** The row's own time column, used when rows that existed before the archive are copied in once. */
  time: string;
}

export const ARCHIVE_SOURCES: ArchiveSource[] = [
  // 审核台账 and published-content snapshots
  { table: "content_items", label: "内容", ops: ["insert", "update"], scope: "'review:#' || NEW.id", time: "updated_at" },
  { table: "revisions", label: "内容版本", ops: ["insert"], scope: "'review:#' || NEW.item_id", time: "submitted_at" },
  { table: "review_events", label: "审核记录", ops: ["insert"], scope: "'review:#' || NEW.item_id", time: "at" },
  { table: "publications", label: "发布记录", ops: ["insert", "update"], scope: "'review:#' || NEW.item_id", time: "published_at" },
  // 互动记录
  { table: "tickets", label: "工单", ops: ["insert", "update"], scope: "'ticket:T-' || NEW.id", time: "created_at" },
  { table: "ticket_events", label: "工单记录", ops: ["insert"], scope: "'ticket:T-' || NEW.ticket_id", time: "at" },
  // 危机处置记录: permanent (第十二条(三))
  { table: "crises", label: "危机", ops: ["insert", "update"], scope: "'crisis:C-' || NEW.id", retention: "'permanent'", time: "updated_at" },
  { table: "crisis_events", label: "危机时间线", ops: ["insert"], scope: "'crisis:C-' || NEW.crisis_id", retention: "'permanent'", time: "at" },
  { table: "crisis_evidence", label: "危机证据", ops: ["insert"], scope: "'crisis:C-' || NEW.crisis_id", retention: "'permanent'", time: "at" },
  // 运营数据台账 and 周月报
  { table: "metric_changes", label: "数据变更", ops: ["insert"], scope: "'metric:' || NEW.subject", time: "changed_at" },
  { table: "reports_sent", label: "报表", ops: ["insert"], scope: "'report:' || NEW.kind || ':' || NEW.period", time: "created_at" },
  // rules and admin actions
  { table: "policy_overrides", label: "规则修改", ops: ["insert", "update"], scope: "'policy:' || NEW.key", time: "updated_at" },
  { table: "audit_log", label: "操作日志", ops: ["insert"], scope: "'audit:' || NEW.action", time: "at" },
  // the archive's own records: requests, reads, marks
  { table: "archive_requests", label: "档案查阅申请", ops: ["insert", "update"], scope: "'archive:request'", time: "requested_at" },
  { table: "archive_access_log", label: "档案查阅记录", ops: ["insert"], scope: "'archive:access'", time: "at" },
  { table: "archive_marks", label: "永久保管标记", ops: ["insert"], scope: "'archive:mark'", retention: "'permanent'", time: "marked_at" },
  // 培训考核、监督检查 (第十三条、第十四条): exam attempts, spot checks, rectification notices and their record
  { table: "exam_attempts", label: "上岗考核", ops: ["insert", "update"], scope: "'duty:exam:' || NEW.person_id", time: "started_at" },
  { table: "spot_checks", label: "每日抽查", ops: ["insert", "update"], scope: "'duty:S-' || NEW.id", time: "created_at" },
  { table: "rectifications", label: "整改通知", ops: ["insert", "update"], scope: "'duty:R-' || NEW.id", time: "updated_at" },
  { table: "rectification_events", label: "整改记录", ops: ["insert"], scope: "'duty:R-' || NEW.rectification_id", time: "at" },
  // 危机演练: kept with the crisis row it ran on, permanently like every crisis record
  { table: "crisis_drills", label: "危机演练", ops: ["insert", "update"], scope: "'crisis:C-' || NEW.crisis_id", retention: "'permanent'", time: "started_at" },
  { table: "drill_acks", label: "演练收到记录", ops: ["insert"], scope: "'crisis:C-' || NEW.crisis_id", retention: "'permanent'", time: "at" },
  // 账号安全 (第九条(四)): abnormal logins and each account's 认证状态 and login-record checks
  { table: "account_incidents", label: "异常登录上报", ops: ["insert", "update"], scope: "'duty:A-' || NEW.id", time: "created_at" },
  { table: "account_security", label: "账号安全核查", ops: ["insert", "update"], scope: "'duty:account:' || NEW.account_id", time: "updated_at" },
]; // biome-ignore format: one table per line reads as a table

/** The kind of a retention job's note (an anchor that lets the verifier bridge the purged ids). */
export const PURGE_KIND = "archive_purge";

export const KIND_LABEL: Record<string, string> = {
  ...Object.fromEntries(ARCHIVE_SOURCES.map((s) => [s.table, s.label])),
  [PURGE_KIND]: "到期清理记录",
};

export const triggerName = (table: string, op: string) => `archive_${table}_${op}`;
