CREATE TABLE `outbox_channels` (
	`channel` text PRIMARY KEY NOT NULL,
	`holder` text,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`next_post_at` integer DEFAULT 0 NOT NULL,
	`paused_until` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_by` text;--> statement-breakpoint
CREATE INDEX `outbox_channel_idx` ON `outbox` (`state`,`channel`,`id`);