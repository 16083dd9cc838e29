import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { SERVICES } from '../../src/domain/delivery.ts';
import { id, int8 } from './columns.ts';
import { contracts } from './contracts.ts';

/** The PostgreSQL DDL of db/schema/delivery.ts. */
export const fulfilmentTasks = pgTable(
  'fulfilment_tasks',
  {
    id: id(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    key: text('key').notNull(),
    title: text('title').notNull(),
    service: text('service').$type<(typeof SERVICES)[number]>().notNull(),
    assignee: text('assignee').notNull(),
    dueDate: text('due_date').notNull(),
    doneBy: text('done_by'),
    doneAt: int8('done_at'),
    remindedOn: text('reminded_on'),
  },
  (t) => [uniqueIndex('fulfilment_tasks_uq').on(t.contractId, t.key), index('fulfilment_tasks_open_idx').on(t.doneAt, t.dueDate)],
);
