import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { invoices } from '../../db/schema/index.ts';
import type { Segment } from '../domain/stages.ts';
import { enqueue, type OutboxItem } from './outbox.ts';
import { totalsAggregates, type CurrencyAggregate } from './abc-totals.ts';
import { idSet, rowsOf, runSql, sqliteOf, type Store, type Tx } from './store.ts';

export type { CurrencyAggregate } from './abc-totals.ts';

/**
 * The ABC aggregate per client and currency. It reads only invoices_abc_idx, a covering index
 * led by the GROUP BY columns (client_id, currency), so SQLite walks that index in group order:
 * no table row is looked up and no sorter is built, and ORDER BY costs nothing. With planner
 * statistics SQLite may skip-scan it instead, seeking each client's and currency's first issue
 * date of the period; either way it stays in index order (test/abc-recompute.test.ts holds
 * the plan). What it costs beyond a plain GROUP BY is mostly the DISTINCT product lines, a small
 * temporary b-tree per group (the line count reuses the same aggregate). Late days are only
 * computed where the invoice was paid, or is still owed, after its due date (ISO dates compare
 * as strings), so on-time invoices parse no date. `+issue_date` keeps SQLite off invoices_issue_idx:
 * the period is most of the invoices, which that index would look up one by one.
 */
export const INVOICE_AGGREGATES_SQL = `SELECT client_id, currency,
       sum(amount_minor),
       sum(coalesce(margin_minor, 0)),
       sum(CASE WHEN amount_minor > 0 AND coalesce(paid_date, @today) > due_date
                THEN amount_minor * (julianday(coalesce(paid_date, @today)) - julianday(due_date)) ELSE 0 END),
       sum(max(amount_minor, 0)),
       count(*),
       json_group_array(DISTINCT product_line) FILTER (WHERE product_line <> ''),
       json_array_length(json_group_array(DISTINCT product_line) FILTER (WHERE product_line <> ''))
  FROM invoices
 WHERE +issue_date >= @from AND +issue_date <= @to
 GROUP BY client_id, currency
 ORDER BY client_id, currency`;

/** The same aggregate on PostgreSQL: json_agg for the lines, date subtraction for late days. */
function pgInvoiceAggregates(from: string, to: string, today: string) {
  return sql`SELECT client_id AS c0, currency AS c1,
       sum(amount_minor) AS c2,
       sum(coalesce(margin_minor, 0)) AS c3,
       sum(CASE WHEN amount_minor > 0 AND coalesce(paid_date, ${today}) > due_date
                THEN amount_minor * (coalesce(paid_date, ${today})::date - due_date::date) ELSE 0 END) AS c4,
       sum(greatest(amount_minor, 0)) AS c5,
       count(*) AS c6,
       coalesce(json_agg(DISTINCT product_line) FILTER (WHERE product_line <> ''), '[]')::text AS c7,
       count(DISTINCT product_line) FILTER (WHERE product_line <> '') AS c8
  FROM invoices
 WHERE issue_date >= ${from} AND issue_date <= ${to}
 GROUP BY client_id, currency
 ORDER BY client_id, currency`;
}

/**
 * The ABC aggregates of the period from the running totals when they hold that period
 * (src/repos/abc-totals.ts; lateness runs to the period's last day), else from the invoices.
 */
export async function abcAggregates(tx: Tx, from: string, to: string): Promise<CurrencyAggregate[]> {
  return (await totalsAggregates(tx, { from, to })) ?? invoiceAggregates(tx, from, to, to);
}

export async function invoiceAggregates(tx: Tx, from: string, to: string, today: string): Promise<CurrencyAggregate[]> {
  const conn = sqliteOf(tx);
  if (conn) return conn.prepare(INVOICE_AGGREGATES_SQL).raw(true).all({ from, to, today }) as CurrencyAggregate[];
  type R = { c0: number; c1: string; c2: number; c3: number; c4: number; c5: number; c6: number; c7: string; c8: number };
  return (await rowsOf<R>(tx, pgInvoiceAggregates(from, to, today))).map((r) => [r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8]);
}

