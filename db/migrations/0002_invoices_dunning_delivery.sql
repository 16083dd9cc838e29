CREATE TABLE `claim_invoices` (
	`claim_id` integer NOT NULL,
	`invoice_id` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_invoices_uq` ON `claim_invoices` (`claim_id`,`invoice_id`);--> statement-breakpoint
CREATE INDEX `claim_invoices_invoice_idx` ON `claim_invoices` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` integer NOT NULL,
	`status` text NOT NULL,
	`offered_at` integer NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`outcome` text,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `claims_client_idx` ON `claims` (`client_id`);--> statement-breakpoint
CREATE TABLE `dunning_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`event` text NOT NULL,
	`rung` integer,
	`action` text,
	`outcome` text,
	`promise_date` text,
	`user_id` text NOT NULL,
	`note` text,
	`day` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `dunning_events_invoice_idx` ON `dunning_events` (`invoice_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `dunning_sent_uq` ON `dunning_events` (`invoice_id`,`event`,`rung`,`day`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`client_id` integer NOT NULL,
	`contract_id` integer,
	`deal_id` integer,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`margin_minor` integer,
	`product_line` text,
	`issue_date` text NOT NULL,
	`due_date` text NOT NULL,
	`paid_minor` integer DEFAULT 0 NOT NULL,
	`paid_date` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`number`);--> statement-breakpoint
CREATE INDEX `invoices_client_idx` ON `invoices` (`client_id`);--> statement-breakpoint
CREATE INDEX `invoices_open_due_idx` ON `invoices` (`paid_date`,`due_date`);--> statement-breakpoint
CREATE INDEX `invoices_contract_idx` ON `invoices` (`contract_id`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`invoice_id` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`date` text NOT NULL,
	`reference` text,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE TABLE `fulfilment_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contract_id` integer NOT NULL,
	`key` text NOT NULL,
	`title` text NOT NULL,
	`service` text NOT NULL,
	`assignee` text NOT NULL,
	`due_date` text NOT NULL,
	`done_by` text,
	`done_at` integer,
	`reminded_on` text,
	FOREIGN KEY (`contract_id`) REFERENCES `contracts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fulfilment_tasks_uq` ON `fulfilment_tasks` (`contract_id`,`key`);--> statement-breakpoint
CREATE INDEX `fulfilment_tasks_open_idx` ON `fulfilment_tasks` (`done_at`,`due_date`);