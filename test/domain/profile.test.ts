import { describe, expect, it } from 'vitest';
import { currencyConverter } from '../../src/domain/abc.ts';
import { DEFAULT_CHANGEOVER } from '../../src/domain/euro.ts';
import { abcProfile, type ProfileClient, type ProfileInvoice } from '../../src/domain/profile.ts';

const convert = currencyConverter('EUR', { USD: 0.9 }, DEFAULT_CHANGEOVER);
const c = (clientId: number, segment: ProfileClient['segment'], industry?: string | null, region?: string | null, size?: string | null): ProfileClient => ({ clientId, segment, industry, region, size });
const inv = (clientId: number, amountMinor: number, net = 30, currency = 'EUR'): ProfileInvoice => ({
  clientId,
  amountMinor,
  currency,
  issueDate: '2026-01-01',
  dueDate: new Date(Date.UTC(2026, 0, 1 + net)).toISOString().slice(0, 10),
});

describe('/abc profile: A against the rest (SPEC §7)', () => {
  const clients = [
    c(4, 'A', 'logistics', 'Sofia', 'small'),
    c(1, 'A', 'Logistics', 'Sofia', 'medium'),
    c(2, 'A', 'energy', null, 'small'),
    c(3, 'A', 'IT', 'Varna', null),
    c(5, 'B', 'retail', 'Plovdiv', 'large'),
    c(6, 'C', 'retail', 'Sofia', 'large'),
    c(7, 'C', null, null, null),
    c(8, null, 'logistics', 'Sofia', 'small'), // no segment: left out
  ];
  const invoices = [inv(1, 100_000, 60), inv(2, 300_000, 45), inv(3, 200_000, 60), inv(4, 1_000, 30, 'BGN'), inv(4, -50_000), inv(5, 10_000, 30), inv(6, 30_000, 14), inv(6, 5_000, 30, 'GBP'), inv(8, 9_999_999)];
  const p = abcProfile(clients, invoices, 'EUR', convert);

  it('shares by industry, region and size of the clients with the attribute recorded', () => {
    expect(p.a.clients).toBe(4);
    expect(p.rest.clients).toBe(3);
    expect(p.a.attributes.industry).toEqual({
      values: [
        { value: 'Logistics', clients: 2, share: 0.5 }, // the spelling of the lowest client id
        { value: 'energy', clients: 1, share: 0.25 },
        { value: 'IT', clients: 1, share: 0.25 },
      ],
      unknown: 0,
    });
    expect(p.a.attributes.region).toEqual({
      values: [
        { value: 'Sofia', clients: 2, share: 2 / 3 },
        { value: 'Varna', clients: 1, share: 1 / 3 },
      ],
      unknown: 1,
    });
    expect(p.rest.attributes.size).toEqual({ values: [{ value: 'large', clients: 2, share: 1 }], unknown: 1 });
  });

  it('gives the median invoice in the base currency, credit notes left out, BGN by the fixed rate', () => {
    // A: 1000 BGN stotinki → 511 cents, 100000, 200000, 300000 → mean of the middle two.
    expect(p.a.invoices).toBe(4);
    expect(p.a.medianInvoiceMinor).toBe(150_000);
    // Rest: 10000 and 30000; GBP has no rate and is named.
    expect(p.rest.medianInvoiceMinor).toBe(20_000);
    expect(p.unconvertible).toEqual(['GBP']);
  });

  it('gives the usual payment terms as the median net days', () => {
    expect(p.a.medianNetDays).toBe(52.5);
    expect(p.rest.medianNetDays).toBe(22);
  });

  it('says nothing rather than zero when a group has no invoices', () => {
    const empty = abcProfile([c(1, 'A')], [], 'EUR', convert);
    expect(empty.a).toMatchObject({ clients: 1, invoices: 0, medianInvoiceMinor: null, medianNetDays: null });
    expect(empty.a.attributes.industry).toEqual({ values: [], unknown: 1 });
    expect(empty.rest.clients).toBe(0);
  });
});