/**
 * Every client's id and stored segment, in id order, as two arrays. Two JSON arrays built by
 * SQLite and parsed by V8 cost a fifth of 100,000 rows handed over one by one.
 */
export async function clientSegments(tx: Tx): Promise<{ ids: number[]; segments: (Segment | null)[] }> {
  const conn = sqliteOf(tx);
  const [ids, segments] = conn
    ? (conn.prepare('SELECT json_group_array(id), json_group_array(segment) FROM (SELECT id, segment FROM clients ORDER BY id)').raw(true).get() as [string, string])
    : await rowsOf<{ i: string; s: string }>(tx, sql`SELECT coalesce(json_agg(id ORDER BY id), '[]')::text AS i, coalesce(json_agg(segment ORDER BY id), '[]')::text AS s FROM clients`).then(
        (r) => [r[0]!.i, r[0]!.s] as [string, string],
      );
  return { ids: JSON.parse(ids) as number[], segments: JSON.parse(segments) as (Segment | null)[] };
}


/** Names and owners of just these clients (the few a summary or an alert shows). */
export async function clientNames(tx: Tx, ids: readonly number[]): Promise<Map<number, { name: string; ownerId: string }>> {
  const out = new Map<number, { name: string; ownerId: string }>();
  if (ids.length === 0) return out;
  const rows = await rowsOf<{ id: number; name: string; ownerId: string }>(tx, sql`SELECT id, name, owner_id AS "ownerId" FROM clients WHERE id IN ${idSet(tx, ids)}`);
  for (const r of rows) out.set(r.id, { name: r.name, ownerId: r.ownerId });
  return out;
}

export interface SnapshotRow {
  clientId: number;
  criterion: string;
  segment: Segment;
  periodFrom: string;
  periodTo: string;
  revenueMinor: number;
  marginMinor: number;
  baseCurrency: string;
  assortment: number;
  daysLate: number;
  share: number;
  cumulativeShare: number;
  rank: number;
}

/** What every snapshot of one recompute shares. */
export type SnapshotRun = Pick<SnapshotRow, 'criterion' | 'periodFrom' | 'periodTo' | 'baseCurrency'>;
/** One client's part of a snapshot (an AbcRow has all of it). */
export type SnapshotFigures = Omit<SnapshotRow, keyof SnapshotRun>;
export interface SegmentChangeRecord {
  clientId: number;
  from: Segment | null;
  to: Segment;
  figures: object;
}

/**
 * Snapshots per write transaction. The bot's own writes (a click, a new invoice) wait for
 * this lock, so no transaction may hold it for long; each batch is whole, so a crash
 * between batches leaves a mix of the last recompute's snapshots and this one's, which the
 * next run completes.
 */
const SEGMENT_BATCH = 500;
/**
 * On PostgreSQL a batch locks only its own snapshot rows (nobody else writes them), so batches
 * are larger and there is no pause: a round trip costs what SQLite's lock does. At 100,000
 * clients, 5,000 a batch took the nightly rewrite from 4.3 s to 3.2 s.
 */
const PG_SEGMENT_BATCH = 5000;
/**
 * A pause between batches, so that a writer polling for the lock (SQLite's busy handler sleeps
 * 1, 2, 5, 10 … ms between tries) finds it free. Beside a full rewrite of the bench's 100,000
 * snapshots, a writer committing every 10 ms waited at most 0.19-0.74 s without a pause, 14-20 ms
 * with this one (three runs each). It costs 0.4 s on such a rewrite, nothing when nothing changed.
 */
const BATCH_PAUSE_MS = 2;

const SNAPSHOT_COLUMNS = ['client_id', 'segment', 'revenue_minor', 'margin_minor', 'assortment', 'days_late', 'share', 'cumulative_share', 'rank'] as const;

