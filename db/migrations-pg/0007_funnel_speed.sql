CREATE TABLE "deal_last_changes" (
	"deal_id" integer PRIMARY KEY NOT NULL,
	"change_id" integer NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "deal_stage_changes_at_idx" ON "deal_stage_changes" USING btree ("at","deal_id","from_stage","to_stage");--> statement-breakpoint
CREATE INDEX "deals_funnel_idx" ON "deals" USING btree ("stage","owner_id","currency","created_at","value_minor");--> statement-breakpoint
CREATE INDEX "invoices_deal_idx" ON "invoices" USING btree ("deal_id") WHERE deal_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_unpaid_idx" ON "invoices" USING btree ("currency","due_date","amount_minor","paid_minor","paid_date") WHERE paid_date IS NULL;