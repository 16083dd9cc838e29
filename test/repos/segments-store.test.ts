/**
 * writeSegments on both backends (src/repos/analytics.ts): snapshots written in batches, read back
 * exactly (so a second run with the same figures writes nothing), only the rows that differ
 * rewritten, and each guarded segment change recorded once, with its alert, whoever writes first.
 * On PostgreSQL a batch is two statements from JSON; on SQLite one statement a row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSegments, type SnapshotFigures } from '../../src/repos/analytics.ts';
import { openPgStore, openStore } from '../../src/repos/open.ts';
import { rowsOf, runSql, type Store } from '../../src/repos/store.ts';
import type { Segment } from '../../src/domain/stages.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

const dir = mkdtempSync(join(tmpdir(), 'dealdesk-segments-'));
const opened: Store[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const backends: [string, () => Promise<Store>][] = [
  ['sqlite', () => openStore({ databasePath: join(dir, `s${opened.length}.db`) })],
  ['postgres', async () => openPgStore(await freshPgDatabase())],
];

const run = { criterion: 'revenue' as const, periodFrom: '2025-12-01', periodTo: '2026-11-30', baseCurrency: 'EUR' };
/** More clients than one batch (500), with shares that are no short decimals. */
const N = 1203;

describe.each(backends)('writeSegments on %s', (_name, open) => {
  async function setUp(): Promise<{ store: Store; ids: number[]; rows: SnapshotFigures[] }> {
    const store = await open();
    opened.push(store);
    const ids = await store.write(async (tx) => {
      for (let i = 0; i < N; i++) await runSql(tx, sql`INSERT INTO clients (name, name_key, owner_id, created_by, created_at) VALUES (${`C${i}`}, ${`c${i}`}, 'U1', 'U1', 0)`);
      return (await rowsOf<{ id: number }>(tx, sql`SELECT id FROM clients ORDER BY id`)).map((r) => Number(r.id));
    });
    const segment = (i: number): Segment => (i < 100 ? 'A' : i < 400 ? 'B' : 'C');
    const rows = ids.map((clientId, i) => ({
      clientId,
      segment: segment(i),
      revenueMinor: 9_000_000_000 - i * 7_919,
      marginMinor: -i * 3,
      assortment: i % 7,
      daysLate: i / 3,
      share: 1 / (i + 3),
      cumulativeShare: Math.min(1, (i + 1) / 1203.7),
      rank: i + 1,
    }));
    return { store, ids, rows };
  }
  const snapshots = (store: Store) =>
    store.read((tx) => rowsOf<{ clientId: number; segment: string; share: number; computedAt: number }>(tx, sql`SELECT client_id AS "clientId", segment, share, computed_at AS "computedAt" FROM segment_snapshots ORDER BY client_id`));
  const count = async (store: Store, table: string) => Number((await store.read((tx) => rowsOf<{ n: number }>(tx, sql.raw(`SELECT count(*) AS n FROM ${table}`))))[0]!.n);

  it('writes every snapshot once, nothing when the figures are the same, and only the rows that differ', async () => {
    const { store, rows } = await setUp();
    const firsts = rows.map((r) => ({ clientId: r.clientId, from: null, to: r.segment, figures: { share: r.share } }));
    expect(await writeSegments(store, run, rows, firsts, 1)).toEqual({ written: N, applied: [] });
    const stored = await snapshots(store);
    expect(stored.map((s) => [s.clientId, s.segment, s.share])).toEqual(rows.map((r) => [r.clientId, r.segment, r.share]));
    expect(await count(store, 'segment_changes')).toBe(N);
    // The same figures again: nothing is written (the doubles read back bit for bit).
    expect((await writeSegments(store, run, rows, [], 2)).written).toBe(0);
    // Two clients' figures change; a fingerprint miss makes the run compare every stored row.
    const next = rows.map((r, i) => (i === 7 || i === 1100 ? { ...r, share: r.share / 2 } : r));
    expect((await writeSegments(store, run, next, [], 3)).written).toBe(2);
    const after = await snapshots(store);
    expect(after.filter((s) => s.computedAt === 3).map((s) => s.clientId)).toEqual([rows[7]!.clientId, rows[1100]!.clientId]);
    expect(after[7]!.share).toBe(rows[7]!.share / 2);
  });

  it('records and alerts a segment change once when two recomputes computed it, and not one whose segment moved meanwhile', async () => {
    const { store, ids, rows } = await setUp();
    await writeSegments(store, run, rows, rows.map((r) => ({ clientId: r.clientId, from: null, to: r.segment, figures: {} })), 1);
    const alertsFor = (applied: { clientId: number }[]) => [{ op: 'post' as const, channel: 'C0SALES', payload: { text: applied.map((c) => c.clientId).join(',') } }];
    // Client 0 A → C and client 600 C → A, computed by two runs from the same stored segments.
    const moved = rows.map((r, i) => (i === 0 ? { ...r, segment: 'C' as const } : i === 600 ? { ...r, segment: 'A' as const } : r));
    const changes = [
      { clientId: ids[0]!, from: 'A' as const, to: 'C' as const, figures: { n: 0 } },
      { clientId: ids[600]!, from: 'C' as const, to: 'A' as const, figures: { n: 600 } },
    ];
    // Someone else moved client 600 to B in between: that change no longer applies.
    await store.write((tx) => runSql(tx, sql`UPDATE clients SET segment = 'B' WHERE id = ${ids[600]!}`));
    const first = await writeSegments(store, run, moved, changes, 2, alertsFor);
    const second = await writeSegments(store, run, moved.map((r) => ({ ...r, rank: r.rank + 1 })), changes, 3, alertsFor);
    expect(first.applied.map((c) => c.clientId)).toEqual([ids[0]]);
    expect(second.applied).toEqual([]);
    const recorded = await store.read((tx) => rowsOf<{ c: number; f: string; t: string; figures: string }>(tx, sql`SELECT client_id AS c, from_segment AS f, to_segment AS t, figures FROM segment_changes WHERE from_segment IS NOT NULL`));
    expect(recorded.map((r) => [Number(r.c), r.f, r.t, JSON.parse(r.figures)])).toEqual([[ids[0], 'A', 'C', { n: 0 }]]);
    const segs = await store.read((tx) => rowsOf<{ id: number; segment: string }>(tx, sql`SELECT id, segment FROM clients WHERE id IN (${ids[0]!}, ${ids[600]!}) ORDER BY id`));
    expect(segs.map((s) => s.segment)).toEqual(['C', 'B']);
    const posted = await store.read((tx) => rowsOf<{ payload: string }>(tx, sql`SELECT payload FROM outbox WHERE channel = 'C0SALES'`));
    expect(posted.map((p) => JSON.parse(p.payload).text)).toEqual([String(ids[0])]);
  });
});
