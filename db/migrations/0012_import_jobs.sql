CREATE TABLE `import_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`kind` text,
	`replace_staff_emails` integer DEFAULT false NOT NULL,
	`confirmed_withdrawals` integer,
	`check_job_id` integer,
	`started_by` text NOT NULL,
	`runner` text NOT NULL,
	`result` text,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`check_job_id`) REFERENCES `import_jobs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_jobs_one_running` ON `import_jobs` (`status`) WHERE "import_jobs"."status" = 'running';