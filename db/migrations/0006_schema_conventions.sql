-- One timestamp convention (created_at/updated_at with a default), a foreign
-- key from the local mailbox to the outbox, and one campaign per slug.
-- SQLite changes a column only by rebuilding its table. migrateDb runs this
-- with foreign keys off (the PRAGMAs below are ignored inside the migrator's
-- transaction), so dropping an old table neither cascades to nor fails on the
-- rows that refer to it; the last statements check every reference instead.
--
-- Each AUTOINCREMENT table's counter is kept, so an id once used (an expired
-- ask, a deleted mail) is never handed out again by the rebuilt table.
CREATE TEMP TABLE `__sequences` AS SELECT `name`, `seq` FROM `sqlite_sequence`;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_app_secrets` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_app_secrets`("name", "value", "created_at") SELECT "name", "value", "created_at" FROM `app_secrets`;--> statement-breakpoint
DROP TABLE `app_secrets`;--> statement-breakpoint
ALTER TABLE `__new_app_secrets` RENAME TO `app_secrets`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_asks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`election_id` text NOT NULL,
	`constituency_code` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`postcode` text NOT NULL,
	`personal_message` text,
	`wording_id` text NOT NULL,
	`show_on_public_list` integer NOT NULL,
	`wants_updates` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`token_hash` text,
	`token_expires_at` text,
	`reminder_sent_at` text,
	`confirmed_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`election_id`) REFERENCES `elections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`constituency_code`) REFERENCES `constituencies`(`gss_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_asks`("id", "election_id", "constituency_code", "name", "email", "postcode", "personal_message", "wording_id", "show_on_public_list", "wants_updates", "status", "token_hash", "token_expires_at", "reminder_sent_at", "confirmed_at", "created_at") SELECT "id", "election_id", "constituency_code", "name", "email", "postcode", "personal_message", "wording_id", "show_on_public_list", "wants_updates", "status", "token_hash", "token_expires_at", "reminder_sent_at", "confirmed_at", "created_at" FROM `asks`;--> statement-breakpoint
DROP TABLE `asks`;--> statement-breakpoint
ALTER TABLE `__new_asks` RENAME TO `asks`;--> statement-breakpoint
CREATE UNIQUE INDEX `asks_token_hash_unique` ON `asks` (`token_hash`);--> statement-breakpoint
CREATE INDEX `asks_email_idx` ON `asks` (`email`);--> statement-breakpoint
CREATE INDEX `asks_constituency_status_idx` ON `asks` (`constituency_code`,`status`);--> statement-breakpoint
CREATE INDEX `asks_status_created_idx` ON `asks` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `__new_audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`details` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_audit_log`("id", "actor", "action", "subject", "details", "created_at") SELECT "id", "actor", "action", "subject", "details", "created_at" FROM `audit_log`;--> statement-breakpoint
DROP TABLE `audit_log`;--> statement-breakpoint
ALTER TABLE `__new_audit_log` RENAME TO `audit_log`;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`to_name` text,
	`reply_to` text,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`message_id` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`sent_at` text,
	`ask_id` integer,
	`candidacy_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "kind", "to_address", "to_name", "reply_to", "subject", "text_body", "message_id", "status", "attempts", "next_attempt_at", "last_error", "sent_at", "ask_id", "candidacy_id", "created_at") SELECT "id", "kind", "to_address", "to_name", "reply_to", "subject", "text_body", "message_id", "status", "attempts", "next_attempt_at", "last_error", "sent_at", "ask_id", "candidacy_id", "created_at" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_id_unique` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_candidacy_idx` ON `outbox` (`candidacy_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `__new_pledge_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidacy_id` integer NOT NULL,
	`answers` text NOT NULL,
	`statement` text,
	`trust_mark` text NOT NULL,
	`evidence_url` text,
	`note` text,
	`recorded_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_pledge_history`("id", "candidacy_id", "answers", "statement", "trust_mark", "evidence_url", "note", "recorded_by", "created_at") SELECT "id", "candidacy_id", "answers", "statement", "trust_mark", "evidence_url", "note", "recorded_by", "created_at" FROM `pledge_history`;--> statement-breakpoint
DROP TABLE `pledge_history`;--> statement-breakpoint
ALTER TABLE `__new_pledge_history` RENAME TO `pledge_history`;--> statement-breakpoint
CREATE INDEX `pledge_history_candidacy_idx` ON `pledge_history` (`candidacy_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `__new_pledges` (
	`candidacy_id` integer PRIMARY KEY NOT NULL,
	`statement` text,
	`trust_mark` text NOT NULL,
	`evidence_url` text,
	`first_answered_at` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_pledges`("candidacy_id", "statement", "trust_mark", "evidence_url", "first_answered_at", "updated_at") SELECT "candidacy_id", "statement", "trust_mark", "evidence_url", "first_answered_at", "updated_at" FROM `pledges`;--> statement-breakpoint
DROP TABLE `pledges`;--> statement-breakpoint
ALTER TABLE `__new_pledges` RENAME TO `pledges`;--> statement-breakpoint
CREATE TABLE `__new_postcode_directory` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_postcode_directory`("id", "generation", "updated_at") SELECT "id", "generation", "updated_at" FROM `postcode_directory`;--> statement-breakpoint
DROP TABLE `postcode_directory`;--> statement-breakpoint
ALTER TABLE `__new_postcode_directory` RENAME TO `postcode_directory`;--> statement-breakpoint
CREATE TABLE `__new_signing_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidacy_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`sent_to` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_signing_tokens`("id", "candidacy_id", "token_hash", "sent_to", "expires_at", "revoked_at", "created_at") SELECT "id", "candidacy_id", "token_hash", "sent_to", "expires_at", "revoked_at", "created_at" FROM `signing_tokens`;--> statement-breakpoint
DROP TABLE `signing_tokens`;--> statement-breakpoint
ALTER TABLE `__new_signing_tokens` RENAME TO `signing_tokens`;--> statement-breakpoint
CREATE UNIQUE INDEX `signing_tokens_hash_unique` ON `signing_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `signing_tokens_candidacy_idx` ON `signing_tokens` (`candidacy_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_slug_unique` ON `campaigns` (`slug`);--> statement-breakpoint
CREATE TABLE `__new_mailbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` integer,
	`message_id` text NOT NULL,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`reply_to` text,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`raw` text NOT NULL,
	`delivered_at` text NOT NULL,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- A mailbox row whose outbox row is gone (none should be) keeps its message and
-- loses only the dangling reference.
INSERT INTO `__new_mailbox`("id", "outbox_id", "message_id", "from_address", "to_address", "reply_to", "subject", "text_body", "raw", "delivered_at") SELECT "id", (SELECT `id` FROM `outbox` WHERE `outbox`.`id` = `mailbox`.`outbox_id`), "message_id", "from_address", "to_address", "reply_to", "subject", "text_body", "raw", "delivered_at" FROM `mailbox`;--> statement-breakpoint
DROP TABLE `mailbox`;--> statement-breakpoint
ALTER TABLE `__new_mailbox` RENAME TO `mailbox`;--> statement-breakpoint
CREATE INDEX `mailbox_to_idx` ON `mailbox` (`to_address`);--> statement-breakpoint
UPDATE `sqlite_sequence` SET `seq` = max(`seq`, (SELECT `old`.`seq` FROM `__sequences` `old` WHERE `old`.`name` = `sqlite_sequence`.`name`))
  WHERE `name` IN (SELECT `name` FROM `__sequences`);--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT `name`, `seq` FROM `__sequences`
  WHERE `name` NOT IN (SELECT `name` FROM `sqlite_sequence`) AND `name` IN (SELECT `name` FROM `sqlite_master` WHERE `type` = 'table');--> statement-breakpoint
DROP TABLE `__sequences`;--> statement-breakpoint
-- Dropping a table drops its triggers: migration 0003's append-only rules,
-- as they were.
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
--> statement-breakpoint
-- Every reference still points at a row, or the migration fails and rolls back.
CREATE TEMP TABLE `__broken_references` (`n` integer CHECK (`n` = 0));--> statement-breakpoint
INSERT INTO `__broken_references` SELECT count(*) FROM pragma_foreign_key_check;--> statement-breakpoint
DROP TABLE `__broken_references`;
