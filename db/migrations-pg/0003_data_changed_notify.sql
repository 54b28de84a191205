-- Every process's page cache must notice a commit by any other process
-- (ADR 004; SQLite's PRAGMA data_version does this on one machine). Each
-- table tells listeners on the channel data_changed after every statement
-- that writes to it. PostgreSQL delivers a notification only when its
-- transaction commits (a rolled-back write says nothing), folds repeats within
-- a transaction into one, and takes no row lock, so writers never queue on a
-- shared counter. A listener that loses its connection must treat everything
-- as changed (docs/decisions/018-postgresql-for-scale-out.md, step 5).
-- A table added by a later migration needs the same trigger: a test checks
-- that every table has it.
CREATE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('data_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()',
      t.tablename || '_data_changed', t.tablename
    );
  END LOOP;
END;
$$;
