/**
 * Deterministic demo data: clients with believable names (Latin and Bulgarian Cyrillic), deals
 * with stage histories spread over the funnel, contracts with versions and approvals, invoices
 * with a Pareto-shaped revenue per client, payments (most on time, some late, some still
 * owed) and the audit trail the app itself would have written.
 *
 * Same options → same rows: every random choice comes from seeded mulberry32 streams and every
 * date is relative to `asOf` (default: today, UTC). Rows are written with raw prepared
 * statements in chunked transactions, so 100,000 clients and 1,000,000 invoices take seconds.
 *
 * What the data does NOT contain: Slack messages (slack_messages, outbox), segments (the
 * nightly recompute fills them), dunning events and claims. Pending approvals therefore have no
 * Slack message to thread their reminders under; `contracts: 'settled'` (seedDemo's default)
 * leaves out every contract still in play for that reason.
 *
 * The parts: options.ts (what is asked), rng.ts, vocabulary.ts, calendar.ts and names.ts (the
 * draws), clients.ts, histories.ts (each client's deals), deals.ts, contracts.ts, tasks.ts and
 * invoices.ts (the rows of each), rows.ts (the INSERTs, from db/schema); this file runs them.
 */
import type { Db } from '../repos/db.ts';
import { Calendar, DAY_MS } from './calendar.ts';
import { drawClients, writeClient } from './clients.ts';
import type { PaymentLink, Seeding } from './context.ts';
import { writeHistory } from './histories.ts';
import { planInvoices, writeInvoices } from './invoices.ts';
import { DEFAULT_OWNERS, SeedError, zeroCounts, type ContractMode, type SeedOptions, type SeedResult } from './options.ts';
import { mulberry32 } from './rng.ts';
import { SEEDED_TABLES, Writer } from './rows.ts';

export * from './options.ts';
export { mulberry32, type Rng } from './rng.ts';

