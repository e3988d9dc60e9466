CREATE TABLE "watch_states" (
	"connection" text NOT NULL,
	"problem" text NOT NULL,
	"fingerprint" text NOT NULL,
	"raised_at" timestamp (3) with time zone NOT NULL,
	"notified_at" timestamp (3) with time zone NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL,
	"slack_channel" text,
	"slack_ts" text,
	CONSTRAINT "watch_states_connection_problem_pk" PRIMARY KEY("connection","problem")
);
