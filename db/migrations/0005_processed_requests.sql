CREATE TABLE `processed_requests` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `processed_requests_at_idx` ON `processed_requests` (`at`);