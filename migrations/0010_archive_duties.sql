-- Archive capture triggers of the duty tables (上岗考核, 每日抽查, 整改通知, 危机演练), from
-- npx tsx scripts/archive-triggers.ts exam_attempts spot_checks rectifications rectification_events crisis_drills drill_acks
DROP TRIGGER IF EXISTS archive_exam_attempts_insert;
--> statement-breakpoint
CREATE TRIGGER archive_exam_attempts_insert AFTER INSERT ON exam_attempts
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'exam_attempts', 'insert', 'duty:exam:' || NEW.person_id, 'standard',
    json_object('id', NEW.id, 'person_id', NEW.person_id, 'kind', NEW.kind, 'questions', NEW.questions, 'answers', NEW.answers, 'total', NEW.total, 'correct', NEW.correct, 'pass_pct', NEW.pass_pct, 'status', NEW.status, 'started_at', NEW.started_at, 'finished_at', NEW.finished_at, 'recorded_by', NEW.recorded_by, 'note', NEW.note));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_exam_attempts_update;
--> statement-breakpoint
CREATE TRIGGER archive_exam_attempts_update AFTER UPDATE ON exam_attempts
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'exam_attempts', 'update', 'duty:exam:' || NEW.person_id, 'standard',
    json_object('id', NEW.id, 'person_id', NEW.person_id, 'kind', NEW.kind, 'questions', NEW.questions, 'answers', NEW.answers, 'total', NEW.total, 'correct', NEW.correct, 'pass_pct', NEW.pass_pct, 'status', NEW.status, 'started_at', NEW.started_at, 'finished_at', NEW.finished_at, 'recorded_by', NEW.recorded_by, 'note', NEW.note));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_spot_checks_insert;
--> statement-breakpoint
CREATE TRIGGER archive_spot_checks_insert AFTER INSERT ON spot_checks
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'spot_checks', 'insert', 'duty:S-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'day', NEW.day, 'kind', NEW.kind, 'item_id', NEW.item_id, 'owner_id', NEW.owner_id, 'source', NEW.source, 'requested_by', NEW.requested_by, 'status', NEW.status, 'reason', NEW.reason, 'checker_id', NEW.checker_id, 'rectification_id', NEW.rectification_id, 'created_at', NEW.created_at, 'decided_at', NEW.decided_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_spot_checks_update;
--> statement-breakpoint
CREATE TRIGGER archive_spot_checks_update AFTER UPDATE ON spot_checks
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'spot_checks', 'update', 'duty:S-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'day', NEW.day, 'kind', NEW.kind, 'item_id', NEW.item_id, 'owner_id', NEW.owner_id, 'source', NEW.source, 'requested_by', NEW.requested_by, 'status', NEW.status, 'reason', NEW.reason, 'checker_id', NEW.checker_id, 'rectification_id', NEW.rectification_id, 'created_at', NEW.created_at, 'decided_at', NEW.decided_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_rectifications_insert;
--> statement-breakpoint
CREATE TRIGGER archive_rectifications_insert AFTER INSERT ON rectifications
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'rectifications', 'insert', 'duty:R-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'owner_id', NEW.owner_id, 'issuer_id', NEW.issuer_id, 'matter', NEW.matter, 'spot_check_id', NEW.spot_check_id, 'status', NEW.status, 'due_at', NEW.due_at, 'done_at', NEW.done_at, 'done_note', NEW.done_note, 'confirmed_at', NEW.confirmed_at, 'reopened', NEW.reopened, 'breached_at', NEW.breached_at, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_rectifications_update;
--> statement-breakpoint
CREATE TRIGGER archive_rectifications_update AFTER UPDATE ON rectifications
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'rectifications', 'update', 'duty:R-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'owner_id', NEW.owner_id, 'issuer_id', NEW.issuer_id, 'matter', NEW.matter, 'spot_check_id', NEW.spot_check_id, 'status', NEW.status, 'due_at', NEW.due_at, 'done_at', NEW.done_at, 'done_note', NEW.done_note, 'confirmed_at', NEW.confirmed_at, 'reopened', NEW.reopened, 'breached_at', NEW.breached_at, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_rectification_events_insert;
--> statement-breakpoint
CREATE TRIGGER archive_rectification_events_insert AFTER INSERT ON rectification_events
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'rectification_events', 'insert', 'duty:R-' || NEW.rectification_id, 'standard',
    json_object('id', NEW.id, 'rectification_id', NEW.rectification_id, 'type', NEW.type, 'actor_id', NEW.actor_id, 'detail', NEW.detail, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_crisis_drills_insert;
--> statement-breakpoint
CREATE TRIGGER archive_crisis_drills_insert AFTER INSERT ON crisis_drills
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'crisis_drills', 'insert', 'crisis:C-' || NEW.crisis_id, 'permanent',
    json_object('crisis_id', NEW.crisis_id, 'note', NEW.note, 'started_by', NEW.started_by, 'started_at', NEW.started_at, 'ended_at', NEW.ended_at, 'report', NEW.report));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_crisis_drills_update;
--> statement-breakpoint
CREATE TRIGGER archive_crisis_drills_update AFTER UPDATE ON crisis_drills
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'crisis_drills', 'update', 'crisis:C-' || NEW.crisis_id, 'permanent',
    json_object('crisis_id', NEW.crisis_id, 'note', NEW.note, 'started_by', NEW.started_by, 'started_at', NEW.started_at, 'ended_at', NEW.ended_at, 'report', NEW.report));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_drill_acks_insert;
--> statement-breakpoint
CREATE TRIGGER archive_drill_acks_insert AFTER INSERT ON drill_acks
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'drill_acks', 'insert', 'crisis:C-' || NEW.crisis_id, 'permanent',
    json_object('crisis_id', NEW.crisis_id, 'person_id', NEW.person_id, 'at', NEW.at));
END;
