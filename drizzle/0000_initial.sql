CREATE TABLE `approvals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`restore_id` text NOT NULL,
	`approver` text NOT NULL,
	`decision` text NOT NULL,
	`plan_hash` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`restore_id`) REFERENCES `restores`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "approvals_decision_check" CHECK("decision" IN ('approve', 'reject'))
);
--> statement-breakpoint
CREATE INDEX `approvals_restore_idx` ON `approvals` (`restore_id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`time` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`connection` text,
	`target_id` text,
	`outcome` text NOT NULL,
	`details` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	CONSTRAINT "audit_events_outcome_check" CHECK("outcome" IN ('ok', 'failed', 'refused'))
);
--> statement-breakpoint
CREATE INDEX `audit_events_connection_idx` ON `audit_events` (`connection`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_idx` ON `audit_events` (`actor`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`action`,`seq`);--> statement-breakpoint
CREATE TABLE `backup_copies` (
	`backup_id` text NOT NULL,
	`target` text NOT NULL,
	`location` text NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer NOT NULL,
	`verified_at` integer,
	`verify_ok` integer,
	`verify_problem` text,
	PRIMARY KEY(`backup_id`, `target`),
	FOREIGN KEY (`backup_id`) REFERENCES `backups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `backups` (
	`id` text PRIMARY KEY NOT NULL,
	`connection` text NOT NULL,
	`type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`requested_by` text NOT NULL,
	`note` text,
	`environment` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`counts` text,
	`bytes` integer,
	`sha256` text,
	`key_id` text,
	`artifact_name` text,
	`unchanged_from` text,
	`failure_reason` text,
	`kong_version` text,
	`slack_channel` text,
	`slack_ts` text,
	`pruned_at` integer,
	CONSTRAINT "backups_status_check" CHECK("status" IN ('pending', 'running', 'completed', 'failed')),
	CONSTRAINT "backups_type_check" CHECK("type" IN ('manual', 'scheduled', 'pre-restore'))
);
--> statement-breakpoint
CREATE INDEX `backups_connection_created_idx` ON `backups` (`connection`,`created_at`);--> statement-breakpoint
CREATE INDEX `backups_status_idx` ON `backups` (`status`);--> statement-breakpoint
CREATE INDEX `backups_artifact_idx` ON `backups` (`artifact_name`);--> statement-breakpoint
CREATE TABLE `restore_steps` (
	`restore_id` text NOT NULL,
	`seq` integer NOT NULL,
	`phase` text NOT NULL,
	`op` text NOT NULL,
	`kind` text NOT NULL,
	`entity_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`restore_id`, `seq`),
	FOREIGN KEY (`restore_id`) REFERENCES `restores`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "restore_steps_status_check" CHECK("status" IN ('ok', 'failed', 'not_attempted'))
);
--> statement-breakpoint
CREATE TABLE `restores` (
	`id` text PRIMARY KEY NOT NULL,
	`connection` text NOT NULL,
	`backup_id` text NOT NULL,
	`requested_by` text NOT NULL,
	`reason` text NOT NULL,
	`only_sections` text,
	`no_deletes` integer DEFAULT false NOT NULL,
	`break_glass` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'planned' NOT NULL,
	`plan_hash` text,
	`live_fingerprint` text,
	`plan_summary` text,
	`expires_at` integer NOT NULL,
	`approved_by` text,
	`pre_restore_backup_id` text,
	`failure_reason` text,
	`slack_channel` text,
	`slack_ts` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`backup_id`) REFERENCES `backups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pre_restore_backup_id`) REFERENCES `backups`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "restores_status_check" CHECK("status" IN ('planned', 'awaiting_approval', 'approved', 'running', 'completed', 'partially_failed', 'failed', 'rejected', 'expired', 'cancelled'))
);
--> statement-breakpoint
CREATE INDEX `restores_connection_created_idx` ON `restores` (`connection`,`created_at`);--> statement-breakpoint
CREATE INDEX `restores_status_idx` ON `restores` (`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `restores_one_active_per_connection` ON `restores` (`connection`) WHERE "status" IN ('planned', 'awaiting_approval', 'approved', 'running');--> statement-breakpoint
CREATE TABLE `verifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`backup_id` text NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`results` text NOT NULL,
	FOREIGN KEY (`backup_id`) REFERENCES `backups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `verifications_backup_idx` ON `verifications` (`backup_id`,`at`);