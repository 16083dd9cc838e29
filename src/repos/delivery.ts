import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { fulfilmentTasks } from '../../db/schema/index.ts';
import type { Service } from '../domain/delivery.ts';
import type { Tx } from './audit.ts';
import { prepared } from './prepared.ts';

export type TaskRow = typeof fulfilmentTasks.$inferSelect;

export function insertTasks(tx: Tx, contractId: number, tasks: { key: string; title: string; service: Service; assignee: string; dueDate: string }[]): void {
  if (tasks.length === 0) return;
  tx.insert(fulfilmentTasks)
    .values(tasks.map((t) => ({ contractId, ...t })))
    .onConflictDoNothing()
    .run();
}

export function tasksOf(tx: Tx, contractId: number): TaskRow[] {
  return prepared(tx, 'tasksOf', () =>
    tx
      .select()
      .from(fulfilmentTasks)
      .where(eq(fulfilmentTasks.contractId, sql.placeholder('contractId')))
      .orderBy(asc(fulfilmentTasks.dueDate), asc(fulfilmentTasks.id))
      .prepare(),
  ).all({ contractId });
}

export function findTask(tx: Tx, id: number): TaskRow | undefined {
  return tx.select().from(fulfilmentTasks).where(eq(fulfilmentTasks.id, id)).get();
}

/** Tick a task, guarded: a double click or two people at once tick it once. */
export function tickTask(tx: Tx, id: number, by: string, at: number): boolean {
  return tx.update(fulfilmentTasks).set({ doneBy: by, doneAt: at }).where(and(eq(fulfilmentTasks.id, id), isNull(fulfilmentTasks.doneAt))).run().changes === 1;
}

export function tickByKey(tx: Tx, contractId: number, key: string, by: string, at: number): boolean {
  return (
    tx
      .update(fulfilmentTasks)
      .set({ doneBy: by, doneAt: at })
      .where(and(eq(fulfilmentTasks.contractId, contractId), eq(fulfilmentTasks.key, key), isNull(fulfilmentTasks.doneAt)))
      .run().changes === 1
  );
}

/** Open tasks past due that were not reminded today. */
export function overdueTasks(tx: Tx, today: string): TaskRow[] {
  return tx
    .select()
    .from(fulfilmentTasks)
    .where(and(isNull(fulfilmentTasks.doneAt), lt(fulfilmentTasks.dueDate, today), or(isNull(fulfilmentTasks.remindedOn), sql`${fulfilmentTasks.remindedOn} < ${today}`)))
    .orderBy(asc(fulfilmentTasks.dueDate))
    .all();
}

export function markTaskReminded(tx: Tx, id: number, today: string): void {
  tx.update(fulfilmentTasks).set({ remindedOn: today }).where(eq(fulfilmentTasks.id, id)).run();
}
