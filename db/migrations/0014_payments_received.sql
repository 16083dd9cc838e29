ALTER TABLE `payments` ADD `received_minor` integer;--> statement-breakpoint
ALTER TABLE `payments` ADD `received_currency` text;--> statement-breakpoint
CREATE INDEX `dunning_events_user_idx` ON `dunning_events` (`user_id`,`event`);