ALTER TABLE `campaigns` ADD `privacy` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `campaigns` ADD `retention` text DEFAULT '{}' NOT NULL;