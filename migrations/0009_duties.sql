CREATE TABLE `crisis_drills` (
	`crisis_id` integer PRIMARY KEY NOT NULL,
	`note` text,
	`started_by` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`report` text,
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`started_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `drill_acks` (
	`crisis_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`crisis_id`, `person_id`),
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `exam_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`kind` text DEFAULT 'quiz' NOT NULL,
	`questions` text NOT NULL,
	`answers` text NOT NULL,
	`total` integer NOT NULL,
	`correct` integer,
	`pass_pct` integer NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`recorded_by` integer,
	`note` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exam_attempts_person` ON `exam_attempts` (`person_id`,`status`);--> statement-breakpoint
CREATE TABLE `exam_grace` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`since` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `exam_rollout` (
	`id` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rectification_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rectification_id` integer NOT NULL,
	`type` text NOT NULL,
	`actor_id` integer,
	`detail` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`rectification_id`) REFERENCES `rectifications`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rectification_events_r` ON `rectification_events` (`rectification_id`,`at`);--> statement-breakpoint
CREATE TABLE `rectifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` integer NOT NULL,
	`issuer_id` integer NOT NULL,
	`matter` text NOT NULL,
	`spot_check_id` integer,
	`status` text NOT NULL,
	`due_at` integer NOT NULL,
	`done_at` integer,
	`done_note` text,
	`confirmed_at` integer,
	`reopened` integer DEFAULT 0 NOT NULL,
	`breached_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issuer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`spot_check_id`) REFERENCES `spot_checks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rectifications_status` ON `rectifications` (`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `rectifications_owner` ON `rectifications` (`owner_id`);--> statement-breakpoint
CREATE TABLE `spot_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`kind` text NOT NULL,
	`item_id` integer NOT NULL,
	`owner_id` integer,
	`source` text NOT NULL,
	`requested_by` integer,
	`status` text NOT NULL,
	`reason` text,
	`checker_id` integer,
	`rectification_id` integer,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`owner_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checker_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `spot_checks_day` ON `spot_checks` (`day`,`kind`);--> statement-breakpoint
CREATE INDEX `spot_checks_item` ON `spot_checks` (`kind`,`item_id`);