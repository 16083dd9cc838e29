import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { asc } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, contractVersions, counters, outbox } from '../db/schema/index.ts';
import { syncAbcWindow } from '../src/repos/abc-totals.ts';
import { copySqliteToPg, tablesInForeignKeyOrder } from '../src/repos/copy.ts';
import { closeDb, openDb } from '../src/repos/db.ts';
import { closePgDb, openPgDb, type PgDb } from '../src/repos/pg.ts';
import { SqliteStore } from '../src/repos/store.ts';
import { seed } from '../src/seed/generate.ts';
import { emptyPgDatabase } from './helpers/pg.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-copy-'));
const source = join(dir, 'dealdesk.db');
const TABLES = tablesInForeignKeyOrder().map((t) => t.name);
/** Beyond 32 bits: a ms time and an amount that PostgreSQL's integer could not hold. */
const BIG = 9_007_199_254_740_000;

/**
 * The repos run the SQLite model's tables through drizzle's pg driver; drizzle's types know only
 * pg tables, so here the model's table is passed as one (the SQL and the value mapping are the model's).
 */
const asPg = <T>(table: T) => table as unknown as PgTable & T;

function copyCli(to: string, from = source) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/db-copy.ts', '--from', from, '--to', to], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function sqliteRows(path: string, table: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
  } finally {
    db.close();
  }
}

async function pgRows(db: PgDb, table: string): Promise<unknown[]> {
  const key = tablesInForeignKeyOrder().find((t) => t.name === table)!.columns;
  return (await db.$client.query(`SELECT * FROM "${table}" ORDER BY ${key.map((c) => `"${c}"`).join(', ')}`)).rows;
}

async function counts(db: PgDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db.$client.query(`SELECT count(*) AS n FROM "${t}"`)).rows[0].n);
  return out;
}

/** Rows as comparable text, each with its columns in name order (SQLite appends added columns last). */
function sort(rows: unknown[]): string[] {
  return rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort();
}

