CREATE TABLE "outbox_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"holder" text,
	"lease_until" bigint DEFAULT 0 NOT NULL,
	"next_post_at" bigint DEFAULT 0 NOT NULL,
	"paused_until" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "claimed_by" text;--> statement-breakpoint
CREATE INDEX "outbox_channel_idx" ON "outbox" USING btree ("state","channel","id");