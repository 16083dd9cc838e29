CREATE TABLE `client_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`reviewed_on` text NOT NULL,
	`note` text NOT NULL,
	`reviewed_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `client_reviews_client_idx` ON `client_reviews` (`client_id`,`reviewed_on`);--> statement-breakpoint
CREATE TABLE `quiet_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`spell_from` text NOT NULL,
	`alerted_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiet_alerts_client_spell_uq` ON `quiet_alerts` (`client_id`,`spell_from`);--> statement-breakpoint
ALTER TABLE `clients` ADD `industry` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `region` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `size` text;