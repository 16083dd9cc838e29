/** Delivery tasks: a signed contract's checklist, ticked as far as the deal has got. */
import { DEFAULT_CHECKLISTS, type TaskTemplate } from '../domain/delivery.ts';
import { ownerOf, type Seeding } from './context.ts';
import { int } from './rng.ts';

/**
 * The checklist of a contract signed on `signDay`: every task done when `allDone`, else those
 * long due mostly done; the `invoice` task done when the invoice was issued (`invoiceDoneAt`).
 */
export function writeTasks(s: Seeding, c: number, contract: number, kind: 'goods' | 'services', signDay: number, allDone: boolean, invoiceDoneAt: number | null): void {
  const { cal, rD, w } = s;
  const owner = ownerOf(s, c);
  const list: TaskTemplate[] = DEFAULT_CHECKLISTS[kind];
  for (const t of list) {
    const assignee = t.service === 'finance' ? s.finance : owner;
    const dueDay = signDay + t.dueDays;
    let doneAt: number | null = null;
    if (t.key === 'invoice') doneAt = invoiceDoneAt;
    else if (allDone || (dueDay < 0 && rD() < 0.7) || (dueDay >= 0 && rD() < 0.2)) doneAt = cal.at(Math.min(-1, dueDay - int(rD, 0, 2)), rD);
    if (doneAt !== null && doneAt < cal.at(signDay, rD)) doneAt = cal.at(signDay, rD) + 3_600_000;
    w.st.task.add(contract, t.key, t.title, t.service, assignee, cal.date(dueDay), doneAt !== null ? assignee : null, doneAt);
    w.counts.tasks++;
    w.row();
  }
}
