import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previousPeriod, repeatShare, retentionBySegment, type SaleMark, type WonDeal } from '../../src/domain/repeat.ts';
import type { Segment } from '../../src/domain/stages.ts';

const won = (dealId: number, clientId: number, openedOn: string, wonOn: string): WonDeal => ({ dealId, clientId, openedOn, wonOn });
const sale = (clientId: number, issueDate: string, amountMinor = 10_000, dealId: number | null = null): SaleMark => ({ clientId, dealId, issueDate, amountMinor });
const Q1 = { from: '2026-01-01', to: '2026-04-01' };

describe('repeat business in /funnel (SPEC §7)', () => {
  it('counts a won deal as repeat business when the client had an earlier win or invoice when it opened', () => {
    const history = [
      won(1, 10, '2025-05-01', '2025-06-01'), // an earlier win of client 10
      won(2, 10, '2026-01-05', '2026-02-01'), // repeat: client 10 had deal 1
      won(3, 20, '2026-01-10', '2026-03-01'), // new: its own invoice does not count
      won(4, 30, '2026-02-01', '2026-03-15'), // repeat: an invoice from before the deal
      won(5, 40, '2026-01-01', '2026-03-20'), // new: client 40's invoice is the same day the deal opened
      won(6, 50, '2026-02-01', '2026-04-01'), // outside the period (half-open)
    ];
    const sales = [sale(20, '2026-02-01', 50_000, 3), sale(30, '2025-11-01'), sale(40, '2026-01-01'), sale(10, '2025-12-01', -5_000)];
    expect(repeatShare(history, sales, Q1)).toEqual({ won: 4, fromExisting: 2, share: 0.5 });
  });

  it('a credit note alone does not make a client existing', () => {
    expect(repeatShare([won(1, 10, '2026-02-01', '2026-03-01')], [sale(10, '2025-01-01', -100)], Q1)).toEqual({ won: 1, fromExisting: 0, share: 0 });
  });

  it('has no share when nothing was won', () => {
    expect(repeatShare([], [], Q1)).toEqual({ won: 0, fromExisting: 0, share: null });
  });

  it('the previous period is the same length just before', () => {
    expect(previousPeriod(Q1)).toEqual({ from: '2025-10-03', to: '2026-01-01' }); // 90 days
    expect(previousPeriod(Q1, 'months')).toEqual({ from: '2025-10-01', to: '2026-01-01' }); // the previous quarter
    expect(previousPeriod({ from: '2026-01-01', to: '2027-01-01' }, 'months')).toEqual({ from: '2025-01-01', to: '2026-01-01' });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-30', to: '2026-03-01' });
  });

  it('per segment: the clients with sales in both periods out of those with sales in the previous one', () => {
    const seg = new Map<number, Segment | null>([
      [1, 'A'],
      [2, 'A'],
      [3, 'B'],
      [4, 'C'],
      [5, null],
    ]);
    const prev = { from: '2025-10-01', to: '2026-01-01' };
    const sales = [
      sale(1, '2025-11-01'),
      sale(1, '2026-02-01'),
      sale(2, '2025-12-31'),
      sale(3, '2026-03-31'),
      sale(4, '2025-10-01'),
      sale(4, '2026-01-01'),
      sale(5, '2025-10-15'),
      sale(5, '2026-02-02', -100), // a credit note is not a sale
    ];
    expect(retentionBySegment(sales, seg, Q1, prev)).toEqual([
      { segment: 'A', previous: 2, retained: 1, rate: 0.5, newClients: 0 },
      { segment: 'B', previous: 0, retained: 0, rate: null, newClients: 1 },
      { segment: 'C', previous: 2, retained: 1, rate: 0.5, newClients: 0 },
    ]);
  });

  it('retained never exceeds previous, and the rate stays within 0–1', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: -5, max: 100 }))), (rows) => {
        const sales = rows.map(([c, d, a]) => sale(c, new Date(Date.UTC(2025, 9, 1 + d)).toISOString().slice(0, 10), a));
        const seg = new Map<number, Segment>(Array.from({ length: 20 }, (_, i) => [i + 1, (['A', 'B', 'C'] as const)[i % 3]!]));
        return retentionBySegment(sales, seg, Q1).every((r) => r.retained <= r.previous && (r.rate === null ? r.previous === 0 : r.rate >= 0 && r.rate <= 1));
      }),
    );
  });
});
