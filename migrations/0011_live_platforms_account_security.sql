CREATE TABLE `account_incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`reporter_id` integer NOT NULL,
	`note` text NOT NULL,
	`created_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`rotated_at` integer,
	`breached_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reporter_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_incidents_account` ON `account_incidents` (`account_id`);--> statement-breakpoint
CREATE TABLE `account_security` (
	`account_id` integer PRIMARY KEY NOT NULL,
	`certification` text NOT NULL,
	`login_checked_at` integer,
	`login_checked_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`login_checked_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `live_plan_platforms` (
	`live_id` integer NOT NULL,
	`platform` text NOT NULL,
	`preview_item_id` integer,
	`linked_at` integer,
	PRIMARY KEY(`live_id`, `platform`),
	FOREIGN KEY (`live_id`) REFERENCES `live_plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`preview_item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action
);
