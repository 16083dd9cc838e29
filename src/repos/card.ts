import { sql, type SQL } from 'drizzle-orm';
import { approvals, clientReviews, clients, contracts, contractVersions, deals, fulfilmentTasks, invoices, segmentSnapshots } from '../../db/schema/index.ts';
import type { SnapshotRow } from './analytics.ts';
import type { ClientRow, DealRow } from './clients.ts';
import type { ApprovalRow, ContractRow, ContractSnapshot, VersionRow } from './contracts.ts';
import type { TaskRow } from './delivery.ts';
import type { InvoiceRow, InvoiceWithClient } from './invoices.ts';
import { col, jsonColumn, jsonList, jsonOf, jsonRow, parsedJson, rowFromJson, rowsFromJson } from './json-rows.ts';
import type { ReviewRow } from './retention.ts';
import { preparedRows } from './prepared.ts';
import type { Tx } from './store.ts';

/** Which client: by id, by name key (nameKey of domain/names.ts) or by ЕИК. */
export type ClientWhere = { id: number } | { nameKey: string } | { eik: string };

/** Everything a client card shows, read in one statement. */
export interface CardRows {
  client: ClientRow;
  /** In id order. */
  deals: DealRow[];
  /** Every contract of the client, newest first. */
  contracts: ContractRow[];
  /** The newest `contracts` contracts with their current version and its approvals. */
  snapshots: ContractSnapshot[];
  /** Delivery tasks not done, newest contract first, then by due date. */
  openTasks: TaskRow[];
  /** Audit events about the client. */
  historyCount: number;
  /** Invoices with something owed, oldest due first, the first `invoices`. */
  openInvoices: InvoiceWithClient[];
  /** The latest recompute's figures. */
  snapshot: SnapshotRow | undefined;
  lastReview: ReviewRow | undefined;
  /** The last segment change's id (null before any): moves whenever a recompute changed a segment. */
  segmentMark: number | null;
}

const BY = { id: clients.id, nameKey: clients.nameKey, eik: clients.eik } as const;

/**
 * A client card in one statement: the client and each part as JSON from correlated subqueries
 * (each on its index), so the card is one round trip on PostgreSQL and one snapshot without a
 * transaction around it, instead of a dozen queries. undefined: no such client.
 */
export async function cardRows(tx: Tx, w: ClientWhere, limits: { contracts: number; invoices: number }): Promise<CardRows | undefined> {
  const [by, value] = Object.entries(w)[0] as [keyof typeof BY, unknown];
  const rows = await preparedRows<Record<string, unknown>>(tx, `card_by_${by}`, () => cardStatement(tx, by), { value, ...limits });
  const r = rows[0];
  if (!r) return undefined;
  const client = rowFromJson<ClientRow>(clients, parsedJson(r.client))!;
  return {
    client,
    deals: rowsFromJson<DealRow>(deals, r.deals),
    contracts: rowsFromJson<ContractRow>(contracts, r.contracts),
    snapshots: ((parsedJson(r.snapshots) as { contract: unknown; terms: unknown; approvals: unknown }[] | null) ?? []).map((s) => {
      const contract = rowFromJson<ContractRow>(contracts, s.contract)!;
      const terms = rowFromJson<VersionRow>(contractVersions, s.terms);
      if (!terms || terms.contractId === null) throw new Error(`contract #${contract.id} is missing its version`);
      return { contract, terms, approvals: rowsFromJson<ApprovalRow>(approvals, s.approvals), client: { id: client.id, name: client.name, ownerId: client.ownerId } };
    }),
    openTasks: rowsFromJson<TaskRow>(fulfilmentTasks, r.openTasks),
    historyCount: Number(r.historyCount),
    // The client's own invoices: its name and owner are the card's.
    openInvoices: rowsFromJson<InvoiceRow>(invoices, r.openInvoices).map((i) => ({ ...i, clientName: client.name, ownerId: client.ownerId })),
    snapshot: rowFromJson<SnapshotRow>(segmentSnapshots, parsedJson(r.snapshot)),
    lastReview: rowFromJson<ReviewRow>(clientReviews, parsedJson(r.lastReview)),
    segmentMark: r.segmentMark === null || r.segmentMark === undefined ? null : Number(r.segmentMark),
  };
}

/** The card's statement, finding the client by `by` (placeholders: value, contracts, invoices). */
function cardStatement(tx: Tx, by: keyof typeof BY): SQL {
  const limit = (name: 'contracts' | 'invoices') => sql.placeholder(name);
  const snapshots = jsonList(
    tx,
    jsonOf(tx, {
      contract: jsonRow(tx, contracts, 'k'),
      terms: jsonRow(tx, contractVersions, 'v'),
      approvals: sql`coalesce(${jsonList(tx, jsonRow(tx, approvals, 'a'), sql`FROM approvals a WHERE a.contract_id = k.id AND a.version = k.version`, col('a', approvals.fn))}, ${sql.raw(`'[]'`)})`,
    }),
    sql`FROM (SELECT * FROM contracts WHERE client_id = c.id ORDER BY id DESC LIMIT ${limit('contracts')}) k LEFT JOIN contract_versions v ON v.contract_id = k.id AND v.version = k.version`,
    sql`k.id DESC`,
  );
  return sql`SELECT ${jsonRow(tx, clients, 'c')} AS "client",
      ${jsonList(tx, jsonRow(tx, deals, 'd'), sql`FROM deals d WHERE d.client_id = c.id`, sql`d.id`)} AS "deals",
      ${jsonList(tx, jsonRow(tx, contracts, 'k'), sql`FROM contracts k WHERE k.client_id = c.id`, sql`k.id DESC`)} AS "contracts",
      ${snapshots} AS "snapshots",
      ${jsonList(tx, jsonRow(tx, fulfilmentTasks, 't'), sql`FROM fulfilment_tasks t JOIN contracts k ON k.id = t.contract_id WHERE k.client_id = c.id AND t.done_at IS NULL`, sql`k.id DESC, t.due_date, t.id`)} AS "openTasks",
      (SELECT count(*) FROM audit_events e WHERE e.client_id = c.id) AS "historyCount",
      ${jsonList(tx, jsonColumn(tx, sql`o.j`), sql`FROM (SELECT ${jsonRow(tx, invoices, 'i')} AS j, i.due_date, i.id FROM invoices i WHERE i.client_id = c.id AND i.paid_date IS NULL ORDER BY i.due_date, i.id LIMIT ${limit('invoices')}) o`, sql`o.due_date, o.id`)} AS "openInvoices",
      (SELECT ${jsonRow(tx, segmentSnapshots, 's', ['computedAt'])} FROM segment_snapshots s WHERE s.client_id = c.id) AS "snapshot",
      (SELECT ${jsonRow(tx, clientReviews, 'r')} FROM client_reviews r WHERE r.client_id = c.id ORDER BY r.reviewed_on DESC, r.id DESC LIMIT 1) AS "lastReview",
      (SELECT max(id) FROM segment_changes) AS "segmentMark"
    FROM clients c WHERE ${col('c', BY[by])} = ${sql.placeholder('value')}`;
}
