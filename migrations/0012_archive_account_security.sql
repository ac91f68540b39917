-- Archive capture triggers of the account-security tables (异常登录上报, 账号安全核查), from
-- npx tsx scripts/archive-triggers.ts account_incidents account_security
DROP TRIGGER IF EXISTS archive_account_incidents_insert;
--> statement-breakpoint
CREATE TRIGGER archive_account_incidents_insert AFTER INSERT ON account_incidents
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'account_incidents', 'insert', 'duty:A-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'account_id', NEW.account_id, 'reporter_id', NEW.reporter_id, 'note', NEW.note, 'created_at', NEW.created_at, 'due_at', NEW.due_at, 'rotated_at', NEW.rotated_at, 'breached_at', NEW.breached_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_account_incidents_update;
--> statement-breakpoint
CREATE TRIGGER archive_account_incidents_update AFTER UPDATE ON account_incidents
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'account_incidents', 'update', 'duty:A-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'account_id', NEW.account_id, 'reporter_id', NEW.reporter_id, 'note', NEW.note, 'created_at', NEW.created_at, 'due_at', NEW.due_at, 'rotated_at', NEW.rotated_at, 'breached_at', NEW.breached_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_account_security_insert;
--> statement-breakpoint
CREATE TRIGGER archive_account_security_insert AFTER INSERT ON account_security
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'account_security', 'insert', 'duty:account:' || NEW.account_id, 'standard',
    json_object('account_id', NEW.account_id, 'certification', NEW.certification, 'login_checked_at', NEW.login_checked_at, 'login_checked_by', NEW.login_checked_by, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_account_security_update;
--> statement-breakpoint
CREATE TRIGGER archive_account_security_update AFTER UPDATE ON account_security
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'account_security', 'update', 'duty:account:' || NEW.account_id, 'standard',
    json_object('account_id', NEW.account_id, 'certification', NEW.certification, 'login_checked_at', NEW.login_checked_at, 'login_checked_by', NEW.login_checked_by, 'updated_at', NEW.updated_at));
END;
