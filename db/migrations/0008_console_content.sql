CREATE TABLE `campaign_settings_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`settings` text NOT NULL,
	`saved_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pledge_point_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`point_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`point_id`) REFERENCES `pledge_points`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_point_versions_unique` ON `pledge_point_versions` (`point_id`,`version`);--> statement-breakpoint
ALTER TABLE `candidacies` ADD `email_source` text;--> statement-breakpoint
ALTER TABLE `candidacies` ADD `email_source_url` text;--> statement-breakpoint
ALTER TABLE `candidacies` ADD `email_added_by` integer REFERENCES staff_accounts(id);--> statement-breakpoint
ALTER TABLE `candidacies` ADD `email_added_at` text;--> statement-breakpoint
ALTER TABLE `pledge_history` ADD `point_versions` text;--> statement-breakpoint
ALTER TABLE `pledge_point_answers` ADD `point_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `pledge_points` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Every address so far came from an import; every point's words so far are its first version.
UPDATE `candidacies` SET `email_source` = 'import' WHERE `email` IS NOT NULL;--> statement-breakpoint
INSERT INTO `pledge_point_versions` (`point_id`, `version`, `title`, `body`) SELECT `id`, 1, `title`, `body` FROM `pledge_points`;
