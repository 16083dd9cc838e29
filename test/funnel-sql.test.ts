import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES, type Stage } from '../src/domain/stages.ts';
import { policySchema, type Policy } from '../src/policy.ts';
import { rowsOf, runSql, type Store } from '../src/repos/store.ts';
import { computeFunnel, FUNNEL_PERIODS } from '../src/services/funnel.ts';
import { funnelReference } from './helpers/funnel-reference.ts';
import { seededStore } from './helpers/seeded-store.ts';

/**
 * The funnel's reads (src/repos/funnel.ts: closed deals as counts and values, the history the
 * window reads, unpaid invoices summed, repeat business from the winners and one presence row per
 * client) against the whole-history computation they replaced (test/helpers/funnel-reference.ts),
 * and deal_last_changes (kept by triggers) against each deal's latest change worked out anew:
 * after any mix of deals, stage changes (ties at one moment, changes after the window, a latest
 * change that disagrees with the deal's stage), changes moved and deleted, invoices against deals,
 * credit notes, part payments, segments, for every period, owner and a few policies (rates that
 * are exact in binary, so any order of adding gives the same sums), on the backend the project
 * runs (SQLite; PostgreSQL in the postgres project, its data brought over with db:copy).
 */
const onPg = process.env.DEALDESK_TEST_BACKEND === 'postgres';
const dir = mkdtempSync(join(tmpdir(), 'dealdesk-funnel-sql-'));
const AS_OF = '2026-11-27';
const NOW = Date.parse(`${AS_OF}T10:00:00Z`);
const DAY = 86_400_000;
const OWNERS = ['U0SELLER', 'U0SELLER2', 'U0SELLER3', 'U0NEW'];
const CURRENCIES = ['EUR', 'BGN', 'USD', null] as const;
const POLICIES: Policy[] = [
  policySchema.parse({}),
  policySchema.parse({ abc: { rates: { USD: 0.5 } } }),
  policySchema.parse({ abc: { baseCurrency: 'USD', rates: { EUR: 1.25, BGN: 0.625 } } }),
];
let store!: Store;
let clientIds: number[] = [];

beforeAll(async () => {
  ({ store, clientIds } = await seededStore(join(dir, 'funnel.db'), { clients: 40, invoices: 500, seed: 5, asOf: AS_OF }));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Times about the periods' edges (30 and 90 days, the quarter, the year) and after now, a few on one moment. */
const moment = fc.oneof(
  fc.constantFrom(NOW - 30 * DAY, NOW - 90 * DAY, Date.parse('2026-10-01T00:00:00+03:00'), Date.parse('2026-01-01T00:00:00+02:00'), NOW, NOW + 1, NOW + DAY),
  fc.integer({ min: NOW - 500 * DAY, max: NOW + 10 * DAY }),
);
const day = fc.integer({ min: -500, max: 60 }).map((n) => new Date(NOW + n * DAY).toISOString().slice(0, 10));
const stage = fc.constantFrom(...STAGES);

type Op =
  | { kind: 'deal'; client: number; stage: Stage; owner: string; value: number | null; currency: (typeof CURRENCIES)[number]; close: string | null; createdAt: number; changes: { from: Stage | null; to: Stage; at: number }[] }
  | { kind: 'move'; pick: number; at: number; to: Stage }
  | { kind: 'drop'; pick: number }
  | { kind: 'invoice'; client: number; deal: number | null; amount: number; paid: number; currency: string; issue: string; due: string; paidDate: string | null }
  | { kind: 'segment'; client: number; segment: 'A' | 'B' | 'C' | null };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('deal' as const),
      client: fc.nat(),
      stage,
      owner: fc.constantFrom(...OWNERS),
      value: fc.option(fc.integer({ min: 0, max: 5_000_000 })),
      currency: fc.constantFrom(...CURRENCIES),
      close: fc.option(fc.oneof(day, fc.constant('2026-02-30'))),
      createdAt: moment,
      changes: fc.array(fc.record({ from: fc.option(stage), to: stage, at: moment }), { maxLength: 5 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), at: moment, to: stage }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('invoice' as const),
      client: fc.nat(),
      deal: fc.option(fc.nat()),
      amount: fc.integer({ min: -50_000, max: 900_000 }),
      paid: fc.integer({ min: 0, max: 900_000 }),
      currency: fc.constantFrom('EUR', 'BGN', 'USD'),
      issue: day,
      due: day,
      paidDate: fc.option(day),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('segment' as const), client: fc.nat(), segment: fc.constantFrom('A' as const, 'B' as const, 'C' as const, null) }) },
);

