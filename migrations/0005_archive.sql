CREATE TABLE `archive_access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`action` text NOT NULL,
	`query` text NOT NULL,
	`scope` text NOT NULL,
	`basis` text NOT NULL,
	`request_item_id` integer,
	`results` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `archive_access_log_at` ON `archive_access_log` (`at`);--> statement-breakpoint
CREATE TABLE `archive_marks` (
	`scope` text PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`reason` text NOT NULL,
	`marked_by` integer,
	`marked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `archive_purge_permit` (
	`id` integer PRIMARY KEY NOT NULL,
	`cutoff` integer NOT NULL,
	CONSTRAINT "archive_purge_permit_one" CHECK("archive_purge_permit"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `archive_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`op` text NOT NULL,
	`scope` text NOT NULL,
	`retention` text NOT NULL,
	`content` text NOT NULL,
	`prev_hash` text,
	`hash` text
);
--> statement-breakpoint
CREATE INDEX `archive_records_scope` ON `archive_records` (`scope`,`id`);--> statement-breakpoint
CREATE TABLE `archive_requests` (
	`item_id` integer PRIMARY KEY NOT NULL,
	`person_id` integer NOT NULL,
	`scope` text NOT NULL,
	`external` integer DEFAULT false NOT NULL,
	`reason` text NOT NULL,
	`requested_at` integer NOT NULL,
	`granted_at` integer,
	`expires_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `archive_requests_person` ON `archive_requests` (`person_id`,`expires_at`);