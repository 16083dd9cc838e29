import { describe, expect, it } from 'vitest';
import { abcProfile } from '../../src/domain/profile.ts';
import { currencyConverter } from '../../src/domain/abc.ts';
import { scoreFit, trainFit, type FitExample } from '../../src/domain/fit.ts';
import { nextReview, quietStatus } from '../../src/domain/retention.ts';
import { abcProfileMessage, fitLine, quietAlertMessage, type QuietClientView, repeatBusinessLines, reviewLines, reviewsDigest } from '../../src/slack/ui/messages/retention.ts';
import { blockKitProblems, readable } from '../helpers/harness.ts';

const EVERY = { A: 90, B: 180, C: 365 };
const next = (lastReviewOn: string | null, segment: 'A' | 'B' | 'C' = 'A') => nextReview({ clientId: 1, ownerId: 'U0SELLER', segment, lastReviewOn, createdOn: '2026-01-01' }, EVERY);

describe('card: Last review and Next review', () => {
  it('shows the last review with who and the note, and when the next falls', () => {
    expect(reviewLines({ on: '2026-03-01', by: 'U0SELLER', note: 'Happy, wants *more* <pallets>' }, next('2026-03-01'), '2026-05-10')).toEqual([
      'Last review: 2026-03-01 by <@U0SELLER> — _Happy, wants *more* &lt;pallets&gt;_',
      'Next review: 2026-05-30 · in 20 days (A clients every 90 days)',
    ]);
  });

  it('says none yet, due today and overdue', () => {
    expect(reviewLines(null, next(null), '2026-04-01')).toEqual(['Last review: none yet', 'Next review: 2026-04-01 · *due today* (A clients every 90 days)']);
    expect(reviewLines(null, next(null, 'B'), '2026-07-02')[1]).toBe('Next review: 2026-06-30 · *overdue by 2 days* (B clients every 180 days)');
    expect(reviewLines(null, next(null), '2026-03-31')[1]).toContain('in 1 day ');
  });
});

describe('card: Fit', () => {
  let id = 1;
  const ex = (segment: 'A' | 'C', industry: string, size: string): FitExample => ({ clientId: id++, segment, industry, size, region: null });
  const model = trainFit([...Array.from({ length: 6 }, () => ex('A', 'logistics', 'small')), ...Array.from({ length: 10 }, () => ex('C', 'retail', 'large'))]);

  it('shows the score with the attributes that raised or lowered it', () => {
    const r = scoreFit(model, { industry: 'logistics', size: 'large' });
    expect(fitLine(r)).toMatch(/^Fit: \d{1,3} \(industry: logistics ↑, size: large ↓\)$/);
    expect(fitLine(scoreFit(model, { industry: 'logistics', size: 'small', region: 'Sofia' }))).toMatch(/^Fit: 9\d \(industry: logistics ↑, size: small ↑\)$/);
  });

  it('says so instead of a number with too few A clients, or nothing recorded', () => {
    expect(fitLine({ kind: 'too-few', aCount: 3, needed: 5 })).toBe('Fit: not enough A clients yet (3 of 5)');
    expect(fitLine(scoreFit(model, {}))).toBe('Fit: – (record industry or size to compare it with A)');
    expect(fitLine({ kind: 'unknown', missing: ['industry', 'region', 'size'] })).toBe('Fit: – (record industry, region or size to compare it with A)');
    expect(fitLine(scoreFit(model, { industry: 'mining' }))).toBe('Fit: 50 (nothing sets it apart from A or the rest)');
  });

  it('escapes a value people typed', () => {
    const m = trainFit([...Array.from({ length: 6 }, () => ex('A', '<!channel>', 'small')), ex('C', 'retail', 'large')]);
    expect(fitLine(scoreFit(m, { industry: '<!channel>' }))).toContain('industry: &lt;!channel&gt; ↑');
  });
});

const quiet = (): QuietClientView => {
  const st = quietStatus(
    {
      clientId: 12,
      segment: 'A',
      invoices: [
        { issueDate: '2025-09-01', amountMinor: 1_000_000, currency: 'EUR' },
        { issueDate: '2025-10-01', amountMinor: 2_000_000, currency: 'EUR' },
        { issueDate: '2025-10-31', amountMinor: 50_000, currency: 'USD' },
      ],
    },
    '2026-01-15',
  );
  if (st.kind !== 'quiet') throw new Error('expected quiet');
  return { clientId: 12, name: 'Acme <Ltd>', ownerId: 'U0SELLER', segment: 'A', rhythm: st.rhythm, revenue12m: st.revenue12m };
};

