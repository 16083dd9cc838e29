-- The invoice-number counter, as SQLite's 0009: src/repos/invoices.ts nextInvoiceNumber expects the row.
-- It starts where the invoices left off (none on a fresh database); npm run db:copy replaces it with the source's.
INSERT INTO "counters" ("name", "value") SELECT 'invoice', coalesce(max("id"), 0) FROM "invoices";
