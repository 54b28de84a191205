CREATE TABLE `block_list` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`match_key` text NOT NULL,
	`note` text,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `block_list_kind_key_unique` ON `block_list` (`kind`,`match_key`);--> statement-breakpoint
CREATE TABLE `sending_pause` (
	`id` integer PRIMARY KEY NOT NULL,
	`paused_at` text NOT NULL,
	`paused_by` integer,
	`reason` text,
	FOREIGN KEY (`paused_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `staff_accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text,
	`totp_secret` text,
	`totp_last_step` integer,
	`disabled_at` text,
	`last_sign_in_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_accounts_email_unique` ON `staff_accounts` (`email`);--> statement-breakpoint
CREATE TABLE `staff_recovery_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_recovery_codes_account_idx` ON `staff_recovery_codes` (`account_id`);--> statement-breakpoint
CREATE TABLE `staff_sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`account_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`second_factor_pending` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`last_seen_at` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `staff_sessions_account_idx` ON `staff_sessions` (`account_id`);--> statement-breakpoint
CREATE TABLE `staff_setup_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_setup_links_token_unique` ON `staff_setup_links` (`token_hash`);--> statement-breakpoint
CREATE TABLE `supporter_exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer,
	`scope` text NOT NULL,
	`rows` integer NOT NULL,
	`up_to` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `asks` ADD `client_address_hash` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `client_network_hash` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `message_fingerprint` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `hold_reasons` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `asks` ADD `held_at` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `reviewed_at` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `reviewed_by` integer REFERENCES staff_accounts(id);--> statement-breakpoint
ALTER TABLE `asks` ADD `hidden_from_public_list` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `asks_client_address_idx` ON `asks` (`client_address_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `asks_client_network_idx` ON `asks` (`client_network_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `asks_message_fingerprint_idx` ON `asks` (`message_fingerprint`);--> statement-breakpoint
CREATE INDEX `asks_confirmed_at_idx` ON `asks` (`confirmed_at`);--> statement-breakpoint
ALTER TABLE `campaigns` ADD `review_rules` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`created_at`);