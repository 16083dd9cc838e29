/**
 * Where the seed's rows go: one multi-row INSERT per seeded table, its column list taken from
 * the drizzle table in db/schema (so a renamed or dropped column fails to compile, and a new one
 * fails the first seed until the seed says what to write there), chunked transactions, and the
 * counts of what was written.
 */
import type Database from 'better-sqlite3';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import {
  approvals, auditEvents, clients, contracts, contractVersions, deals, dealStageChanges, fulfilmentTasks, invoices, payments,
} from '../../db/schema/index.ts';
import { zeroCounts, type SeedCounts } from './options.ts';

type ColumnKey<T extends SQLiteTable> = keyof T['_']['columns'] & string;

/**
 * What an INSERT writes in each column, in the order of the SQL column list: `'?'` for a value
 * passed to Batch.add (in this order), anything else as an SQL literal written into every row.
 */
export type Columns<T extends SQLiteTable> = Partial<Record<ColumnKey<T>, string>>;

/**
 * `INSERT INTO t (…)` and its `(?, …)` tuple for the columns in `cols`. Throws when a column of
 * the table is not in `cols`, bar an autoincrement primary key (SQLite numbers those rows).
 */
export function insertSql<T extends SQLiteTable>(table: T, cols: Columns<T>): { head: string; tuple: string } {
  const all = getTableColumns(table) as Record<string, { name: string; primary: boolean; autoIncrement?: boolean }>;
  const missing = Object.keys(all).filter((k) => !(k in cols) && !(all[k]!.primary && all[k]!.autoIncrement));
  const name = getTableName(table);
  if (missing.length > 0) throw new Error(`the seed writes no value for ${missing.map((k) => `${name}.${k}`).join(', ')}: add it to its columns in src/seed/rows.ts`);
  const entries = Object.entries(cols) as [string, string][];
  return {
    head: `INSERT INTO ${name} (${entries.map(([k]) => all[k]!.name).join(', ')})`,
    tuple: `(${entries.map(([, v]) => v).join(', ')})`,
  };
}

/**
 * Rows of one table, inserted `per` at a time with one multi-row INSERT (a third less CPU than a
 * statement per row); `flush()` writes the rest. Foreign keys are off while seeding, so the
 * order in which tables' batches reach the database does not matter.
 */
export class Batch {
  private readonly buf: unknown[] = [];
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly cols: number;
  constructor(
    sqlite: Database.Database,
    head: string,
    tuple: string,
    private readonly per = 16,
  ) {
    this.cols = (tuple.match(/\?/g) ?? []).length;
    this.one = sqlite.prepare(`${head} VALUES ${tuple}`);
    this.many = sqlite.prepare(`${head} VALUES ${Array(per).fill(tuple).join(', ')}`);
  }
  static of<T extends SQLiteTable>(sqlite: Database.Database, table: T, cols: Columns<T>): Batch {
    const { head, tuple } = insertSql(table, cols);
    return new Batch(sqlite, head, tuple);
  }
  add(...values: unknown[]): void {
    for (const v of values) this.buf.push(v);
    if (this.buf.length === this.per * this.cols) {
      this.many.run(this.buf);
      this.buf.length = 0;
    }
  }
  flush(): void {
    for (let i = 0; i < this.buf.length; i += this.cols) this.one.run(this.buf.slice(i, i + this.cols));
    this.buf.length = 0;
  }
}

const V = '?';
/** A table and its columns, checked against the table's own columns. */
const write = <T extends SQLiteTable>(table: T, cols: NoInfer<Columns<T>>) => [table, cols as Columns<SQLiteTable>] as const;

