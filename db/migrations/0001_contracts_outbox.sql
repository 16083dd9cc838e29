CREATE TABLE `approvals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_id` integer NOT NULL,
	`version` integer NOT NULL,
	`function` text NOT NULL,
	`decision` text,
	`decided_by` text,
	`decided_at` integer,
	`comment` text,
	`requested_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`reminded_at` integer,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_uq` ON `approvals` (`contract_id`,`version`,`function`);--> statement-breakpoint
CREATE INDEX `approvals_pending_idx` ON `approvals` (`decision`,`due_at`);--> statement-breakpoint
CREATE TABLE `contract_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_id` integer NOT NULL,
	`version` integer NOT NULL,
	`subject` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`net_days` integer NOT NULL,
	`discount_bp` integer NOT NULL,
	`kind` text NOT NULL,
	`settlement` text,
	`delivery` text,
	`after_sales` text,
	`special` text,
	`submitted_by` text NOT NULL,
	`submitted_at` integer NOT NULL,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contract_versions_uq` ON `contract_versions` (`contract_id`,`version`);--> statement-breakpoint
CREATE TABLE `contracts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`deal_id` integer NOT NULL,
	`client_id` integer NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`submitted_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`signed_by` text,
	`signed_at` integer,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contracts_deal_idx` ON `contracts` (`deal_id`);--> statement-breakpoint
CREATE INDEX `contracts_client_idx` ON `contracts` (`client_id`);--> statement-breakpoint
CREATE INDEX `contracts_status_idx` ON `contracts` (`status`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`run_key` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`op` text NOT NULL,
	`channel` text NOT NULL,
	`message_key` text,
	`thread_key` text,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`ts` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `slack_messages` (
	`key` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`ts` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slack_messages_ts_uq` ON `slack_messages` (`channel`,`ts`);