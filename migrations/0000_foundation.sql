CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `inbound_seen` (
	`key` text PRIMARY KEY NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inbound_seen_at` ON `inbound_seen` (`seen_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`op` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`idem_key` text NOT NULL,
	`card_ref` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`done_at` integer,
	`message_id` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idem_key_unique` ON `outbox` (`idem_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_card_ref` ON `outbox` (`card_ref`);--> statement-breakpoint
CREATE TABLE `group_bindings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`chat_id` text NOT NULL,
	`purpose` text NOT NULL,
	`store_id` integer,
	`bound_by` integer,
	`bound_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `group_bindings_chat_purpose` ON `group_bindings` (`platform`,`chat_id`,`purpose`);--> statement-breakpoint
CREATE TABLE `identities` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`person_id` integer NOT NULL,
	`name` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `user_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `identities_person` ON `identities` (`person_id`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `role_grants` (
	`person_id` integer NOT NULL,
	`role` text NOT NULL,
	`granted_by` integer,
	`granted_at` integer NOT NULL,
	PRIMARY KEY(`person_id`, `role`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `role_grants_role` ON `role_grants` (`role`);--> statement-breakpoint
CREATE TABLE `stores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stores_name` ON `stores` (`name`);--> statement-breakpoint
CREATE TABLE `policy_overrides` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `content_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text DEFAULT 'content' NOT NULL,
	`chain` text NOT NULL,
	`title` text NOT NULL,
	`platforms` text NOT NULL,
	`author_id` integer NOT NULL,
	`is_ad` integer DEFAULT false NOT NULL,
	`is_sensitive` integer DEFAULT false NOT NULL,
	`planned_at` integer,
	`status` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `content_items_status` ON `content_items` (`status`);--> statement-breakpoint
CREATE INDEX `content_items_author` ON `content_items` (`author_id`);--> statement-breakpoint
CREATE TABLE `publications` (
	`item_id` integer NOT NULL,
	`platform` text NOT NULL,
	`published_at` integer NOT NULL,
	`link` text,
	`published_by` integer,
	PRIMARY KEY(`item_id`, `platform`),
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`published_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `publications_at` ON `publications` (`published_at`);--> statement-breakpoint
CREATE TABLE `review_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`type` text NOT NULL,
	`actor_id` integer,
	`step_key` text,
	`opinion` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_events_item` ON `review_events` (`item_id`);--> statement-breakpoint
CREATE INDEX `review_events_at` ON `review_events` (`at`);--> statement-breakpoint
CREATE TABLE `review_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`position` integer NOT NULL,
	`step_key` text NOT NULL,
	`label` text NOT NULL,
	`role` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` integer,
	`decided_by` integer,
	`decided_at` integer,
	`opinion` text,
	`breached_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_steps_item_rev_pos` ON `review_steps` (`item_id`,`revision`,`position`);--> statement-breakpoint
CREATE INDEX `review_steps_status_role` ON `review_steps` (`status`,`role`);--> statement-breakpoint
CREATE TABLE `revisions` (
	`item_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`body` text NOT NULL,
	`findings` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `revision`),
	FOREIGN KEY (`item_id`) REFERENCES `content_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `timers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`fire_at` integer NOT NULL,
	`payload` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` integer NOT NULL,
	`fired_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `timers_kind_ref` ON `timers` (`kind`,`ref`);--> statement-breakpoint
CREATE INDEX `timers_due` ON `timers` (`status`,`fire_at`);