/**
 * The stored snapshots written by a recompute like `run`, column by column: one row of JSON
 * arrays, a fifth of what 100,000 rows handed over one by one cost. The arrays line up: one
 * aggregate step feeds each row to all of them in turn (json_agg has no parallel form). Reals come
 * as their shortest exact digits, which parse back to the very same double. A snapshot of another
 * criterion, period or base currency is not read: it differs anyway.
 */
async function storedSnapshots(tx: Tx, run: SnapshotRun): Promise<{ [K in keyof SnapshotFigures]: SnapshotFigures[K][] }> {
  const conn = sqliteOf(tx);
  const ofRun = 'WHERE criterion = @criterion AND period_from = @periodFrom AND period_to = @periodTo AND base_currency = @baseCurrency';
  const columns = conn
    ? (conn.prepare(`SELECT ${SNAPSHOT_COLUMNS.map((c) => `json_group_array(${c})`).join(', ')} FROM segment_snapshots ${ofRun}`).raw(true).get(run) as string[])
    : await rowsOf<Record<string, string>>(
        tx,
        sql`SELECT ${sql.raw(SNAPSHOT_COLUMNS.map((c, i) => `coalesce(json_agg(${c}), '[]')::text AS c${i}`).join(', '))} FROM segment_snapshots
             WHERE criterion = ${run.criterion} AND period_from = ${run.periodFrom} AND period_to = ${run.periodTo} AND base_currency = ${run.baseCurrency}`,
      ).then(([row]) => SNAPSHOT_COLUMNS.map((_, i) => row![`c${i}`]!));
  const column = <T>(i: number) => JSON.parse(columns[i]!) as T[];
  return {
    clientId: column(0),
    segment: column(1),
    revenueMinor: column(2),
    marginMinor: column(3),
    assortment: column(4),
    daysLate: column(5),
    share: column(6),
    cumulativeShare: column(7),
    rank: column(8),
  };
}

/**
 * Store a recompute: each client's snapshot that differs in any field from the stored one
 * (or is new), the segment the card shows, and each change of segment. Snapshots that are the
 * same are not written, so their `computed_at` stays the time their figures were last written.
 * They are written in short batches in client order (neighbouring rows share pages, so each
 * commit writes few, and the bot's writes get the lock between them), a first segment too.
 * The changes to alert (from an earlier segment) go last, in one transaction with their alert's
 * outbox rows, each guarded on the segment it was computed from: of two recomputes in two
 * processes, only the first records and alerts a change. `alertsFor` renders the alert from the
 * changes that applied (pure: it runs inside the transaction). `changes` are of clients in
 * `rows`. Returns how many snapshots were written and which alerted changes applied.
 *
 * A run whose snapshots all got written records a fingerprint of its figures (segment_runs);
 * a later run with the same fingerprint and no change of segment writes nothing and reads no
 * snapshot back (the same day again costs no comparison of every client's stored figures).
 */
