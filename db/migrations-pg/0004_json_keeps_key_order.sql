ALTER TABLE "asks" ALTER COLUMN "hold_reasons" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "asks" ALTER COLUMN "hold_reasons" SET DEFAULT '[]';--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "details" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaign_settings_versions" ALTER COLUMN "settings" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "wording_variants" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "wording_variants" SET DEFAULT '[]';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "message_prompts" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "message_prompts" SET DEFAULT '[]';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "review_rules" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "review_rules" SET DEFAULT '{}';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "privacy" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "privacy" SET DEFAULT '{}';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "retention" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "retention" SET DEFAULT '{}';--> statement-breakpoint
ALTER TABLE "candidacies" ALTER COLUMN "links" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "import_jobs" ALTER COLUMN "result" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "pledge_history" ALTER COLUMN "answers" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "pledge_history" ALTER COLUMN "point_versions" SET DATA TYPE json;