CREATE TABLE `correction_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`candidacy_id` integer NOT NULL,
	`topic` text NOT NULL,
	`details` text NOT NULL,
	`reporter_email` text,
	`status` text DEFAULT 'open' NOT NULL,
	`staff_note` text,
	`decided_at` text,
	`decided_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`candidacy_id`) REFERENCES `candidacies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `staff_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `correction_reports_status_created_idx` ON `correction_reports` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `correction_reports_decided_at_idx` ON `correction_reports` (`decided_at`);--> statement-breakpoint
ALTER TABLE `asks` ADD `client_address_block_hash` text;--> statement-breakpoint
ALTER TABLE `asks` ADD `client_network_block_hash` text;--> statement-breakpoint
-- Hand-written: client addresses were plain SHA-256 (reversible for IPv4 by
-- trying every address); they are now keyed hashes (app/models/client-hash.server.ts).
-- The old hashes are short-lived, so they are cleared rather than converted:
-- the review rules and rate limits start counting afresh.
UPDATE `asks` SET `client_address_hash` = NULL, `client_network_hash` = NULL;--> statement-breakpoint
DELETE FROM `rate_limits`;--> statement-breakpoint
-- A block entry for an address or network held the plain hash too, which no
-- ask will carry again, and SQL cannot compute the keyed one: say so where
-- staff see it, so they can add a typed address again (its label is the address).
UPDATE `block_list` SET `label` = `label` || ' (from before keyed hashes: no longer matches; add it again)'
  WHERE `kind` IN ('address', 'network');
