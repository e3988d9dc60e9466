CREATE TABLE `watch_states` (
	`connection` text NOT NULL,
	`problem` text NOT NULL,
	`fingerprint` text NOT NULL,
	`raised_at` integer NOT NULL,
	`notified_at` integer NOT NULL,
	`repeats` integer DEFAULT 0 NOT NULL,
	`slack_channel` text,
	`slack_ts` text,
	PRIMARY KEY(`connection`, `problem`)
);
