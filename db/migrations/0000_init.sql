CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`summary` text NOT NULL,
	`election_id` text NOT NULL,
	`from_email` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`election_id`) REFERENCES `elections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `candidacies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`election_id` text NOT NULL,
	`person_id` text NOT NULL,
	`name` text NOT NULL,
	`party_id` text NOT NULL,
	`ballot_paper_id` text NOT NULL,
	`constituency_code` text NOT NULL,
	`email` text,
	`homepage_url` text,
	`links` text,
	`statement` text,
	`status` text DEFAULT 'standing' NOT NULL,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`election_id`) REFERENCES `elections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`party_id`) REFERENCES `parties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`constituency_code`) REFERENCES `constituencies`(`gss_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `candidacies_election_person_unique` ON `candidacies` (`election_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `candidacies_constituency_idx` ON `candidacies` (`constituency_code`);--> statement-breakpoint
CREATE INDEX `candidacies_party_idx` ON `candidacies` (`party_id`);--> statement-breakpoint
CREATE TABLE `constituencies` (
	`gss_code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_cy` text,
	`slug` text NOT NULL,
	`nation` text NOT NULL,
	`region_code` text,
	`region_name` text,
	`electorate` integer,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `constituencies_slug_unique` ON `constituencies` (`slug`);--> statement-breakpoint
CREATE TABLE `elections` (
	`id` text PRIMARY KEY NOT NULL,
	`date` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hex_layouts` (
	`id` text PRIMARY KEY NOT NULL,
	`layout` text NOT NULL,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hexes` (
	`layout_id` text NOT NULL,
	`constituency_code` text NOT NULL,
	`q` integer NOT NULL,
	`r` integer NOT NULL,
	PRIMARY KEY(`layout_id`, `constituency_code`),
	FOREIGN KEY (`layout_id`) REFERENCES `hex_layouts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`constituency_code`) REFERENCES `constituencies`(`gss_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hexes_position_unique` ON `hexes` (`layout_id`,`q`,`r`);--> statement-breakpoint
CREATE TABLE `import_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`rows` integer NOT NULL,
	`added` integer NOT NULL,
	`updated` integer NOT NULL,
	`withdrawn` integer NOT NULL,
	`removed` integer NOT NULL,
	`unchanged` integer NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `parties` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pledge_points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pledge_points_position_unique` ON `pledge_points` (`campaign_id`,`position`);