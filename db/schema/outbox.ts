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
  },
  (t) => [index('outbox_due_idx').on(t.state, t.nextAttemptAt)],
);

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
