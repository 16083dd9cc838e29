import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { fulfilmentTasks } from '../../db/schema/index.ts';
import type { Service } from '../domain/delivery.ts';
import { preparedAll } from './prepared.ts';
import { changed, first, type Tx } from './store.ts';

export type TaskRow = typeof fulfilmentTasks.$inferSelect;

export async function insertTasks(tx: Tx, contractId: number, tasks: { key: string; title: string; service: Service; assignee: string; dueDate: string }[]): Promise<void> {
  if (tasks.length === 0) return;
  await tx
    .insert(fulfilmentTasks)
    .values(tasks.map((t) => ({ contractId, ...t })))
    .onConflictDoNothing();
}

export async function tasksOf(tx: Tx, contractId: number): Promise<TaskRow[]> {
  const build = () =>
    tx
      .select()
      .from(fulfilmentTasks)
      .where(eq(fulfilmentTasks.contractId, sql.placeholder('contractId')))
      .orderBy(asc(fulfilmentTasks.dueDate), asc(fulfilmentTasks.id))
      .prepare();
  return preparedAll(tx, 'tasksOf', build, { contractId });
}

export async function findTask(tx: Tx, id: number): Promise<TaskRow | undefined> {
  return first(tx.select().from(fulfilmentTasks).where(eq(fulfilmentTasks.id, id)));
}

/** Tick a task, guarded: a double click or two people at once tick it once. */
export async function tickTask(tx: Tx, id: number, by: string, at: number): Promise<boolean> {
  return changed(await tx.update(fulfilmentTasks).set({ doneBy: by, doneAt: at }).where(and(eq(fulfilmentTasks.id, id), isNull(fulfilmentTasks.doneAt)))) === 1;
}

export async function tickByKey(tx: Tx, contractId: number, key: string, by: string, at: number): Promise<boolean> {
  const r = await tx
    .update(fulfilmentTasks)
    .set({ doneBy: by, doneAt: at })
    .where(and(eq(fulfilmentTasks.contractId, contractId), eq(fulfilmentTasks.key, key), isNull(fulfilmentTasks.doneAt)));
  return changed(r) === 1;
}

/** Open tasks past due that were not reminded today. */
export async function overdueTasks(tx: Tx, today: string): Promise<TaskRow[]> {
  return tx
    .select()
    .from(fulfilmentTasks)
    .where(and(isNull(fulfilmentTasks.doneAt), lt(fulfilmentTasks.dueDate, today), or(isNull(fulfilmentTasks.remindedOn), sql`${fulfilmentTasks.remindedOn} < ${today}`)))
    .orderBy(asc(fulfilmentTasks.dueDate), asc(fulfilmentTasks.id));
}

export async function markTaskReminded(tx: Tx, id: number, today: string): Promise<void> {
  await tx.update(fulfilmentTasks).set({ remindedOn: today }).where(eq(fulfilmentTasks.id, id));
}
