import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { SERVICES } from '../../src/domain/delivery.ts';
import { contracts } from './contracts.ts';

/** A contract's delivery checklist: who answers for what, by when, and who ticked it. */
export const fulfilmentTasks = sqliteTable(
  'fulfilment_tasks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    key: text('key').notNull(),
    title: text('title').notNull(),
    service: text('service', { enum: SERVICES }).notNull(),
    assignee: text('assignee').notNull(),
    dueDate: text('due_date').notNull(),
    doneBy: text('done_by'),
    doneAt: integer('done_at'),
    remindedOn: text('reminded_on'),
  },
  (t) => [uniqueIndex('fulfilment_tasks_uq').on(t.contractId, t.key), index('fulfilment_tasks_open_idx').on(t.doneAt, t.dueDate)],
);
