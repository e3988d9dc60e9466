CREATE TABLE `rehearsals` (
	`id` text PRIMARY KEY NOT NULL,
	`connection` text NOT NULL,
	`target` text NOT NULL,
	`backup_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`duration_ms` integer,
	`entities` integer,
	`applied` integer,
	`drift` integer,
	`failure_code` text,
	`failure_reason` text,
	FOREIGN KEY (`backup_id`) REFERENCES `backups`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "rehearsals_status_check" CHECK("status" IN ('running', 'passed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `rehearsals_connection_started_idx` ON `rehearsals` (`connection`,`started_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `rehearsals_one_running_per_target` ON `rehearsals` (`target`) WHERE "status" IN ('running');