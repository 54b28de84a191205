CREATE TABLE `ask_recipients` (
	`ask_id` integer NOT NULL,
	`candidacy_id` integer NOT NULL,
	`delivery` text,
	`outbox_id` integer,
	PRIMARY KEY(`ask_id`, `candidacy_id`),
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `ask_recipients_candidacy_idx` ON `ask_recipients` (`candidacy_id`,`delivery`);--> statement-breakpoint
CREATE TABLE `asks` (
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
	`created_at` text NOT NULL,
	FOREIGN KEY (`election_id`) REFERENCES `elections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`constituency_code`) REFERENCES `constituencies`(`gss_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `asks_token_hash_unique` ON `asks` (`token_hash`);--> statement-breakpoint
CREATE INDEX `asks_email_idx` ON `asks` (`email`);--> statement-breakpoint
CREATE INDEX `asks_constituency_status_idx` ON `asks` (`constituency_code`,`status`);--> statement-breakpoint
CREATE INDEX `asks_status_created_idx` ON `asks` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `mailbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`outbox_id` integer,
	`message_id` text NOT NULL,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`reply_to` text,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`raw` text NOT NULL,
	`delivered_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mailbox_to_idx` ON `mailbox` (`to_address`);--> statement-breakpoint
CREATE TABLE `outbox` (
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
	`created_at` text NOT NULL,
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message_id_unique` ON `outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_candidacy_idx` ON `outbox` (`candidacy_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `postcodes` (
	`postcode` text PRIMARY KEY NOT NULL,
	`constituency_code` text,
	`terminated_on` text
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` text NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `campaigns` ADD `ask_hourly_cap` integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `wording_variants` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `message_prompts` text DEFAULT '[]' NOT NULL;