import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/policy.ts';
import { syncAbcWindow, totalsAggregates } from '../src/repos/abc-totals.ts';
import { invoiceAggregates, type CurrencyAggregate } from '../src/repos/analytics.ts';
import { insertInvoices, updateInvoiceFields } from '../src/repos/books.ts';
import type { Db } from '../src/repos/db.ts';
import { insertInvoice, insertPayment } from '../src/repos/invoices.ts';
import { rowsOf, runSql, SqliteStore, type Store } from '../src/repos/store.ts';
import { abcPeriod, figuresFromDb } from '../src/services/analytics.ts';
import { seededStore } from './helpers/seeded-store.ts';

/**
 * The running ABC totals (src/repos/abc-totals.ts) against a GROUP BY over the invoices, from
 * scratch, after any mix of invoices written (one at a time and as an import's bulk), paid,
 * changed from the books, deleted, and the window moved (a day, a month, back, far away), on
 * the backend the project runs (SQLite; PostgreSQL in the postgres project, its data brought
 * over with db:copy).
 */
const onPg = process.env.DEALDESK_TEST_BACKEND === 'postgres';
const dir = mkdtempSync(join(tmpdir(), 'dealdesk-abc-totals-'));
const AS_OF = '2026-11-27';
let store!: Store;
let clientIds: number[] = [];

beforeAll(async () => {
  // db:copy's way over: a window and its totals already in the source come as they are.
  const withWindow = (db: Db) => syncAbcWindow(new SqliteStore(db), abcPeriod(DEFAULT_POLICY, Date.parse(`${AS_OF}T12:00:00Z`), 'UTC'));
  ({ store, clientIds } = await seededStore(join(dir, 'totals.db'), { clients: 40, invoices: 600, seed: 9, asOf: AS_OF }, withWindow));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const asOf = Date.parse(`${AS_OF}T12:00:00Z`);
const dateAt = (offsetDays: number) => new Date(asOf + offsetDays * DAY).toISOString().slice(0, 10);

/** The totals, and the same aggregate from scratch, for the stored window: equal row for row. */
async function expectTotalsRight(period: { from: string; to: string }): Promise<void> {
  const [totals, scratch] = await store.read(async (tx) => [await totalsAggregates(tx, period), await invoiceAggregates(tx, period.from, period.to, period.to)] as const);
  expect(totals, 'the totals hold the period').toBeDefined();
  const norm = (rows: readonly CurrencyAggregate[], multi: Set<number>) =>
    rows.map(([c, cur, rev, mar, late, weight, n, lines, count]) => [c, cur, Number(rev), Number(mar), Number(late), Number(weight), Number(n), multi.has(c) ? [...(JSON.parse(lines) as string[])].sort() : [], Number(count)]);
  const multi = new Set<number>();
  for (let i = 1; i < scratch.length; i++) if (scratch[i]![0] === scratch[i - 1]![0]) multi.add(scratch[i]![0]);
  expect(norm(totals!, multi)).toEqual(norm(scratch, multi));
}

type Op =
  | { op: 'invoice'; client: number; amount: number; currency: string; margin: number | null; line: string | null; issue: number; net: number; bulk: boolean }
  | { op: 'pay'; pick: number; day: number; full: boolean }
  | { op: 'books'; pick: number; amount?: number; currency?: string; issue?: number; due?: number; margin?: number | null; line?: string | null }
  | { op: 'delete'; pick: number }
  | { op: 'window'; day: number };

const lines = fc.constantFrom('hosting', 'support', 'licences', '', null);
const currencies = fc.constantFrom('EUR', 'BGN', 'USD');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('invoice' as const), client: fc.nat(), amount: fc.oneof(fc.integer({ min: 100, max: 5_000_000 }), fc.integer({ min: -200_000, max: -100 })), currency: currencies, margin: fc.option(fc.integer({ min: -50_000, max: 1_000_000 })), line: lines, issue: fc.integer({ min: -420, max: 5 }), net: fc.integer({ min: 0, max: 60 }), bulk: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('pay' as const), pick: fc.nat(), day: fc.integer({ min: -400, max: 5 }), full: fc.boolean() }) },
  {
    weight: 3,
    arbitrary: fc.record(
      { op: fc.constant('books' as const), pick: fc.nat(), amount: fc.integer({ min: 100, max: 3_000_000 }), currency: currencies, issue: fc.integer({ min: -420, max: 5 }), due: fc.integer({ min: 0, max: 60 }), margin: fc.option(fc.integer({ min: 0, max: 100_000 })), line: lines },
      { requiredKeys: ['op', 'pick'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('window' as const), day: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -60, max: 40 }), fc.integer({ min: -800, max: -500 })) }) },
);

