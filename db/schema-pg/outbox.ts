import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { OUTBOX_OPS, OUTBOX_STATES } from '../../src/domain/outbox.ts';
import { id, int8 } from './columns.ts';

/** The PostgreSQL DDL of db/schema/outbox.ts. */
export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    op: text('op').$type<(typeof OUTBOX_OPS)[number]>().notNull(),
    channel: text('channel').notNull(),
    messageKey: text('message_key'),
    threadKey: text('thread_key'),
    /** JSON as text. */
    payload: text('payload').notNull(),
    state: text('state').$type<(typeof OUTBOX_STATES)[number]>().notNull(),
    attempts: int8('attempts').notNull().default(0),
    nextAttemptAt: int8('next_attempt_at').notNull(),
    lastError: text('last_error'),
    ts: text('ts'),
    createdAt: int8('created_at').notNull(),
    sentAt: int8('sent_at'),
    claimedBy: text('claimed_by'),
  },
  (t) => [index('outbox_due_idx').on(t.state, t.nextAttemptAt), index('outbox_channel_idx').on(t.state, t.channel, t.id)],
);

export const outboxChannels = pgTable('outbox_channels', {
  channel: text('channel').primaryKey(),
  holder: text('holder'),
  leaseUntil: int8('lease_until').notNull().default(0),
  nextPostAt: int8('next_post_at').notNull().default(0),
  pausedUntil: int8('paused_until').notNull().default(0),
});

export const slackMessages = pgTable(
  'slack_messages',
  {
    key: text('key').primaryKey(),
    channel: text('channel').notNull(),
    ts: text('ts').notNull(),
  },
  (t) => [uniqueIndex('slack_messages_ts_uq').on(t.channel, t.ts)],
);

export const jobRuns = pgTable('job_runs', {
  runKey: text('run_key').primaryKey(),
  job: text('job').notNull(),
  startedAt: int8('started_at').notNull(),
  finishedAt: int8('finished_at'),
});
