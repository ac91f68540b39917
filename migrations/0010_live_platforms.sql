CREATE TABLE `live_plan_platforms` (
	`live_id` integer NOT NULL,
	`platform` text NOT NULL,
	`preview_item_id` integer,
	`linked_at` integer,
	PRIMARY KEY(`live_id`, `platform`),
	FOREIGN KEY (`live_id`) REFERENCES `live_plans`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`preview_item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action
);
