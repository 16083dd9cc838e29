import { addDays, decideTick, localDate, type Service } from '../domain/index.ts';
import { recordAudit, type Tx } from '../repos/audit.ts';
import { findTask, insertTasks, markTaskReminded, overdueTasks, tasksOf, tickTask, type TaskRow } from '../repos/delivery.ts';
import { findClientById } from '../repos/clients.ts';
import type { Store } from '../repos/store.ts';
import { enqueue } from '../repos/outbox.ts';
import { loadSnapshot, type ContractSnapshot } from '../repos/contracts.ts';
import type { Ctx } from './context.ts';
import { ok, refuse, type Result } from './refusals.ts';

/** Who answers for each service's tasks on a contract. */
function assigneeFor(ctx: Ctx, service: Service, snap: ContractSnapshot): string {
  const set = ctx.policy.delivery.assignees;
  switch (service) {
    case 'sales':
      return snap.client.ownerId;
    case 'finance':
      return set.finance ?? ctx.roles.finance[0] ?? snap.client.ownerId;
    case 'legal':
      return set.legal ?? ctx.roles.legal[0] ?? snap.client.ownerId;
    case 'service_unit':
      return set.service_unit ?? snap.client.ownerId;
  }
}

/** Called inside the signature's transaction: the checklist for the contract's kind, from the policy. */
export async function createChecklist(ctx: Ctx, tx: Tx, snap: ContractSnapshot): Promise<TaskRow[]> {
  const signedOn = localDate(ctx.now, ctx.tz);
  await insertTasks(
    tx,
    snap.contract.id,
    ctx.policy.delivery.checklists[snap.terms.kind].map((t) => ({ key: t.key, title: t.title, service: t.service, assignee: assigneeFor(ctx, t.service, snap), dueDate: addDays(signedOn, t.dueDays) })),
  );
  return await tasksOf(tx, snap.contract.id);
}

export interface Checklist {
  snap: ContractSnapshot;
  tasks: TaskRow[];
}

export async function showChecklist(store: Store, contractId: number): Promise<Result<Checklist>> {
  return store.read(async (tx) => {
    const snap = await loadSnapshot(tx, contractId);
    if (!snap) return refuse<Checklist>({ kind: 'unknown-contract', id: contractId });
    const tasks = await tasksOf(tx, contractId);
    if (tasks.length === 0) return refuse<Checklist>({ kind: 'no-checklist', id: contractId, status: snap.contract.status });
    return ok({ snap, tasks });
  });
}

/** The services a person answers for on this contract. */
export function servicesOf(ctx: Ctx, snap: ContractSnapshot, fns: { legal: boolean; finance: boolean }): Service[] {
  const s = new Set<Service>();
  if (ctx.actor === snap.client.ownerId || ctx.actor === snap.contract.submittedBy) s.add('sales');
  if (fns.finance) s.add('finance');
  if (fns.legal) s.add('legal');
  if (ctx.policy.delivery.assignees.service_unit === ctx.actor) s.add('service_unit');
  if (ctx.roles.admins.includes(ctx.actor)) for (const x of ['sales', 'finance', 'legal', 'service_unit'] as const) s.add(x);
  return [...s];
}

/** Tick a task: only its responsible service (or its assignee) may. */
export async function tickChecklistTask(ctx: Ctx, taskId: number, fns: { legal: boolean; finance: boolean }): Promise<Result<Checklist>> {
  return ctx.store.write(async (tx) => {
    const task = await findTask(tx, taskId);
    if (!task) return refuse<Checklist>({ kind: 'unknown-task', id: taskId });
    const snap = (await loadSnapshot(tx, task.contractId))!;
    const services = servicesOf(ctx, snap, fns);
    if (task.assignee === ctx.actor) services.push(task.service);
    const d = decideTick(task, services);
    if (!d.ok) return refuse<Checklist>({ kind: 'task', title: task.title, refusal: d.refusal });
    if (!await tickTask(tx, task.id, ctx.actor, ctx.now)) return refuse<Checklist>({ kind: 'task', title: task.title, refusal: { kind: 'already-done', by: (await findTask(tx, taskId))?.doneBy ?? '' } });
    await recordAudit(tx, { actor: ctx.actor, entity: 'task', entityId: task.id, clientId: snap.client.id, action: 'done', before: { done: false }, after: { title: task.title, contractId: task.contractId }, at: ctx.now });
    await enqueue(tx, ctx.render([{ kind: 'home', users: [task.assignee, snap.client.ownerId] }]), ctx.now);
    return ok({ snap, tasks: await tasksOf(tx, task.contractId) });
  });
}

/** Remind each assignee of their open tasks past due, once a day. */
export async function remindOverdueTasks(ctx: Ctx): Promise<number> {
  const today = localDate(ctx.now, ctx.tz);
  return ctx.store.write(async (tx) => {
    const due = await overdueTasks(tx, today);
    const items = [];
    for (const task of due) {
      await markTaskReminded(tx, task.id, today);
      const snap = (await loadSnapshot(tx, task.contractId))!;
      items.push({ kind: 'task-overdue' as const, task, clientName: (await findClientById(tx, snap.client.id))?.name ?? snap.client.name, today });
    }
    await enqueue(tx, ctx.render(items), ctx.now);
    return items.length;
  });
}