/** Each seeded table with the columns the seed writes; Writer's statements, in this order. */
export const SEEDED = {
  client: write(clients, { id: V, name: V, nameKey: V, ownerId: V, contact: V, segment: 'NULL', eik: 'NULL', vat: 'NULL', industry: 'NULL', region: 'NULL', size: 'NULL', createdBy: V, createdAt: V }),
  deal: write(
    deals,
    { id: V, clientId: V, title: V, stage: V, valueMinor: V, currency: V, expectedClose: V, ownerId: V, lostReason: V, createdAt: V, updatedAt: V },
  ),
  stage: write(dealStageChanges, { dealId: V, fromStage: V, toStage: V, actor: V, reason: V, at: V }),
  audit: write(auditEvents, { actor: V, entity: V, entityId: V, clientId: V, action: V, before: V, after: V, at: V }),
  contract: write(
    contracts,
    { id: V, dealId: V, clientId: V, version: V, status: V, submittedBy: V, createdAt: V, updatedAt: V, signedBy: V, signedAt: V },
  ),
  version: write(
    contractVersions,
    {
      contractId: V, version: V, subject: V, amountMinor: V, currency: V, netDays: V, discountBp: V, kind: V, settlement: V, delivery: V, afterSales: V,
      special: V, exceptions: "'[]'", submittedBy: V, submittedAt: V,
    },
  ),
  approval: write(
    approvals,
    { contractId: V, version: V, fn: V, decision: V, decidedBy: V, decidedAt: V, comment: V, confirmed: 'NULL', requestedAt: V, dueAt: V, remindedAt: 'NULL' },
  ),
  task: write(fulfilmentTasks, { contractId: V, key: V, title: V, service: V, assignee: V, dueDate: V, doneBy: V, doneAt: V, remindedOn: 'NULL' }),
  invoice: write(
    invoices,
    {
      id: V, number: V, clientId: V, contractId: V, dealId: V, amountMinor: V, currency: V, marginMinor: V, productLine: V, issueDate: V, dueDate: V,
      paidMinor: V, paidDate: V, createdBy: V, createdAt: V,
    },
  ),
  payment: write(payments, { invoiceId: V, amountMinor: V, date: V, reference: V, receivedMinor: 'NULL', receivedCurrency: 'NULL', recordedBy: V, recordedAt: V }),
};

/** The tables seed() writes, in SEEDED's order. */
export const SEEDED_TABLES: readonly string[] = Object.values(SEEDED).map(([t]) => getTableName(t));

type Statements = { [K in keyof typeof SEEDED]: Batch };

/**
 * Writes the rows: a Batch per table, a COMMIT every `chunk` rows (the caller opens the first
 * transaction and commits the last), the next ids of the tables whose ids the seed assigns.
 */
export class Writer {
  readonly counts: SeedCounts = zeroCounts();
  readonly st: Statements;
  readonly clientBase: number;
  readonly invoiceBase: number;
  private dealId: number;
  private contractId: number;
  private pending = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly chunk: number,
  ) {
    const maxId = (t: string) => (sqlite.prepare(`SELECT coalesce(max(id), 0) AS m FROM ${t}`).get() as { m: number }).m;
    this.clientBase = maxId('clients');
    this.dealId = maxId('deals');
    this.contractId = maxId('contracts');
    this.invoiceBase = maxId('invoices');
    this.st = Object.fromEntries(
      Object.entries(SEEDED).map(([k, [table, cols]]) => [k, Batch.of(sqlite, table, cols)]),
    ) as Statements;
  }

  nextDeal(): number {
    return ++this.dealId;
  }
  nextContract(): number {
    return ++this.contractId;
  }
  /** The row id of client number `c` (0-based). */
  clientId(c: number): number {
    return this.clientBase + c + 1;
  }

  /** One row written: commit every `chunk` rows. */
  row(): void {
    if (++this.pending >= this.chunk) {
      this.sqlite.exec('COMMIT');
      this.sqlite.exec('BEGIN');
      this.pending = 0;
    }
  }

  audit(actor: string, entity: string, entityId: number, clientId: number, action: string, before: unknown, after: unknown, at: number): void {
    this.st.audit.add(actor, entity, entityId, clientId, action, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), at);
    this.counts.audit++;
    this.row();
  }

  flush(): void {
    for (const b of Object.values(this.st)) b.flush();
  }
}
