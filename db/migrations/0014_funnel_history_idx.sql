DROP INDEX `deal_stage_changes_deal_idx`;--> statement-breakpoint
CREATE INDEX `deal_stage_changes_deal_at_idx` ON `deal_stage_changes` (`deal_id`,`at`);