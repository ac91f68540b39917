CREATE TABLE `content_targets` (
	`item_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` real NOT NULL,
	`set_by` integer NOT NULL,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `key`),
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`set_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `metric_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`day` text NOT NULL,
	`key` text NOT NULL,
	`old_value` real,
	`new_value` real NOT NULL,
	`changed_by` integer NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`changed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `metric_changes_subject` ON `metric_changes` (`subject`,`changed_at`);--> statement-breakpoint
CREATE TABLE `metric_duties` (
	`item_id` integer NOT NULL,
	`platform` text NOT NULL,
	`published_at` integer NOT NULL,
	`breached_at` integer,
	`logged_at` integer,
	PRIMARY KEY(`item_id`, `platform`),
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `metric_duties_open` ON `metric_duties` (`logged_at`,`breached_at`);--> statement-breakpoint
CREATE TABLE `metric_values` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`scope` text NOT NULL,
	`platform` text,
	`store_id` integer,
	`item_id` integer,
	`day` text NOT NULL,
	`key` text NOT NULL,
	`value` real NOT NULL,
	`logged_by` integer NOT NULL,
	`logged_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`logged_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `metric_values_subject_day_key` ON `metric_values` (`subject`,`day`,`key`);--> statement-breakpoint
CREATE INDEX `metric_values_scope_day` ON `metric_values` (`scope`,`day`);--> statement-breakpoint
CREATE INDEX `metric_values_item` ON `metric_values` (`item_id`,`key`,`day`);--> statement-breakpoint
CREATE TABLE `reports_sent` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`period` text NOT NULL,
	`trigger` text NOT NULL,
	`requested_by` integer,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reports_sent_period` ON `reports_sent` (`kind`,`period`);