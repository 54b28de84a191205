CREATE TABLE `consent_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ask_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`consent_text_id` integer NOT NULL,
	`action` text NOT NULL,
	`method` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`consent_text_id`) REFERENCES `consent_texts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_records_ask_idx` ON `consent_records` (`ask_id`,`purpose`,`id`);--> statement-breakpoint
CREATE TABLE `consent_texts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`purpose` text NOT NULL,
	`version` integer NOT NULL,
	`wording` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_texts_purpose_version_unique` ON `consent_texts` (`purpose`,`version`);--> statement-breakpoint
CREATE TABLE `supporter_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ask_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`ask_id`) REFERENCES `asks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `supporter_links_token_hash_unique` ON `supporter_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `supporter_links_ask_idx` ON `supporter_links` (`ask_id`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `list_unsubscribe` text;--> statement-breakpoint
-- A version's words and a consent record are evidence of what someone agreed
-- to: never changed in place. (Erasure deletes a person's records, so DELETE
-- stays allowed.)
CREATE TRIGGER `consent_texts_no_update` BEFORE UPDATE ON `consent_texts`
BEGIN
  SELECT RAISE(ABORT, 'consent_texts are versions: add a new one instead of updating');
END;
--> statement-breakpoint
CREATE TRIGGER `consent_records_no_update` BEFORE UPDATE ON `consent_records`
BEGIN
  SELECT RAISE(ABORT, 'consent_records is append-only: rows cannot be updated');
END;
--> statement-breakpoint
-- The wordings the ask form has shown until now (defaultConsentWordings in
-- app/utils/consent.ts; tests/integration/consents.test.ts checks they agree).
-- The ask form showed no separate "send" wording: version 1 says what pressing
-- Send did.
INSERT INTO `consent_texts` (`purpose`, `version`, `wording`) VALUES
  ('send-ask', 1, 'Send my message, with my name and postcode, to the candidates I chose, with their replies coming to my email address'),
  ('public-list', 1, 'Show my first name and the initial of my last name on the public list of supporters'),
  ('updates', 1, 'Email me campaign updates, including when my candidates sign');
--> statement-breakpoint
-- Every ask made before consents were recorded was made under those version 1
-- wordings, on the ask form, when it was submitted.
INSERT INTO `consent_records` (`ask_id`, `purpose`, `consent_text_id`, `action`, `method`, `at`)
SELECT `asks`.`id`, `consent_texts`.`purpose`, `consent_texts`.`id`, 'given', 'ask-form', `asks`.`created_at`
FROM `asks` JOIN `consent_texts` ON `consent_texts`.`version` = 1
WHERE `asks`.`erased_at` IS NULL AND (
  `consent_texts`.`purpose` = 'send-ask'
  OR (`consent_texts`.`purpose` = 'public-list' AND `asks`.`show_on_public_list` = 1)
  OR (`consent_texts`.`purpose` = 'updates' AND `asks`.`wants_updates` = 1)
)
ORDER BY `asks`.`id`, `consent_texts`.`id`;