let invoiceNo = 0;
async function apply(ops: Op[]): Promise<void> {
  const ids = async (table: 'deals' | 'deal_stage_changes') => (await store.read((tx) => rowsOf<{ id: number }>(tx, sql`SELECT id FROM ${sql.raw(table)} ORDER BY id`))).map((r) => Number(r.id));
  for (const o of ops) {
    if (o.kind === 'deal') {
      const client = clientIds[o.client % clientIds.length]!;
      // One deal in the sales stages per client: a clash leaves this deal out.
      await store
        .write(async (tx) => {
          const [d] = await rowsOf<{ id: number }>(
            tx,
            sql`INSERT INTO deals (client_id, title, stage, value_minor, currency, expected_close, owner_id, created_at, updated_at)
                VALUES (${client}, 'fuzz', ${o.stage}, ${o.value}, ${o.currency}, ${o.close}, ${o.owner}, ${o.createdAt}, ${o.createdAt}) RETURNING id`,
          );
          for (const c of o.changes) await runSql(tx, sql`INSERT INTO deal_stage_changes (deal_id, from_stage, to_stage, actor, at) VALUES (${d!.id}, ${c.from}, ${c.to}, 'fuzz', ${c.at})`);
        })
        .catch((err: unknown) => {
          const e = err as { code?: string; cause?: { code?: string } };
          if (!/unique/i.test(String(err)) && e.code !== '23505' && e.cause?.code !== '23505') throw err;
        });
    } else if (o.kind === 'move' || o.kind === 'drop') {
      const changes = await ids('deal_stage_changes');
      const id = changes[o.pick % Math.max(1, changes.length)];
      if (id === undefined) continue;
      await store.write((tx) =>
        runSql(tx, o.kind === 'move' ? sql`UPDATE deal_stage_changes SET at = ${o.at}, to_stage = ${o.to} WHERE id = ${id}` : sql`DELETE FROM deal_stage_changes WHERE id = ${id}`),
      );
    } else if (o.kind === 'invoice') {
      const deals = await ids('deals');
      const dealId = o.deal === null ? null : deals[o.deal % deals.length]!;
      const paidDate = o.paidDate !== null && o.paid >= o.amount ? o.paidDate : null;
      await store.write((tx) =>
        runSql(
          tx,
          sql`INSERT INTO invoices (number, client_id, deal_id, amount_minor, currency, issue_date, due_date, paid_minor, paid_date, created_by, created_at)
              VALUES (${`FZ-${++invoiceNo}`}, ${clientIds[o.client % clientIds.length]!}, ${dealId}, ${o.amount}, ${o.currency}, ${o.issue}, ${o.due}, ${Math.min(o.paid, Math.max(o.amount, 0))}, ${paidDate}, 'fuzz', ${NOW})`,
        ),
      );
    } else {
      await store.write((tx) => runSql(tx, sql`UPDATE clients SET segment = ${o.segment} WHERE id = ${clientIds[o.client % clientIds.length]!}`));
    }
  }
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe(`the funnel's reads (${onPg ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('give the figures of the whole history, and deal_last_changes holds each deal latest change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), fc.integer({ min: -40, max: 40 }), async (ops, shift) => {
        await apply(ops);
        const now = NOW + shift * DAY;
        for (const policy of POLICIES)
          for (const period of FUNNEL_PERIODS)
            for (const owner of [undefined, ...OWNERS]) {
              const got = await computeFunnel(store, policy, period, owner, now, 'Europe/Sofia');
              const want = await funnelReference(store, policy, period, owner, now, 'Europe/Sofia');
              expect(plain(got), `${period} ${owner ?? 'all'} ${policy.abc.baseCurrency}`).toEqual(plain(want));
            }
        const [kept, latest] = await store.read(async (tx) => [
          await rowsOf(tx, sql`SELECT deal_id, change_id, from_stage, to_stage, at FROM deal_last_changes ORDER BY deal_id`),
          await rowsOf(
            tx,
            sql`SELECT c.deal_id, c.id AS change_id, c.from_stage, c.to_stage, c.at FROM deal_stage_changes c
                 WHERE c.id = (SELECT x.id FROM deal_stage_changes x WHERE x.deal_id = c.deal_id ORDER BY x.at DESC, x.id DESC LIMIT 1) ORDER BY c.deal_id`,
          ),
        ]);
        expect(plain(kept)).toEqual(plain(latest));
      }),
      { numRuns: onPg ? 12 : 30, seed: 18 },
    );
  }, 240_000);
});
