CREATE TABLE `crises` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tier` integer NOT NULL,
	`description` text NOT NULL,
	`stage` text NOT NULL,
	`reporter_id` integer NOT NULL,
	`discovered_at` integer NOT NULL,
	`reported_at` integer NOT NULL,
	`report_window_ms` integer NOT NULL,
	`report_late_ms` integer DEFAULT 0 NOT NULL,
	`source` text DEFAULT 'command' NOT NULL,
	`ticket_id` integer,
	`store` text,
	`lead_id` integer,
	`acked_at` integer,
	`paged_at` integer NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`escalated` integer DEFAULT 0 NOT NULL,
	`contain_notified` integer DEFAULT 0 NOT NULL,
	`contained_at` integer,
	`statement_item_id` integer,
	`statement_published_at` integer,
	`statement_published_by` integer,
	`statement_link` text,
	`summary` text,
	`closed_at` integer,
	`closed_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`reporter_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`statement_item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`statement_published_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crises_stage` ON `crises` (`stage`);--> statement-breakpoint
CREATE INDEX `crises_ticket` ON `crises` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `crisis_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`crisis_id` integer NOT NULL,
	`type` text NOT NULL,
	`actor_id` integer,
	`detail` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crisis_events_crisis` ON `crisis_events` (`crisis_id`,`at`);--> statement-breakpoint
CREATE TABLE `crisis_evidence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`crisis_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`platform` text NOT NULL,
	`image_key` text NOT NULL,
	`message_id` text NOT NULL,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crisis_evidence_crisis` ON `crisis_evidence` (`crisis_id`);--> statement-breakpoint
CREATE TABLE `crisis_evidence_windows` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`crisis_id` integer NOT NULL,
	`note` text,
	`until` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action
);
