CREATE TABLE "user_prefs" (
	"user_id" text PRIMARY KEY NOT NULL,
	"locale" text NOT NULL,
	"updated_at" bigint NOT NULL
);