beforeAll(async () => {
  const db = openDb(source);
  try {
    await seed(db, { clients: 40, invoices: 400, seed: 7, asOf: '2026-11-27' });
    // The tables the seeder leaves empty, with json, real, null and 64-bit values.
    const x = db.$client;
    x.prepare(
      `INSERT INTO segment_snapshots (client_id, criterion, segment, period_from, period_to, revenue_minor, margin_minor, base_currency, assortment, days_late, share, cumulative_share, rank, computed_at)
       VALUES (1, 'revenue', 'A', '2025-12-01', '2026-11-30', ?, 12345, 'EUR', 3, 2.75, 0.125, 0.5, 1, ?)`,
    ).run(BIG, BIG);
    x.prepare(`INSERT INTO segment_changes (client_id, from_segment, to_segment, figures, at) VALUES (1, NULL, 'A', '{"share":0.125,"name":"Ünïcode ‘quoted’"}', ?)`).run(BIG);
    x.prepare(
      `INSERT INTO outbox (op, channel, message_key, thread_key, payload, state, attempts, next_attempt_at, created_at) VALUES ('post', 'C1', 'k1', NULL, '{"text":"line\\nbreak"}', 'pending', 0, ?, ?)`,
    ).run(BIG, BIG);
    x.prepare(`INSERT INTO slack_messages (key, channel, ts) VALUES ('k1', 'C1', '1700000000.000100')`).run();
    x.prepare(`INSERT INTO outbox_channels (channel, holder, lease_until, next_post_at, paused_until) VALUES ('C1', 'pod-1', ?, ?, 0)`).run(BIG, BIG);
    x.prepare(`INSERT INTO job_runs (run_key, job, started_at, finished_at) VALUES ('digest:2026-11-27', 'digest', ?, NULL)`).run(BIG);
    x.prepare(`INSERT INTO home_users (user_id, opened_at) VALUES ('U1', ?)`).run(BIG);
    x.prepare(`INSERT INTO user_prefs (user_id, locale, updated_at) VALUES ('U1', 'bg', ?)`).run(BIG);
    x.prepare(`INSERT INTO processed_requests (key, at) VALUES ('req-1', ?)`).run(BIG);
    x.prepare(`INSERT INTO claims (client_id, status, offered_at) VALUES (1, 'offered', ?)`).run(BIG);
    x.prepare(`INSERT INTO fulfilment_tasks (contract_id, key, title, service, assignee, due_date, done_by, done_at) VALUES (1, 'kickoff', 'Kick-off', 'sales', 'U1', '2026-12-01', 'U1', ?)`).run(BIG);
    x.prepare(`INSERT INTO dunning_events (invoice_id, event, rung, action, user_id, note, day, at) VALUES (1, 'sent', 0, 'remind-owner', 'U1', NULL, '2026-11-27', ?)`).run(BIG);
    x.prepare(`INSERT INTO claim_invoices (claim_id, invoice_id) VALUES (1, 1), (1, 2)`).run();
    x.prepare(`INSERT INTO client_reviews (client_id, reviewed_on, note, reviewed_by, created_at) VALUES (1, '2026-11-01', 'Ünïcode ‘note’', 'U1', ?)`).run(BIG);
    x.prepare(`INSERT INTO quiet_alerts (client_id, spell_from, alerted_at) VALUES (1, '2026-08-01', ?)`).run(BIG);
    x.prepare(`UPDATE clients SET industry = 'logistics', region = 'София', size = 'small' WHERE id = 1`).run();
    // The running ABC totals of a recompute's period (abc_window, abc_totals, abc_lines): copied as they are.
    await syncAbcWindow(new SqliteStore(db), { from: '2025-11-28', to: '2026-11-27' });
    x.prepare(`INSERT INTO segment_runs (id, fingerprint, writer, written_at) VALUES (1, 'f00d', 'run-1', ?)`).run(BIG);
  } finally {
    closeDb(db);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run db:copy', () => {
  let url: string;
  let db: PgDb;

  beforeAll(async () => {
    url = await emptyPgDatabase();
  });

  afterAll(async () => {
    if (db) await closePgDb(db);
  });

  it('migrates an empty PostgreSQL database, copies every table and reports the verified counts', async () => {
    const r = copyCli(url);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^clients\s+40 → 40 ✓$/m);
    expect(r.out).toMatch(/^invoices\s+400 → 400 ✓$/m);
    expect(r.out).toMatch(new RegExp(`Copied and verified ${TABLES.length} tables`));
    // 28: outbox_channels (several instances), client_reviews and quiet_alerts (SPEC §7), user_prefs (a person's language),
    // abc_window, abc_totals and abc_lines (the running ABC totals, issue 18), segment_runs (the last recompute's fingerprint),
    // deal_last_changes (each deal's latest stage change, for the funnel, issue 18).
    expect(TABLES.length).toBe(30);
    db = await openPgDb(url, { migrate: false });
    for (const t of TABLES) {
      const want = sqliteRows(source, t);
      expect(want.length, t).toBeGreaterThan(0);
      expect(sort(await pgRows(db, t)), t).toEqual(sort(want));
    }
  });

  it('reads back through the model as SQLite does: json parsed, 64-bit figures exact, the invoice counter carried over', async () => {
    const lite = openDb(source, { migrate: false });
    try {
      expect(await db.select().from(asPg(contractVersions)).orderBy(asc(contractVersions.id as never))).toEqual(lite.select().from(contractVersions).orderBy(asc(contractVersions.id)).all());
      const [msg] = await db.select().from(asPg(outbox));
      expect((msg as typeof outbox.$inferSelect).payload).toEqual({ text: 'line\nbreak' });
      expect((msg as typeof outbox.$inferSelect).nextAttemptAt).toBe(BIG);
      expect(await db.select().from(asPg(counters))).toEqual(lite.select().from(counters).all());
      expect(((await db.select().from(asPg(counters)))[0] as typeof counters.$inferSelect).value).toBe(400);
    } finally {
      closeDb(lite);
    }
  });

  it('refuses a second copy into the same database and writes nothing', async () => {
    const before = await counts(db);
    const r = copyCli(url);
    expect(r.code).toBe(1);
    // The first five tables with rows, by name (the abc_ tables of issue 18 now come first).
    expect(r.err).toMatch(/The PostgreSQL database is not empty \(abc_lines, abc_totals, abc_window, .*audit_events.*\), so nothing was copied\. Copy into a new, empty database\./);
    expect(r.out).not.toMatch(/✓/);
    expect(await counts(db)).toEqual(before);
  });

  it('continues every id after the copied ones', async () => {
    const [row] = await db.insert(asPg(clients)).values({ name: 'After the copy', nameKey: 'after the copy', ownerId: 'U1', createdBy: 'U1', createdAt: Date.now() } as never).returning();
    expect((row as { id: number }).id).toBe(41);
    const [m] = await db
      .insert(asPg(outbox))
      .values({ op: 'post', channel: 'C2', payload: { text: 'x' }, state: 'pending', nextAttemptAt: 1, createdAt: 1 } as never)
      .returning();
    expect((m as { id: number }).id).toBe(2);
  });
});

