CREATE TABLE `postcode_directory` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `postcode_import_claims` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`started_at` text NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_postcodes` (
	`postcode` text NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`constituency_code` text,
	`terminated_on` text,
	`removed` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`postcode`, `generation`)
);
--> statement-breakpoint
INSERT INTO `__new_postcodes`("postcode", "generation", "constituency_code", "terminated_on", "removed") SELECT "postcode", 0, "constituency_code", "terminated_on", false FROM `postcodes`;--> statement-breakpoint
DROP TABLE `postcodes`;--> statement-breakpoint
ALTER TABLE `__new_postcodes` RENAME TO `postcodes`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `postcodes_generation` ON `postcodes` (`generation`);