export async function writeSegments<C extends SegmentChangeRecord>(
  store: Store,
  run: SnapshotRun,
  rows: readonly SnapshotFigures[],
  changes: readonly C[],
  at: number,
  alertsFor: (applied: C[]) => readonly OutboxItem[] = () => [],
): Promise<{ written: number; applied: C[] }> {
  const fingerprint = fingerprintOf(run, rows);
  const last = await store.read((tx) => lastRun(tx));
  if (changes.length === 0 && last?.fingerprint === fingerprint) return { written: 0, applied: [] };
  const { stored, writer } = await store.read(async (tx) => ({ stored: await storedSnapshots(tx, run), writer: (await lastRun(tx))?.writer ?? null }));
  const index = new Map<number, number>();
  for (let i = 0; i < stored.clientId.length; i++) index.set(stored.clientId[i]!, i);
  const changeOf = new Map(changes.map((c) => [c.clientId, c]));
  const dirty = rows.filter((r) => {
    const i = index.get(r.clientId);
    return (
      i === undefined ||
      changeOf.has(r.clientId) ||
      stored.segment[i] !== r.segment ||
      stored.revenueMinor[i] !== r.revenueMinor ||
      stored.marginMinor[i] !== r.marginMinor ||
      stored.assortment[i] !== r.assortment ||
      stored.daysLate[i] !== r.daysLate ||
      stored.share[i] !== r.share ||
      stored.cumulativeShare[i] !== r.cumulativeShare ||
      stored.rank[i] !== r.rank
    );
  });
  // The fingerprint is recorded only when the snapshots are this run's throughout: each batch
  // marks itself the last writer (and clears the fingerprint); a batch that finds another run's
  // mark, or an end that finds one, means two recomputes wrote at once, and none is recorded.
  const me = randomUUID();
  const mark = async (tx: Tx): Promise<string | null> => {
    const prev = (await lastRun(tx))?.writer ?? null;
    await runSql(tx, sql`INSERT INTO segment_runs (id, fingerprint, writer, written_at) VALUES (1, '', ${me}, ${at}) ON CONFLICT (id) DO UPDATE SET fingerprint = '', writer = excluded.writer, written_at = excluded.written_at`);
    return prev;
  };
  const record = (expected: string | null) =>
    store.write(
      (tx) =>
        runSql(
          tx,
          expected === null
            ? sql`INSERT INTO segment_runs (id, fingerprint, writer, written_at) VALUES (1, ${fingerprint}, ${me}, ${at}) ON CONFLICT (id) DO NOTHING`
            : sql`UPDATE segment_runs SET fingerprint = ${fingerprint}, writer = ${me}, written_at = ${at} WHERE id = 1 AND writer = ${expected}`,
        ),
      { background: true },
    );
  if (dirty.length === 0) {
    // Nothing differs from what was read; recorded unless another run wrote since.
    await record(writer);
    return { written: 0, applied: [] };
  }
  dirty.sort((a, b) => a.clientId - b.clientId);

  const applied: C[] = [];
  let alone = true;
  const write = async (tx: Tx, batch: readonly SnapshotFigures[], first: boolean): Promise<{ done: C[]; alone: boolean }> => {
    const prev = await mark(tx);
    const conn = sqliteOf(tx);
    const done = conn ? sqliteWriteBatch(conn, run, batch, changeOf, at) : await pgWriteBatch(tx, run, batch, changeOf, at);
    return { done, alone: first || prev === me };
  };
  const alerted = (r: SnapshotFigures) => changeOf.get(r.clientId)?.from != null;
  const plain = dirty.filter((r) => !alerted(r));
  const changed = dirty.filter(alerted);
  let batches = 0;
  const pg = store.dialect === 'postgres';
  const size = pg ? PG_SEGMENT_BATCH : SEGMENT_BATCH;
  for (let i = 0; i < plain.length; i += size) {
    if (i > 0 && !pg) await new Promise((r) => setTimeout(r, BATCH_PAUSE_MS));
    const r = await store.write((tx) => write(tx, plain.slice(i, i + size), batches === 0));
    batches++;
    alone &&= r.alone;
  }
  if (changed.length > 0) {
    const got = await store.write(async (tx) => {
      const r = await write(tx, changed, batches === 0);
      if (r.done.length > 0) await enqueue(tx, [...alertsFor(r.done)], at);
      return r;
    });
    alone &&= got.alone;
    applied.push(...got.done);
  }
  // Every batch is written: a later recompute with the same figures need not read them back.
  if (alone) await record(me);
  return { written: dirty.length, applied };
}

/** The last recompute's mark: its fingerprint ('' while a run writes) and which run wrote last. */
async function lastRun(tx: Tx): Promise<{ fingerprint: string; writer: string } | undefined> {
  return (await rowsOf<{ fingerprint: string; writer: string }>(tx, sql`SELECT fingerprint, writer FROM segment_runs WHERE id = 1`))[0];
}