let made = 0;
async function run(o: Op): Promise<void> {
  const pick = async (n: number) => {
    const ids = await store.read((tx) => rowsOf<{ id: number; clientId: number; amountMinor: number; paidMinor: number; issueDate: string }>(tx, sql`SELECT id, client_id AS "clientId", amount_minor AS "amountMinor", paid_minor AS "paidMinor", issue_date AS "issueDate" FROM invoices ORDER BY id`));
    return ids[n % ids.length]!;
  };
  switch (o.op) {
    case 'invoice': {
      const v = {
        clientId: clientIds[o.client % clientIds.length]!,
        amountMinor: o.amount,
        currency: o.currency,
        marginMinor: o.margin,
        productLine: o.line,
        issueDate: dateAt(o.issue),
        dueDate: dateAt(o.issue + o.net),
        createdBy: 'U0TEST',
        createdAt: asOf,
      };
      // One at a time as the bot does, or as an import's bulk (its own SQLite fast path).
      await store.write(async (tx) => (o.bulk ? insertInvoices(tx, [{ ...v, number: `T-${process.pid}-${++made}` }]) : insertInvoice(tx, v)));
      return;
    }
    case 'pay': {
      const inv = await pick(o.pick);
      const owed = Number(inv.amountMinor) - Number(inv.paidMinor);
      if (owed <= 0) return;
      const amount = o.full ? owed : Math.max(1, Math.floor(owed / 2));
      const date = dateAt(o.day) < inv.issueDate ? inv.issueDate : dateAt(o.day);
      await store.write((tx) => insertPayment(tx, { invoiceId: inv.id, amountMinor: amount, date, reference: null, recordedBy: 'U0TEST', recordedAt: asOf }, amount === owed ? date : null));
      return;
    }
    case 'books': {
      const inv = await pick(o.pick);
      const issue = o.issue === undefined ? undefined : dateAt(o.issue);
      const fields = {
        ...(o.amount !== undefined ? { amountMinor: o.amount } : {}),
        ...(o.currency !== undefined ? { currency: o.currency } : {}),
        ...(issue !== undefined ? { issueDate: issue, dueDate: dateAt((o.issue ?? 0) + (o.due ?? 30)) } : {}),
        ...(o.margin !== undefined ? { marginMinor: o.margin } : {}),
        ...(o.line !== undefined ? { productLine: o.line } : {}),
      };
      // The import plans a row whose fields all match as unchanged (books/plan.ts), so it never writes a change of nothing.
      if (Object.keys(fields).length === 0) return;
      await store.write((tx) => updateInvoiceFields(tx, inv.id, inv.clientId, fields));
      return;
    }
    case 'delete': {
      const inv = await pick(o.pick);
      await store.write(async (tx) => {
        for (const t of ['payments', 'dunning_events', 'claim_invoices']) await runSql(tx, sql`DELETE FROM ${sql.identifier(t)} WHERE invoice_id = ${inv.id}`);
        await runSql(tx, sql`DELETE FROM invoices WHERE id = ${inv.id}`);
      });
      return;
    }
    case 'window':
      await syncAbcWindow(store, abcPeriod(DEFAULT_POLICY, asOf + o.day * DAY, 'UTC'));
  }
}

describe('running ABC totals', () => {
  it('equal a GROUP BY over the period’s invoices after any mix of writes and window moves', async () => {
    let period = abcPeriod(DEFAULT_POLICY, asOf, 'UTC');
    await syncAbcWindow(store, period);
    await expectTotalsRight(period);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) {
          await run(o);
          if (o.op === 'window') period = abcPeriod(DEFAULT_POLICY, asOf + o.day * DAY, 'UTC');
        }
        await expectTotalsRight(period);
      }),
      { numRuns: onPg ? 15 : 40 },
    );
  }, 120_000);

  it('give the recompute the figures it gets from the invoices', async () => {
    const period = abcPeriod(DEFAULT_POLICY, asOf, 'UTC');
    await syncAbcWindow(store, period);
    const fromTotals = await store.read((tx) => figuresFromDb(tx, DEFAULT_POLICY, period, clientIds));
    expect(fromTotals.some((f) => f.revenueMinor > 0)).toBe(true);
    // With the window moved far away, figuresFromDb aggregates the period's invoices themselves.
    const other = abcPeriod(DEFAULT_POLICY, asOf + 400 * DAY, 'UTC');
    await syncAbcWindow(store, other);
    expect(await store.read((tx) => totalsAggregates(tx, period))).toBeUndefined();
    expect(await store.read((tx) => figuresFromDb(tx, DEFAULT_POLICY, period, clientIds))).toEqual(fromTotals);
    // And back (a rebuild): the same again.
    await syncAbcWindow(store, period);
    await expectTotalsRight(period);
    expect(await store.read((tx) => figuresFromDb(tx, DEFAULT_POLICY, period, clientIds))).toEqual(fromTotals);
  });
});
