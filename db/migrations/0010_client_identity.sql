ALTER TABLE `clients` ADD `eik` text;--> statement-breakpoint
ALTER TABLE `clients` ADD `vat` text;--> statement-breakpoint
CREATE UNIQUE INDEX `clients_eik_uq` ON `clients` (`eik`) WHERE "clients"."eik" IS NOT NULL;