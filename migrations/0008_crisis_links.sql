CREATE TABLE `crisis_suggestion_decisions` (
	`suggestion_id` integer PRIMARY KEY NOT NULL,
	`decision` text NOT NULL,
	`decided_by` integer,
	`decided_at` integer NOT NULL,
	`crisis_id` integer,
	FOREIGN KEY (`suggestion_id`) REFERENCES `crisis_suggestions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `crisis_tickets` (
	`crisis_id` integer NOT NULL,
	`ticket_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`crisis_id`, `ticket_id`),
	FOREIGN KEY (`crisis_id`) REFERENCES `crises`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crisis_tickets_ticket` ON `crisis_tickets` (`ticket_id`);