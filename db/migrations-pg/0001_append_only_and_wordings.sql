-- The rules SQLite's triggers keep (db/migrations/0003 and 0014), kept by
-- PostgreSQL itself: the pledge history and the audit log are append-only,
-- consent wordings are versions and consent records are never rewritten.
-- TRUNCATE fires no row trigger, so it is refused for each table apart.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER pledge_history_no_update BEFORE UPDATE ON pledge_history
  FOR EACH ROW EXECUTE FUNCTION refuse_change('pledge_history is append-only: rows cannot be updated');
--> statement-breakpoint
CREATE TRIGGER pledge_history_no_delete BEFORE DELETE ON pledge_history
  FOR EACH ROW EXECUTE FUNCTION refuse_change('pledge_history is append-only: rows cannot be deleted');
--> statement-breakpoint
CREATE TRIGGER pledge_history_no_truncate BEFORE TRUNCATE ON pledge_history
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('pledge_history is append-only: rows cannot be deleted');
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change('audit_log is append-only: rows cannot be updated');
--> statement-breakpoint
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change('audit_log is append-only: rows cannot be deleted');
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('audit_log is append-only: rows cannot be deleted');
--> statement-breakpoint
CREATE TRIGGER consent_texts_no_update BEFORE UPDATE ON consent_texts
  FOR EACH ROW EXECUTE FUNCTION refuse_change('consent_texts are versions: add a new one instead of updating');
--> statement-breakpoint
CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION refuse_change('consent_records is append-only: rows cannot be updated');
--> statement-breakpoint
-- The wordings SQLite's migration 0014 seeds (defaultConsentWordings in
-- app/utils/consent.ts; tests/integration/postgres-schema.test.ts checks they agree).
INSERT INTO consent_texts (purpose, version, wording) VALUES
  ('send-ask', 1, 'Send my message, with my name and postcode, to the candidates I chose, with their replies coming to my email address'),
  ('public-list', 1, 'Show my first name and the initial of my last name on the public list of supporters'),
  ('updates', 1, 'Email me campaign updates, including when my candidates sign');
