-- Pledge history is the public record of what each candidate said and when:
-- it is append-only, enforced by the database itself, not just by the code.
CREATE TRIGGER `pledge_history_no_update` BEFORE UPDATE ON `pledge_history`
BEGIN
  SELECT RAISE(ABORT, 'pledge_history is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `pledge_history_no_delete` BEFORE DELETE ON `pledge_history`
BEGIN
  SELECT RAISE(ABORT, 'pledge_history is append-only: rows cannot be deleted');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;