/** The rows; call through seed(), which sets the pragmas this relies on (foreign keys off). */
function generate(db: Db, opts: SeedOptions, started: number): SeedResult {
  const N = opts.clients;
  const M = opts.invoices;
  if (!Number.isInteger(N) || N < 1) throw new SeedError('clients must be a whole number ≥ 1');
  if (!Number.isInteger(M) || M < 0) throw new SeedError('invoices must be a whole number ≥ 0');
  const sqlite = db.$client;
  const existing = (sqlite.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
  if (existing > 0) throw new SeedError(`the database already has ${existing} clients; seed an empty database (e.g. --db data/demo.db)`);

  const seedValue = opts.seed ?? 1;
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  const cal = new Calendar(asOf);
  const mode: ContractMode = opts.contracts ?? 'all';
  const owners = opts.owners ?? DEFAULT_OWNERS;
  if (owners.length === 0) throw new SeedError('owners must not be empty');

  // Independent streams, so the shape of one part does not shift the others.
  const rC = mulberry32(seedValue * 7919 + 1);
  const rI = mulberry32(seedValue * 7919 + 2);
  const rD = mulberry32(seedValue * 7919 + 3);
  const rP = mulberry32(seedValue * 7919 + 4);

  const people = drawClients(rC, N, owners);
  const s: Seeding = {
    cal,
    now: cal.today * DAY_MS,
    mode,
    withContracts: mode !== 'none',
    owners,
    finance: opts.finance ?? 'U0FINANCE',
    legal: opts.legal ?? 'U0LEGAL',
    invoiceAudit: opts.invoiceAudit ?? M <= 100_000,
    people,
    plan: planInvoices(rI, people, cal, M),
    w: new Writer(sqlite, opts.chunk ?? 50_000),
    rD,
    frameworkContract: new Int32Array(N),
    paymentLinks: new Map<number, PaymentLink>(),
  };

  sqlite.exec('BEGIN');
  try {
    // Clients with their deals and contracts first: the open deals at `payment` claim invoices.
    for (let c = 0; c < N; c++) writeHistory(s, c, writeClient(s, c));
    writeInvoices(s, rP);
    s.w.flush();
    // The seed numbers its invoices INV-<id> itself; the counter goes on from the last one.
    sqlite.exec(`UPDATE counters SET value = max(value, (SELECT coalesce(max(id), 0) FROM invoices)) WHERE name = 'invoice'`);
    sqlite.exec('COMMIT');
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
  return { counts: s.w.counts, seconds: (performance.now() - started) / 1000, asOf };
}

/**
 * Seed an empty database (one opened with openDb, so migrated); throws SeedError when it
 * already has clients. Writes with fast pragmas (no fsync while writing, a large page cache,
 * foreign keys consistent by construction rather than checked per row, secondary indexes
 * built at the end), then restores the connection's settings and checkpoints the WAL.
 */
export function seed(db: Db, opts: SeedOptions): SeedResult {
  const started = performance.now();
  const sqlite = db.$client;
  const saved = {
    synchronous: sqlite.pragma('synchronous', { simple: true }) as number,
    foreignKeys: sqlite.pragma('foreign_keys', { simple: true }) as number,
    cacheSize: sqlite.pragma('cache_size', { simple: true }) as number,
  };
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -262144');
  // Secondary indexes are built once at the end (a sort) rather than row by row, when the
  // tables start empty; they are recreated from their own CREATE INDEX statements.
  const empty = SEEDED_TABLES.every((t) => (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n === 0);
  const indexes = empty
    ? (sqlite
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${SEEDED_TABLES.map(() => '?').join(', ')})`)
        .all(...SEEDED_TABLES) as { name: string; sql: string }[])
    : [];
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`);
  let result: SeedResult;
  try {
    result = generate(db, opts, started);
  } finally {
    for (const i of indexes) sqlite.exec(i.sql);
    sqlite.pragma(`cache_size = ${saved.cacheSize}`);
    sqlite.pragma(`foreign_keys = ${saved.foreignKeys}`);
    sqlite.pragma(`synchronous = ${saved.synchronous}`);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
  }
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/**
 * seedDemo's options: seed()'s, all optional, with a small company's defaults: 36 clients, 900
 * invoices, seed 7, contracts `settled` (nothing waits for an approval message that was never
 * posted), the first three of DEFAULT_OWNERS.
 */
export type DemoOptions = Partial<Pick<SeedOptions, 'clients' | 'invoices' | 'seed' | 'asOf' | 'contracts' | 'owners' | 'finance' | 'legal'>>;

/**
 * Demo data for a small believable company. A no-op (`skipped: true`) when the database
 * already has clients, so the local-workspace demo can call it at every start.
 */
export function seedDemo(db: Db, opts: DemoOptions = {}): SeedResult & { skipped: boolean } {
  const existing = (db.$client.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n;
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  if (existing > 0) return { skipped: true, seconds: 0, asOf, counts: zeroCounts() };
  const r = seed(db, {
    clients: opts.clients ?? 36,
    invoices: opts.invoices ?? 900,
    seed: opts.seed ?? 7,
    asOf,
    contracts: opts.contracts ?? 'settled',
    owners: opts.owners ?? DEFAULT_OWNERS.slice(0, 3),
    invoiceAudit: true,
    ...(opts.finance ? { finance: opts.finance } : {}),
    ...(opts.legal ? { legal: opts.legal } : {}),
  });
  return { ...r, skipped: false };
}

/** One line: what was written and how long it took. */
export function summaryLine(path: string, r: SeedResult): string {
  const c = r.counts;
  return (
    `seeded ${path} as of ${r.asOf}: ${c.clients} clients, ${c.deals} deals (${c.stageChanges} stage changes), ${c.contracts} contracts ` +
    `(${c.versions} versions, ${c.approvals} approvals, ${c.tasks} tasks), ${c.invoices} invoices, ${c.payments} payments, ${c.audit} audit events in ${r.seconds.toFixed(1)} s`
  );
}
