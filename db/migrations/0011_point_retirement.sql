DROP INDEX `pledge_points_position_unique`;--> statement-breakpoint
ALTER TABLE `pledge_points` ADD `retired_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_points_position_unique` ON `pledge_points` (`campaign_id`,`position`) WHERE "pledge_points"."retired_at" is null;