CREATE TABLE "abc_lines" (
	"client_id" integer NOT NULL,
	"currency" text NOT NULL,
	"product_line" text NOT NULL,
	"invoices" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "abc_totals" (
	"client_id" integer NOT NULL,
	"currency" text NOT NULL,
	"revenue_minor" bigint NOT NULL,
	"margin_minor" bigint NOT NULL,
	"late_paid" bigint NOT NULL,
	"late_weight" bigint NOT NULL,
	"invoices" bigint NOT NULL,
	"line_count" bigint NOT NULL,
	"overdue_minor" bigint NOT NULL,
	"overdue_due" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "abc_window" (
	"id" bigint PRIMARY KEY NOT NULL,
	"period_from" text NOT NULL,
	"period_to" text NOT NULL,
	"ready" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segment_runs" (
	"id" bigint PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"writer" text NOT NULL,
	"written_at" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "deal_stage_changes_deal_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "abc_lines_uq" ON "abc_lines" USING btree ("client_id","currency","product_line");--> statement-breakpoint
CREATE UNIQUE INDEX "abc_totals_uq" ON "abc_totals" USING btree ("client_id","currency");--> statement-breakpoint
CREATE INDEX "deal_stage_changes_deal_at_idx" ON "deal_stage_changes" USING btree ("deal_id","at");--> statement-breakpoint
CREATE INDEX "invoices_issue_idx" ON "invoices" USING btree ("issue_date");