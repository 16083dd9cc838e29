ALTER TABLE "payments" ADD COLUMN "received_minor" bigint;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "received_currency" text;--> statement-breakpoint
CREATE INDEX "dunning_events_user_idx" ON "dunning_events" USING btree ("user_id","event");