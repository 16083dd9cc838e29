CREATE TABLE `segment_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`from_segment` text,
	`to_segment` text NOT NULL,
	`figures` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `segment_changes_client_idx` ON `segment_changes` (`client_id`);--> statement-breakpoint
CREATE TABLE `segment_snapshots` (
	`client_id` integer PRIMARY KEY NOT NULL,
	`criterion` text NOT NULL,
	`segment` text NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`revenue_minor` integer NOT NULL,
	`margin_minor` integer NOT NULL,
	`base_currency` text NOT NULL,
	`assortment` integer NOT NULL,
	`days_late` real NOT NULL,
	`share` real NOT NULL,
	`cumulative_share` real NOT NULL,
	`rank` integer NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `approvals` ADD `confirmed` text;--> statement-breakpoint
ALTER TABLE `contract_versions` ADD `exceptions` text DEFAULT '[]' NOT NULL;