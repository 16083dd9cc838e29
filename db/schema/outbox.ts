import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { OUTBOX_OPS, OUTBOX_STATES } from '../../src/domain/outbox.ts';

/**
 * Slack messages that follow a change, written in the change's transaction and delivered
 * afterwards, so a failed post never rolls back the business change and is never lost.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    op: text('op', { enum: OUTBOX_OPS }).notNull(),
    /** Channel id, or a user id for a DM. */
    channel: text('channel').notNull(),
    /** For `post`: the key under which the delivered message's ts is remembered. For `update`: the message to update. */
    messageKey: text('message_key'),
    /** For a thread reply: the key of the thread's root message. */
    threadKey: text('thread_key'),
    payload: text('payload', { mode: 'json' }).notNull(),
    state: text('state', { enum: OUTBOX_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    ts: text('ts'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    /** The sender (instance) that claimed the row while `sending`; its retry or failure records only while it still holds the row. */
    claimedBy: text('claimed_by'),
  },
  (t) => [index('outbox_due_idx').on(t.state, t.nextAttemptAt), index('outbox_channel_idx').on(t.state, t.channel, t.id)],
);

/**
 * One row per channel the outbox has sent to, shared by every instance: who may deliver to it
 * now (a lease, so one instance at a time keeps the channel's order), and when it may next take
 * a post (Slack's pace) or any call at all (a 429's Retry-After). Times are ms since the epoch.
 */
export const outboxChannels = sqliteTable('outbox_channels', {
  /** The outbox row's channel: a channel id, or a user id for a DM or an App Home. */
  channel: text('channel').primaryKey(),
  /** The instance delivering to the channel until `lease_until`; null when released. */
  holder: text('holder'),
  leaseUntil: integer('lease_until').notNull().default(0),
  /** The next chat.postMessage / file upload to the channel not before this. */
  nextPostAt: integer('next_post_at').notNull().default(0),
  /** No Slack call to the channel before this (Slack answered 429 with Retry-After). */
  pausedUntil: integer('paused_until').notNull().default(0),
});

/** Where a message we posted lives, so later updates and thread replies find it. */
export const slackMessages = sqliteTable(
  'slack_messages',
  {
    key: text('key').primaryKey(),
    channel: text('channel').notNull(),
    ts: text('ts').notNull(),
  },
  (t) => [uniqueIndex('slack_messages_ts_uq').on(t.channel, t.ts)],
);

/** Scheduled jobs claim a run key once per period, across restarts and processes. */
export const jobRuns = sqliteTable('job_runs', {
  runKey: text('run_key').primaryKey(),
  job: text('job').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
});
