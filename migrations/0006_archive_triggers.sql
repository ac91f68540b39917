CREATE TRIGGER archive_records_chain AFTER INSERT ON archive_records
BEGIN
  UPDATE archive_records
  SET prev_hash = p.h,
      hash = sha256(p.h || json_array(NEW.id, NEW.at, NEW.kind, NEW.op, NEW.scope, NEW.retention, NEW.content || ''))
  FROM (SELECT coalesce((SELECT hash FROM archive_records WHERE id < NEW.id ORDER BY id DESC LIMIT 1), '0000000000000000000000000000000000000000000000000000000000000000') AS h) AS p
  WHERE archive_records.id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER archive_records_append_only BEFORE UPDATE ON archive_records
WHEN OLD.hash IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'archive_records is append-only: an archived record is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER archive_records_purge_only BEFORE DELETE ON archive_records
WHEN NOT EXISTS (SELECT 1 FROM archive_purge_permit p WHERE OLD.retention = 'standard' AND OLD.at < p.cutoff)
  OR OLD.scope IN (SELECT scope FROM archive_marks)
BEGIN
  SELECT RAISE(ABORT, 'archive_records: only the retention job deletes, and only expired non-permanent records');
END;
--> statement-breakpoint
CREATE TRIGGER archive_marks_append_only BEFORE UPDATE ON archive_marks
BEGIN
  SELECT RAISE(ABORT, 'archive_marks: a permanent mark is never changed');
END;
--> statement-breakpoint
CREATE TRIGGER archive_marks_no_delete BEFORE DELETE ON archive_marks
BEGIN
  SELECT RAISE(ABORT, 'archive_marks: a permanent mark is never removed');
