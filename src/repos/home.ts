import { sql } from 'drizzle-orm';
import type { Fn } from '../domain/contracts.ts';
import type { Stage } from '../domain/stages.ts';
import { rowsOf, runSql, type Tx } from './store.ts';

export async function markHomeOpened(tx: Tx, userId: string, at: number): Promise<void> {
  await runSql(tx, sql`INSERT INTO home_users (user_id, opened_at) VALUES (${userId}, ${at}) ON CONFLICT(user_id) DO UPDATE SET opened_at = excluded.opened_at`);
}

export async function hasOpenedHome(tx: Tx, userId: string): Promise<boolean> {
  return (await rowsOf(tx, sql`SELECT 1 FROM home_users WHERE user_id = ${userId}`)).length > 0;
}

export interface StageLine {
  stage: Stage;
  clients: number;
  currency: string | null;
  valueMinor: number;
}

/** The owner's clients by their current stage (most advanced open deal), with deal values per currency. */
export async function clientsByStage(tx: Tx, ownerId: string): Promise<StageLine[]> {
  return rowsOf<StageLine>(
    tx,
    sql`WITH current AS (
         SELECT c.id AS client_id,
                (SELECT d.id FROM deals d WHERE d.client_id = c.id
                  ORDER BY (d.stage IN ('won','lost')),
                           CASE d.stage WHEN 'lead' THEN 0 WHEN 'qualified' THEN 1 WHEN 'proposal' THEN 2 WHEN 'contract' THEN 3 WHEN 'delivery' THEN 4 WHEN 'payment' THEN 5 WHEN 'won' THEN 6 ELSE -1 END DESC,
                           d.id DESC LIMIT 1) AS deal_id
           FROM clients c WHERE c.owner_id = ${ownerId})
       SELECT d.stage AS stage, count(*) AS clients, d.currency AS currency, coalesce(sum(d.value_minor), 0) AS "valueMinor"
         FROM current JOIN deals d ON d.id = current.deal_id
        GROUP BY d.stage, d.currency`,
  );
}

export interface PendingApproval {
  contractId: number;
  version: number;
  fn: Fn;
  clientName: string;
  subject: string;
  amountMinor: number;
  currency: string;
  submittedBy: string;
  dueAt: number;
}

export async function pendingApprovalsFor(tx: Tx, fns: Fn[], userId: string): Promise<PendingApproval[]> {
  if (fns.length === 0) return [];
  return rowsOf<PendingApproval>(
    tx,
    sql`SELECT a.contract_id AS "contractId", a.version, a.function AS fn, cl.name AS "clientName", v.subject, v.amount_minor AS "amountMinor", v.currency,
              c.submitted_by AS "submittedBy", a.due_at AS "dueAt"
         FROM approvals a
         JOIN contracts c ON c.id = a.contract_id AND c.version = a.version AND c.status = 'pending'
         JOIN contract_versions v ON v.contract_id = c.id AND v.version = c.version
         JOIN clients cl ON cl.id = c.client_id
        WHERE a.decision IS NULL AND a.function IN ${fns} AND c.submitted_by <> ${userId}
        ORDER BY a.due_at LIMIT 20`,
  );
}

export interface OverdueLine {
  id: number;
  number: string;
  clientName: string;
  owedMinor: number;
  currency: string;
  dueDate: string;
}

export async function overdueOf(tx: Tx, ownerId: string, today: string): Promise<OverdueLine[]> {
  return rowsOf<OverdueLine>(
    tx,
    sql`SELECT i.id, i.number, cl.name AS "clientName", i.amount_minor - i.paid_minor AS "owedMinor", i.currency, i.due_date AS "dueDate"
         FROM invoices i JOIN clients cl ON cl.id = i.client_id
        WHERE cl.owner_id = ${ownerId} AND i.paid_date IS NULL AND i.due_date < ${today}
        ORDER BY i.due_date, i.id LIMIT 20`,
  );
}

/** A rung sent to a person that nobody has logged an outcome for yet, on an invoice still unpaid. */
export interface DunningTodo {
  invoiceId: number;
  rung: number;
  action: string;
  day: string;
  number: string;
  clientName: string;
  ownerId: string;
  amountMinor: number;
  paidMinor: number;
  currency: string;
  dueDate: string;
}

/**
 * What the dunning ladder asked of `userId` and is still open (SPEC §3 App Home; issue 15: what
 * a run's digest could not show waits here): each unpaid invoice's latest rung sent to them
 * with no outcome logged, the most escalated and most recent first; `limit` of them and how many in all.
 */
export async function dunningTodoOf(tx: Tx, userId: string, limit: number): Promise<{ items: DunningTodo[]; total: number }> {
  const open = sql`FROM dunning_events e
         JOIN invoices i ON i.id = e.invoice_id AND i.paid_date IS NULL
         JOIN clients cl ON cl.id = i.client_id
        WHERE e.user_id = ${userId} AND e.event = 'sent'
          AND NOT EXISTS (SELECT 1 FROM dunning_events l WHERE l.invoice_id = e.invoice_id AND l.event = 'logged' AND l.rung = e.rung)
          AND NOT EXISTS (SELECT 1 FROM dunning_events n WHERE n.invoice_id = e.invoice_id AND n.event = 'sent' AND n.rung > e.rung)`;
  const items = await rowsOf<DunningTodo>(
    tx,
    sql`SELECT e.invoice_id AS "invoiceId", e.rung, e.action, e.day, i.number, cl.name AS "clientName", cl.owner_id AS "ownerId",
               i.amount_minor AS "amountMinor", i.paid_minor AS "paidMinor", i.currency, i.due_date AS "dueDate"
         ${open}
        ORDER BY e.rung DESC, e.day DESC, i.due_date, e.invoice_id LIMIT ${limit}`,
  );
  const [count] = await rowsOf<{ n: number }>(tx, sql`SELECT count(*) AS n ${open}`);
  return { items: items.map((r) => ({ ...r, invoiceId: Number(r.invoiceId), rung: Number(r.rung), amountMinor: Number(r.amountMinor), paidMinor: Number(r.paidMinor) })), total: Number(count?.n ?? 0) };
}
