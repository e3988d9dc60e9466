ALTER TABLE `backups` ADD `failure_code` text;--> statement-breakpoint
ALTER TABLE `restores` ADD `failure_code` text;