describe('a copy that cannot be made', () => {
  it('is rolled back whole when a row does not fit PostgreSQL, naming the cause', async () => {
    const bad = join(dir, 'bad.db');
    copyFileSync(source, bad);
    const x = new Database(bad);
    // SQLite keeps text in an integer column; PostgreSQL's bigint does not.
    x.prepare("UPDATE invoices SET amount_minor = 'twelve' WHERE id = 400").run();
    x.close();
    const url = await emptyPgDatabase();
    const r = copyCli(url, bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^The copy failed and nothing was written to PostgreSQL: .*twelve/m);
    const db = await openPgDb(url, { migrate: false });
    try {
      const c = await counts(db);
      expect(Object.entries(c).filter(([, n]) => n > 0)).toEqual([['counters', 1]]);
      // Migrated, and still empty: a corrected copy may follow.
      expect((await copySqliteToPg(source, db)).every((c) => c.source === c.target)).toBe(true);
    } finally {
      await closePgDb(db);
    }
  });

  it('commits nothing when a table in PostgreSQL does not end with the rows SQLite has', async () => {
    const db = await openPgDb(await emptyPgDatabase());
    try {
      // Something in the target (here a trigger) silently drops a row.
      await db.$client.query(`CREATE FUNCTION drop_first() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = 1 THEN RETURN NULL; END IF; RETURN NEW; END $$`);
      await db.$client.query('CREATE TRIGGER drop_first BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION drop_first()');
      await expect(copySqliteToPg(source, db)).rejects.toThrow('The copy does not match the source, so nothing was written: payments 390 in SQLite, 389 in PostgreSQL.');
      expect(Object.entries(await counts(db)).filter(([, n]) => n > 0)).toEqual([['counters', 1]]);
    } finally {
      await closePgDb(db);
    }
  });

  it('copies in batches of any size, whole and partial', async () => {
    const db = await openPgDb(await emptyPgDatabase());
    try {
      const seen: Record<string, number> = {};
      const result = await copySqliteToPg(source, db, { batchRows: 7, onTable: (t, n) => (seen[t] = n) });
      expect(result.every((c) => c.source === c.target)).toBe(true);
      expect(seen.invoices).toBe(400);
      expect(sort(await pgRows(db, 'payments'))).toEqual(sort(sqliteRows(source, 'payments')));
    } finally {
      await closePgDb(db);
    }
  });

  it('answers bad arguments and a missing source with what was wrong and the usage', async () => {
    const none = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/db-copy.ts'], { encoding: 'utf8', timeout: 60_000 });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^Say which PostgreSQL database to copy into with --to\.\nusage: npm run db:copy -- --to <postgres url>/);
    const mysql = copyCli('mysql://h/db');
    expect(mysql.code).toBe(2);
    expect(mysql.err).toMatch(/--to must be a postgres:\/\/ URL, not a mysql:\/\/ one/);
    const db = await openPgDb(await emptyPgDatabase());
    try {
      await expect(copySqliteToPg(join(dir, 'nope.db'), db)).rejects.toThrow(`There is no SQLite database at ${join(dir, 'nope.db')} (DATABASE_PATH).`);
      const notOurs = join(dir, 'other.db');
      const other = new Database(notOurs);
      other.exec('CREATE TABLE t (x)');
      other.close();
      await expect(copySqliteToPg(notOurs, db)).rejects.toThrow(`${notOurs} is not a dealdesk database (it has none of its tables).`);
    } finally {
      await closePgDb(db);
    }
  });
});
