ALTER TABLE "backups" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "restores" ADD COLUMN "failure_code" text;