END;
--> statement-breakpoint
CREATE TRIGGER archive_access_log_append_only BEFORE UPDATE ON archive_access_log
BEGIN
  SELECT RAISE(ABORT, 'archive_access_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER archive_access_log_no_delete BEFORE DELETE ON archive_access_log
BEGIN
  SELECT RAISE(ABORT, 'archive_access_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER archive_mark_crisis_ticket AFTER INSERT ON crises
WHEN NEW.ticket_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO archive_marks (scope, level, reason, marked_by, marked_at)
  VALUES ('ticket:T-' || NEW.ticket_id, '危机', '危机 C-' || NEW.id || ' 的来源工单', NULL, CAST(bot_now() AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER archive_mark_crisis_ticket_update AFTER UPDATE OF ticket_id ON crises
WHEN NEW.ticket_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO archive_marks (scope, level, reason, marked_by, marked_at)
  VALUES ('ticket:T-' || NEW.ticket_id, '危机', '危机 C-' || NEW.id || ' 的来源工单', NULL, CAST(bot_now() AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER archive_mark_crisis_statement AFTER UPDATE OF statement_item_id ON crises
WHEN NEW.statement_item_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO archive_marks (scope, level, reason, marked_by, marked_at)
  VALUES ('review:#' || NEW.statement_item_id, '危机', '危机 C-' || NEW.id || ' 的官方声明', NULL, CAST(bot_now() AS INTEGER));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_content_items_insert;
--> statement-breakpoint
CREATE TRIGGER archive_content_items_insert AFTER INSERT ON content_items
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'content_items', 'insert', 'review:#' || NEW.id, 'standard',
    json_object('id', NEW.id, 'kind', NEW.kind, 'chain', NEW.chain, 'title', NEW.title, 'platforms', NEW.platforms, 'author_id', NEW.author_id, 'is_ad', NEW.is_ad, 'is_sensitive', NEW.is_sensitive, 'planned_at', NEW.planned_at, 'status', NEW.status, 'revision', NEW.revision, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'finished_at', NEW.finished_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_content_items_update;
--> statement-breakpoint
CREATE TRIGGER archive_content_items_update AFTER UPDATE ON content_items
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'content_items', 'update', 'review:#' || NEW.id, 'standard',
    json_object('id', NEW.id, 'kind', NEW.kind, 'chain', NEW.chain, 'title', NEW.title, 'platforms', NEW.platforms, 'author_id', NEW.author_id, 'is_ad', NEW.is_ad, 'is_sensitive', NEW.is_sensitive, 'planned_at', NEW.planned_at, 'status', NEW.status, 'revision', NEW.revision, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at, 'finished_at', NEW.finished_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_revisions_insert;
--> statement-breakpoint
CREATE TRIGGER archive_revisions_insert AFTER INSERT ON revisions
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'revisions', 'insert', 'review:#' || NEW.item_id, 'standard',
    json_object('item_id', NEW.item_id, 'revision', NEW.revision, 'body', NEW.body, 'findings', NEW.findings, 'submitted_at', NEW.submitted_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_review_events_insert;
--> statement-breakpoint
CREATE TRIGGER archive_review_events_insert AFTER INSERT ON review_events
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'review_events', 'insert', 'review:#' || NEW.item_id, 'standard',
    json_object('id', NEW.id, 'item_id', NEW.item_id, 'revision', NEW.revision, 'type', NEW.type, 'actor_id', NEW.actor_id, 'step_key', NEW.step_key, 'opinion', NEW.opinion, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_publications_insert;
--> statement-breakpoint
CREATE TRIGGER archive_publications_insert AFTER INSERT ON publications
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'publications', 'insert', 'review:#' || NEW.item_id, 'standard',
    json_object('item_id', NEW.item_id, 'platform', NEW.platform, 'published_at', NEW.published_at, 'link', NEW.link, 'published_by', NEW.published_by));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_publications_update;
--> statement-breakpoint
CREATE TRIGGER archive_publications_update AFTER UPDATE ON publications
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'publications', 'update', 'review:#' || NEW.item_id, 'standard',
    json_object('item_id', NEW.item_id, 'platform', NEW.platform, 'published_at', NEW.published_at, 'link', NEW.link, 'published_by', NEW.published_by));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_tickets_insert;
--> statement-breakpoint
CREATE TRIGGER archive_tickets_insert AFTER INSERT ON tickets
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'tickets', 'insert', 'ticket:T-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'store_id', NEW.store_id, 'text', NEW.text, 'sentiment', NEW.sentiment, 'reasons', NEW.reasons, 'category', NEW.category, 'source', NEW.source, 'severe', NEW.severe, 'tags', NEW.tags, 'reporter_id', NEW.reporter_id, 'platform', NEW.platform, 'chat_id', NEW.chat_id, 'status', NEW.status, 'owner_id', NEW.owner_id, 'created_at', NEW.created_at, 'due_at', NEW.due_at, 'breached_at', NEW.breached_at, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'note', NEW.note));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_tickets_update;
--> statement-breakpoint
CREATE TRIGGER archive_tickets_update AFTER UPDATE ON tickets
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'tickets', 'update', 'ticket:T-' || NEW.id, 'standard',
    json_object('id', NEW.id, 'store_id', NEW.store_id, 'text', NEW.text, 'sentiment', NEW.sentiment, 'reasons', NEW.reasons, 'category', NEW.category, 'source', NEW.source, 'severe', NEW.severe, 'tags', NEW.tags, 'reporter_id', NEW.reporter_id, 'platform', NEW.platform, 'chat_id', NEW.chat_id, 'status', NEW.status, 'owner_id', NEW.owner_id, 'created_at', NEW.created_at, 'due_at', NEW.due_at, 'breached_at', NEW.breached_at, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'note', NEW.note));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_ticket_events_insert;
--> statement-breakpoint
CREATE TRIGGER archive_ticket_events_insert AFTER INSERT ON ticket_events
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'ticket_events', 'insert', 'ticket:T-' || NEW.ticket_id, 'standard',
    json_object('id', NEW.id, 'ticket_id', NEW.ticket_id, 'type', NEW.type, 'actor_id', NEW.actor_id, 'note', NEW.note, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_crises_insert;
--> statement-breakpoint
CREATE TRIGGER archive_crises_insert AFTER INSERT ON crises
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'crises', 'insert', 'crisis:C-' || NEW.id, 'permanent',
    json_object('id', NEW.id, 'tier', NEW.tier, 'description', NEW.description, 'stage', NEW.stage, 'reporter_id', NEW.reporter_id, 'discovered_at', NEW.discovered_at, 'reported_at', NEW.reported_at, 'report_window_ms', NEW.report_window_ms, 'report_late_ms', NEW.report_late_ms, 'source', NEW.source, 'ticket_id', NEW.ticket_id, 'store', NEW.store, 'lead_id', NEW.lead_id, 'acked_at', NEW.acked_at, 'paged_at', NEW.paged_at, 'pages', NEW.pages, 'escalated', NEW.escalated, 'contain_notified', NEW.contain_notified, 'contained_at', NEW.contained_at, 'statement_item_id', NEW.statement_item_id, 'statement_published_at', NEW.statement_published_at, 'statement_published_by', NEW.statement_published_by, 'statement_link', NEW.statement_link, 'summary', NEW.summary, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_crises_update;
--> statement-breakpoint
CREATE TRIGGER archive_crises_update AFTER UPDATE ON crises
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'crises', 'update', 'crisis:C-' || NEW.id, 'permanent',
    json_object('id', NEW.id, 'tier', NEW.tier, 'description', NEW.description, 'stage', NEW.stage, 'reporter_id', NEW.reporter_id, 'discovered_at', NEW.discovered_at, 'reported_at', NEW.reported_at, 'report_window_ms', NEW.report_window_ms, 'report_late_ms', NEW.report_late_ms, 'source', NEW.source, 'ticket_id', NEW.ticket_id, 'store', NEW.store, 'lead_id', NEW.lead_id, 'acked_at', NEW.acked_at, 'paged_at', NEW.paged_at, 'pages', NEW.pages, 'escalated', NEW.escalated, 'contain_notified', NEW.contain_notified, 'contained_at', NEW.contained_at, 'statement_item_id', NEW.statement_item_id, 'statement_published_at', NEW.statement_published_at, 'statement_published_by', NEW.statement_published_by, 'statement_link', NEW.statement_link, 'summary', NEW.summary, 'closed_at', NEW.closed_at, 'closed_by', NEW.closed_by, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_crisis_events_insert;
--> statement-breakpoint
CREATE TRIGGER archive_crisis_events_insert AFTER INSERT ON crisis_events
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'crisis_events', 'insert', 'crisis:C-' || NEW.crisis_id, 'permanent',
    json_object('id', NEW.id, 'crisis_id', NEW.crisis_id, 'type', NEW.type, 'actor_id', NEW.actor_id, 'detail', NEW.detail, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_crisis_evidence_insert;
--> statement-breakpoint
CREATE TRIGGER archive_crisis_evidence_insert AFTER INSERT ON crisis_evidence
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'crisis_evidence', 'insert', 'crisis:C-' || NEW.crisis_id, 'permanent',
    json_object('id', NEW.id, 'crisis_id', NEW.crisis_id, 'person_id', NEW.person_id, 'platform', NEW.platform, 'image_key', NEW.image_key, 'message_id', NEW.message_id, 'note', NEW.note, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_metric_changes_insert;
--> statement-breakpoint
CREATE TRIGGER archive_metric_changes_insert AFTER INSERT ON metric_changes
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'metric_changes', 'insert', 'metric:' || NEW.subject, 'standard',
    json_object('id', NEW.id, 'subject', NEW.subject, 'day', NEW.day, 'key', NEW.key, 'old_value', NEW.old_value, 'new_value', NEW.new_value, 'changed_by', NEW.changed_by, 'changed_at', NEW.changed_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_reports_sent_insert;
--> statement-breakpoint
CREATE TRIGGER archive_reports_sent_insert AFTER INSERT ON reports_sent
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'reports_sent', 'insert', 'report:' || NEW.kind || ':' || NEW.period, 'standard',
    json_object('id', NEW.id, 'kind', NEW.kind, 'period', NEW.period, 'trigger', NEW.trigger, 'requested_by', NEW.requested_by, 'text', NEW.text, 'created_at', NEW.created_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_policy_overrides_insert;
--> statement-breakpoint
CREATE TRIGGER archive_policy_overrides_insert AFTER INSERT ON policy_overrides
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'policy_overrides', 'insert', 'policy:' || NEW.key, 'standard',
    json_object('key', NEW.key, 'value', NEW.value, 'updated_by', NEW.updated_by, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_policy_overrides_update;
--> statement-breakpoint
CREATE TRIGGER archive_policy_overrides_update AFTER UPDATE ON policy_overrides
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'policy_overrides', 'update', 'policy:' || NEW.key, 'standard',
    json_object('key', NEW.key, 'value', NEW.value, 'updated_by', NEW.updated_by, 'updated_at', NEW.updated_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_audit_log_insert;
--> statement-breakpoint
CREATE TRIGGER archive_audit_log_insert AFTER INSERT ON audit_log
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'audit_log', 'insert', 'audit:' || NEW.action, 'standard',
    json_object('id', NEW.id, 'actor_id', NEW.actor_id, 'action', NEW.action, 'detail', NEW.detail, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_archive_requests_insert;
--> statement-breakpoint
CREATE TRIGGER archive_archive_requests_insert AFTER INSERT ON archive_requests
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'archive_requests', 'insert', 'archive:request', 'standard',
    json_object('item_id', NEW.item_id, 'person_id', NEW.person_id, 'scope', NEW.scope, 'external', NEW.external, 'reason', NEW.reason, 'requested_at', NEW.requested_at, 'granted_at', NEW.granted_at, 'expires_at', NEW.expires_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_archive_requests_update;
--> statement-breakpoint
CREATE TRIGGER archive_archive_requests_update AFTER UPDATE ON archive_requests
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'archive_requests', 'update', 'archive:request', 'standard',
    json_object('item_id', NEW.item_id, 'person_id', NEW.person_id, 'scope', NEW.scope, 'external', NEW.external, 'reason', NEW.reason, 'requested_at', NEW.requested_at, 'granted_at', NEW.granted_at, 'expires_at', NEW.expires_at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_archive_access_log_insert;
--> statement-breakpoint
CREATE TRIGGER archive_archive_access_log_insert AFTER INSERT ON archive_access_log
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'archive_access_log', 'insert', 'archive:access', 'standard',
    json_object('id', NEW.id, 'person_id', NEW.person_id, 'action', NEW.action, 'query', NEW.query, 'scope', NEW.scope, 'basis', NEW.basis, 'request_item_id', NEW.request_item_id, 'results', NEW.results, 'at', NEW.at));
END;
--> statement-breakpoint
DROP TRIGGER IF EXISTS archive_archive_marks_insert;
--> statement-breakpoint
CREATE TRIGGER archive_archive_marks_insert AFTER INSERT ON archive_marks
BEGIN
  INSERT INTO archive_records (at, kind, op, scope, retention, content)
  VALUES (CAST(bot_now() AS INTEGER), 'archive_marks', 'insert', 'archive:mark', 'permanent',
    json_object('scope', NEW.scope, 'level', NEW.level, 'reason', NEW.reason, 'marked_by', NEW.marked_by, 'marked_at', NEW.marked_at));
END;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT updated_at, 'content_items', 'backfill', 'review:#' || id, 'standard',
  json_object('id', id, 'kind', kind, 'chain', chain, 'title', title, 'platforms', platforms, 'author_id', author_id, 'is_ad', is_ad, 'is_sensitive', is_sensitive, 'planned_at', planned_at, 'status', status, 'revision', revision, 'created_at', created_at, 'updated_at', updated_at, 'finished_at', finished_at)
FROM content_items ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT submitted_at, 'revisions', 'backfill', 'review:#' || item_id, 'standard',
  json_object('item_id', item_id, 'revision', revision, 'body', body, 'findings', findings, 'submitted_at', submitted_at)
FROM revisions ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT at, 'review_events', 'backfill', 'review:#' || item_id, 'standard',
  json_object('id', id, 'item_id', item_id, 'revision', revision, 'type', type, 'actor_id', actor_id, 'step_key', step_key, 'opinion', opinion, 'at', at)
FROM review_events ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT published_at, 'publications', 'backfill', 'review:#' || item_id, 'standard',
  json_object('item_id', item_id, 'platform', platform, 'published_at', published_at, 'link', link, 'published_by', published_by)
FROM publications ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT created_at, 'tickets', 'backfill', 'ticket:T-' || id, 'standard',
  json_object('id', id, 'store_id', store_id, 'text', text, 'sentiment', sentiment, 'reasons', reasons, 'category', category, 'source', source, 'severe', severe, 'tags', tags, 'reporter_id', reporter_id, 'platform', platform, 'chat_id', chat_id, 'status', status, 'owner_id', owner_id, 'created_at', created_at, 'due_at', due_at, 'breached_at', breached_at, 'closed_at', closed_at, 'closed_by', closed_by, 'note', note)
FROM tickets ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT at, 'ticket_events', 'backfill', 'ticket:T-' || ticket_id, 'standard',
  json_object('id', id, 'ticket_id', ticket_id, 'type', type, 'actor_id', actor_id, 'note', note, 'at', at)
FROM ticket_events ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT updated_at, 'crises', 'backfill', 'crisis:C-' || id, 'permanent',
  json_object('id', id, 'tier', tier, 'description', description, 'stage', stage, 'reporter_id', reporter_id, 'discovered_at', discovered_at, 'reported_at', reported_at, 'report_window_ms', report_window_ms, 'report_late_ms', report_late_ms, 'source', source, 'ticket_id', ticket_id, 'store', store, 'lead_id', lead_id, 'acked_at', acked_at, 'paged_at', paged_at, 'pages', pages, 'escalated', escalated, 'contain_notified', contain_notified, 'contained_at', contained_at, 'statement_item_id', statement_item_id, 'statement_published_at', statement_published_at, 'statement_published_by', statement_published_by, 'statement_link', statement_link, 'summary', summary, 'closed_at', closed_at, 'closed_by', closed_by, 'created_at', created_at, 'updated_at', updated_at)
FROM crises ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT at, 'crisis_events', 'backfill', 'crisis:C-' || crisis_id, 'permanent',
  json_object('id', id, 'crisis_id', crisis_id, 'type', type, 'actor_id', actor_id, 'detail', detail, 'at', at)
FROM crisis_events ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT at, 'crisis_evidence', 'backfill', 'crisis:C-' || crisis_id, 'permanent',
  json_object('id', id, 'crisis_id', crisis_id, 'person_id', person_id, 'platform', platform, 'image_key', image_key, 'message_id', message_id, 'note', note, 'at', at)
FROM crisis_evidence ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT changed_at, 'metric_changes', 'backfill', 'metric:' || subject, 'standard',
  json_object('id', id, 'subject', subject, 'day', day, 'key', key, 'old_value', old_value, 'new_value', new_value, 'changed_by', changed_by, 'changed_at', changed_at)
FROM metric_changes ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT created_at, 'reports_sent', 'backfill', 'report:' || kind || ':' || period, 'standard',
  json_object('id', id, 'kind', kind, 'period', period, 'trigger', trigger, 'requested_by', requested_by, 'text', text, 'created_at', created_at)
FROM reports_sent ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT updated_at, 'policy_overrides', 'backfill', 'policy:' || key, 'standard',
  json_object('key', key, 'value', value, 'updated_by', updated_by, 'updated_at', updated_at)
FROM policy_overrides ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT at, 'audit_log', 'backfill', 'audit:' || action, 'standard',
  json_object('id', id, 'actor_id', actor_id, 'action', action, 'detail', detail, 'at', at)
FROM audit_log ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT requested_at, 'archive_requests', 'backfill', 'archive:request', 'standard',
  json_object('item_id', item_id, 'person_id', person_id, 'scope', scope, 'external', external, 'reason', reason, 'requested_at', requested_at, 'granted_at', granted_at, 'expires_at', expires_at)
FROM archive_requests ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT at, 'archive_access_log', 'backfill', 'archive:access', 'standard',
  json_object('id', id, 'person_id', person_id, 'action', action, 'query', query, 'scope', scope, 'basis', basis, 'request_item_id', request_item_id, 'results', results, 'at', at)
FROM archive_access_log ORDER BY rowid;
--> statement-breakpoint
INSERT INTO archive_records (at, kind, op, scope, retention, content)
SELECT marked_at, 'archive_marks', 'backfill', 'archive:mark', 'permanent',
  json_object('scope', scope, 'level', level, 'reason', reason, 'marked_by', marked_by, 'marked_at', marked_at)
FROM archive_marks ORDER BY rowid;
