-- The invoice-number counter starts where max(id)+1 numbering left off (INV-<id>), so the next
-- invoice gets the number it would have had.
INSERT INTO `counters` (`name`, `value`) SELECT 'invoice', coalesce(max(`id`), 0) FROM `invoices`;
