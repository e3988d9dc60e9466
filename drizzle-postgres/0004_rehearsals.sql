CREATE TABLE "rehearsals" (
	"id" text PRIMARY KEY NOT NULL,
	"connection" text NOT NULL,
	"target" text NOT NULL,
	"backup_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"duration_ms" integer,
	"entities" integer,
	"applied" integer,
	"drift" integer,
	"failure_code" text,
	"failure_reason" text,
	CONSTRAINT "rehearsals_status_check" CHECK ("status" IN ('running', 'passed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "rehearsals" ADD CONSTRAINT "rehearsals_backup_id_backups_id_fk" FOREIGN KEY ("backup_id") REFERENCES "backups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rehearsals_connection_started_idx" ON "rehearsals" USING btree ("connection","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rehearsals_one_running_per_target" ON "rehearsals" USING btree ("target") WHERE "status" IN ('running');