CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deals_one_sales_deal_uq` ON `deals` (`client_id`) WHERE stage IN ('lead', 'qualified', 'proposal', 'contract');--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_one_active_per_deal_uq` ON `contracts` (`deal_id`) WHERE status <> 'rejected';