describe('quiet-client alert', () => {
  it('gives the usual rhythm, the days silent and the last 12 months’ revenue', () => {
    const m = quietAlertMessage(quiet());
    expect(readable(m)).toContain(
      ':zzz: *Acme &lt;Ltd&gt;* (#12, A) has gone quiet: no invoice for 76 days; it usually buys every 30 days (median gap over 3 invoice days). Last invoice 2025-10-31 · last 12 months: €30,000.00 + $500.00 · owner <@U0SELLER>',
    );
    expect(m.text).toBe('Acme <Ltd> has gone quiet: no invoice for 76 days');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('shows a half-day median with one decimal and says when nothing was invoiced in a year', () => {
    const q = { ...quiet(), rhythm: { ...quiet().rhythm, usualGapDays: 30.5 }, revenue12m: [] };
    expect(readable(quietAlertMessage(q))).toContain('every 30.5 days');
    expect(readable(quietAlertMessage(q))).toContain('nothing invoiced in the last 12 months');
  });
});

describe('reviews digest per owner', () => {
  const due = [
    { clientId: 3, name: 'Beta', segment: 'A' as const, nextOn: '2026-05-01', overdueDays: 9, lastReviewOn: '2026-01-31' },
    { clientId: 4, name: 'Gamma', segment: 'C' as const, nextOn: '2026-05-10', overdueDays: 0, lastReviewOn: null },
  ];

  it('lists the reviews due, then the clients gone quiet', () => {
    const m = reviewsDigest('U0SELLER', due, [quiet()]);
    const text = readable(m);
    expect(text).toContain(':calendar: <@U0SELLER>, *client reviews due* (2)');
    expect(text).toContain('• *Beta* (#3, A) — due 2026-05-01, *9 days overdue* · last review 2026-01-31');
    expect(text).toContain('• *Gamma* (#4, C) — due 2026-05-10, today · never reviewed');
    expect(text).toContain('/client review <client> <note>');
    expect(text).toContain(':zzz: *Gone quiet* (1)');
    expect(text).toContain('• *Acme &lt;Ltd&gt;* (#12, A) — no invoice for 76 days');
    expect(m.text).toBe('2 client reviews due, 1 client gone quiet');
    expect(blockKitProblems(m)).toEqual([]);
  });

  it('stays within Block Kit’s limits with many rows', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ ...due[0]!, clientId: i, name: `Client ${'x'.repeat(60)} ${i}` }));
    const m = reviewsDigest('U0SELLER', many, Array.from({ length: 200 }, () => quiet()));
    expect(blockKitProblems(m)).toEqual([]);
    expect(readable(m)).toContain('_…and 440 more._');
  });

  it('says when nothing is due', () => {
    expect(reviewsDigest('U0SELLER', [], []).text).toBe('No client reviews due');
  });
});

describe('/abc profile message', () => {
  it('shows A against the rest by attribute, median invoice and usual terms', () => {
    const p = abcProfile(
      [
        { clientId: 1, segment: 'A', industry: 'logistics', region: 'Sofia', size: 'small' },
        { clientId: 2, segment: 'A', industry: 'energy', region: null, size: 'small' },
        { clientId: 3, segment: 'C', industry: 'retail', region: 'Plovdiv', size: 'large' },
      ],
      [
        { clientId: 1, amountMinor: 100_000, currency: 'EUR', issueDate: '2026-01-01', dueDate: '2026-03-02' },
        { clientId: 3, amountMinor: 10_000, currency: 'GBP', issueDate: '2026-01-01', dueDate: '2026-01-31' },
      ],
      'EUR',
      currencyConverter('EUR', {}),
    );
    const m = abcProfileMessage(p);
    const text = readable(m);
    expect(text).toContain('*Segment A against the rest* · 2 A clients, 1 other client');
    expect(text).toContain('*Industry*\n• A: energy 50 %, logistics 50 %\n• rest: retail 100 %');
    expect(text).toContain('*Region*\n• A: Sofia 100 % (1 not recorded)');
    expect(text).toContain('*Median invoice* · A: €1,000.00 (1 invoice) · rest: –');
    expect(text).toContain('*Usual payment terms* · A: net 60 days · rest: –');
    expect(text).toContain(':warning: Left out, no exchange rate in the policy: GBP.');
    expect(blockKitProblems(m)).toEqual([]);
  });
});

describe('/funnel repeat business lines', () => {
  it('gives the share from existing clients and retention per segment', () => {
    expect(
      repeatBusinessLines({ won: 4, fromExisting: 3, share: 0.75 }, [
        { segment: 'A', previous: 4, retained: 3, rate: 0.75, newClients: 1 },
        { segment: 'B', previous: 0, retained: 0, rate: null, newClients: 0 },
        { segment: 'C', previous: 1, retained: 1, rate: 1, newClients: 0 },
      ]),
    ).toEqual([
      '*Repeat business* · 75.0 % of won deals from existing clients (3 of 4)',
      '• A: 3 of 4 clients kept (75.0 %) · 1 new',
      '• B: no clients with sales in the previous period',
      '• C: 1 of 1 client kept (100.0 %)',
    ]);
    expect(repeatBusinessLines({ won: 0, fromExisting: 0, share: null }, [])).toEqual(['*Repeat business* · no deals won in the period']);
  });
});
