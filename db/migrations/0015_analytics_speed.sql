CREATE TABLE `abc_lines` (
	`client_id` integer NOT NULL,
	`currency` text NOT NULL,
	`product_line` text NOT NULL,
	`invoices` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `abc_lines_uq` ON `abc_lines` (`client_id`,`currency`,`product_line`);--> statement-breakpoint
CREATE TABLE `abc_totals` (
	`client_id` integer NOT NULL,
	`currency` text NOT NULL,
	`revenue_minor` integer NOT NULL,
	`margin_minor` integer NOT NULL,
	`late_paid` integer NOT NULL,
	`late_weight` integer NOT NULL,
	`invoices` integer NOT NULL,
	`line_count` integer NOT NULL,
	`overdue_minor` integer NOT NULL,
	`overdue_due` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `abc_totals_uq` ON `abc_totals` (`client_id`,`currency`);--> statement-breakpoint
CREATE TABLE `abc_window` (
	`id` integer PRIMARY KEY NOT NULL,
	`period_from` text NOT NULL,
	`period_to` text NOT NULL,
	`ready` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `segment_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`writer` text NOT NULL,
	`written_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `deal_stage_changes_deal_idx`;--> statement-breakpoint
CREATE INDEX `deal_stage_changes_deal_at_idx` ON `deal_stage_changes` (`deal_id`,`at`);--> statement-breakpoint
CREATE INDEX `invoices_issue_idx` ON `invoices` (`issue_date`);