/** A digest of the run and of every client's figures, in the order given (SHA-256 of their bits). */
function fingerprintOf(run: SnapshotRun, rows: readonly SnapshotFigures[]): string {
  const numbers = new Float64Array(rows.length * 8);
  let segments = '';
  let k = 0;
  for (const r of rows) {
    numbers[k++] = r.clientId;
    numbers[k++] = r.revenueMinor;
    numbers[k++] = r.marginMinor;
    numbers[k++] = r.assortment;
    numbers[k++] = r.daysLate;
    numbers[k++] = r.share;
    numbers[k++] = r.cumulativeShare;
    numbers[k++] = r.rank;
    segments += r.segment;
  }
  return createHash('sha256').update(JSON.stringify(run)).update(segments).update(new Uint8Array(numbers.buffer)).digest('hex');
}

type ChangeMap<C> = ReadonlyMap<number, C>;

/** One batch on SQLite's own statements (inside the store's write): the recompute's hot loop. */
function sqliteWriteBatch<C extends SegmentChangeRecord>(conn: import('better-sqlite3').Database, run: SnapshotRun, batch: readonly SnapshotFigures[], changeOf: ChangeMap<C>, at: number): C[] {
  const upsert = conn.prepare(
    `INSERT INTO segment_snapshots (client_id, criterion, segment, period_from, period_to, revenue_minor, margin_minor, base_currency, assortment, days_late, share, cumulative_share, rank, computed_at)
     VALUES (@clientId, @criterion, @segment, @periodFrom, @periodTo, @revenueMinor, @marginMinor, @baseCurrency, @assortment, @daysLate, @share, @cumulativeShare, @rank, @at)
     ON CONFLICT(client_id) DO UPDATE SET criterion = excluded.criterion, segment = excluded.segment, period_from = excluded.period_from, period_to = excluded.period_to,
       revenue_minor = excluded.revenue_minor, margin_minor = excluded.margin_minor, base_currency = excluded.base_currency, assortment = excluded.assortment,
       days_late = excluded.days_late, share = excluded.share, cumulative_share = excluded.cumulative_share, rank = excluded.rank, computed_at = excluded.computed_at`,
  );
  // Guarded on the segment the recompute read: another process may have recorded the change first.
  const setSegment = conn.prepare('UPDATE clients SET segment = ? WHERE id = ? AND segment IS ?');
  const change = conn.prepare('INSERT INTO segment_changes (client_id, from_segment, to_segment, figures, at) VALUES (?, ?, ?, ?, ?)');
  const applied: C[] = [];
  for (const r of batch) {
    upsert.run({
      clientId: r.clientId,
      segment: r.segment,
      revenueMinor: r.revenueMinor,
      marginMinor: r.marginMinor,
      assortment: r.assortment,
      daysLate: r.daysLate,
      share: r.share,
      cumulativeShare: r.cumulativeShare,
      rank: r.rank,
      ...run,
      at,
    });
    const c = changeOf.get(r.clientId);
    if (c && setSegment.run(c.to, c.clientId, c.from).changes === 1) {
      change.run(c.clientId, c.from, c.to, JSON.stringify(c.figures), at);
      if (c.from !== null) applied.push(c);
    }
  }
  return applied;
}

/**
 * The same batch on PostgreSQL in two statements, whatever its size: the snapshots as one upsert
 * from a JSON array of rows, then the guarded segment changes as one UPDATE … RETURNING feeding
 * the INSERT of the changes that applied. (A VALUES list binds 14 parameters a row, and a change
 * a round trip each: the first recompute of 100,000 clients made 200,000.)
 */
