CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`details` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pledge_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidacy_id` integer NOT NULL,
	`answers` text NOT NULL,
	`statement` text,
	`trust_mark` text NOT NULL,
	`evidence_url` text,
	`note` text,
	`recorded_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pledge_history_candidacy_idx` ON `pledge_history` (`candidacy_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `pledge_point_answers` (
	`candidacy_id` integer NOT NULL,
	`point_id` integer NOT NULL,
	`answer` text NOT NULL,
	`answered_at` text NOT NULL,
	PRIMARY KEY(`candidacy_id`, `point_id`),
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`point_id`) REFERENCES `pledge_points`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pledge_point_answers_point_idx` ON `pledge_point_answers` (`point_id`,`answer`);--> statement-breakpoint
CREATE TABLE `pledges` (
	`candidacy_id` integer PRIMARY KEY NOT NULL,
	`statement` text,
	`trust_mark` text NOT NULL,
	`evidence_url` text,
	`first_answered_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signing_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidacy_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`sent_to` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signing_tokens_hash_unique` ON `signing_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `signing_tokens_candidacy_idx` ON `signing_tokens` (`candidacy_id`);--> statement-breakpoint
ALTER TABLE `ask_recipients` ADD `notified_at` text;