CREATE TABLE `person_links` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`canonical_id` integer NOT NULL,
	`linked_by` integer,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`canonical_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wecom_card_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`user_id` text NOT NULL,
	`source` text NOT NULL,
	`issued_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `wecom_card_codes_task` ON `wecom_card_codes` (`task_id`);--> statement-breakpoint
CREATE TABLE `wecom_pending_inputs` (
	`user_id` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`field` text NOT NULL,
	`task_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `wecom_robots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_key` text NOT NULL,
	`added_by` integer,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wecom_robots_webhook_key_unique` ON `wecom_robots` (`webhook_key`);