async function pgWriteBatch<C extends SegmentChangeRecord>(tx: Tx, run: SnapshotRun, batch: readonly SnapshotFigures[], changeOf: ChangeMap<C>, at: number): Promise<C[]> {
  const rows = JSON.stringify(
    batch.map((r) => [r.clientId, r.segment, r.revenueMinor, r.marginMinor, r.assortment, r.daysLate, r.share, r.cumulativeShare, r.rank]),
  );
  await runSql(
    tx,
    sql`INSERT INTO segment_snapshots (client_id, criterion, segment, period_from, period_to, revenue_minor, margin_minor, base_currency, assortment, days_late, share, cumulative_share, rank, computed_at)
     SELECT (r->>0)::int, ${run.criterion}, r->>1, ${run.periodFrom}, ${run.periodTo}, (r->>2)::int8, (r->>3)::int8, ${run.baseCurrency}, (r->>4)::int8,
            (r->>5)::float8, (r->>6)::float8, (r->>7)::float8, (r->>8)::int8, ${at}::int8
       FROM json_array_elements(${rows}::json) AS r
     ON CONFLICT (client_id) DO UPDATE SET criterion = excluded.criterion, segment = excluded.segment, period_from = excluded.period_from, period_to = excluded.period_to,
       revenue_minor = excluded.revenue_minor, margin_minor = excluded.margin_minor, base_currency = excluded.base_currency, assortment = excluded.assortment,
       days_late = excluded.days_late, share = excluded.share, cumulative_share = excluded.cumulative_share, rank = excluded.rank, computed_at = excluded.computed_at`,
  );
  const changes = batch.flatMap((r) => changeOf.get(r.clientId) ?? []);
  if (changes.length === 0) return [];
  const list = JSON.stringify(changes.map((c, i) => [c.clientId, c.from, c.to, JSON.stringify(c.figures), i]));
  // Guarded on the segment the recompute read: another process may have recorded the change first.
  const done = await rowsOf<{ clientId: number }>(
    tx,
    sql`WITH c AS (SELECT (e->>0)::int AS client_id, e->>1 AS from_segment, e->>2 AS to_segment, e->>3 AS figures, (e->>4)::int AS ord FROM json_array_elements(${list}::json) AS e),
             u AS (UPDATE clients SET segment = c.to_segment FROM c WHERE clients.id = c.client_id AND clients.segment IS NOT DISTINCT FROM c.from_segment RETURNING clients.id)
        INSERT INTO segment_changes (client_id, from_segment, to_segment, figures, at)
        SELECT c.client_id, c.from_segment, c.to_segment, c.figures, ${at}::int8 FROM c JOIN u ON u.id = c.client_id ORDER BY c.ord
        RETURNING client_id AS "clientId"`,
  );
  const applied = new Set(done.map((d) => d.clientId));
  return changes.filter((c) => applied.has(c.clientId) && c.from !== null);
}

export async function snapshotOf(tx: Tx, clientId: number): Promise<SnapshotRow | undefined> {
  const rows = await rowsOf<SnapshotRow>(
    tx,
    sql`SELECT client_id AS "clientId", criterion, segment, period_from AS "periodFrom", period_to AS "periodTo", revenue_minor AS "revenueMinor", margin_minor AS "marginMinor",
              base_currency AS "baseCurrency", assortment, days_late AS "daysLate", share, cumulative_share AS "cumulativeShare", rank
         FROM segment_snapshots WHERE client_id = ${clientId}`,
  );
  return rows[0];
}

/** What a client currently owes on open invoices, per currency (for the credit limit). */
export async function owedByCurrency(tx: Tx, clientId: number): Promise<{ currency: string; owedMinor: number }[]> {
  const rows = await tx
    .select({ currency: invoices.currency, owedMinor: sql<number>`sum(${invoices.amountMinor} - ${invoices.paidMinor})` })
    .from(invoices)
    .where(and(eq(invoices.clientId, clientId), isNull(invoices.paidDate)))
    .groupBy(invoices.currency)
    .orderBy(invoices.currency);
  return rows.map((r) => ({ currency: r.currency, owedMinor: Number(r.owedMinor) }));
}
