/**
 * `/abc profile` (SPEC §7): what segment A has in common, against the rest.
 *
 * Pure, from plain rows. Decisions (tested in test/domain/profile.test.ts):
 *  - Groups: A, and the rest = every other client with a segment; clients without one are left out.
 *  - Shares by industry, region and size are of the group's clients with the attribute recorded
 *    (`unknown` counts the others); values compare as attributeKey does and show the spelling of
 *    the lowest client id; listed by clients descending, ties by value.
 *  - Median invoice: over the group's invoices with an amount above 0 (credit notes are not
 *    sales), each converted into the base currency by the caller's converter (ABC's
 *    currencyConverter: policy rates, the changeover currency by the fixed rule); invoices in a
 *    currency without a rate are left out and named. Rounded to a whole minor unit.
 *  - Usual payment terms: the median of due date − issue date in days over the same invoices.
 *  - A median of an even count is the mean of the two middle values; null when there is nothing.
 */
import { attributeKey, FIT_ATTRIBUTES, type Attributes, type FitAttribute } from './fit.ts';
import { medianSorted } from './retention.ts';
import type { Segment } from './stages.ts';

export interface ProfileClient extends Attributes {
  clientId: number;
  segment: Segment | null;
}

export interface ProfileInvoice {
  clientId: number;
  amountMinor: number;
  currency: string;
  issueDate: string;
  dueDate: string;
}

export interface ValueShare {
  value: string;
  clients: number;
  /** clients / the group's clients with the attribute recorded. */
  share: number;
}

export interface AttributeBreakdown {
  values: ValueShare[];
  unknown: number;
}

export interface GroupProfile {
  clients: number;
  attributes: Record<FitAttribute, AttributeBreakdown>;
  invoices: number;
  /** In minor units of the base currency. */
  medianInvoiceMinor: number | null;
  medianNetDays: number | null;
}

export interface AbcProfile {
  baseCurrency: string;
  a: GroupProfile;
  rest: GroupProfile;
  /** Currencies without a rate, sorted; their invoices are left out. */
  unconvertible: string[];
}

const DAY_MS = 86_400_000;

function breakdown(clients: readonly ProfileClient[], attr: FitAttribute): AttributeBreakdown {
  const m = new Map<string, { value: string; clients: number; firstId: number }>();
  let unknown = 0;
  for (const c of clients) {
    const raw = c[attr];
    const key = attributeKey(raw);
    if (key === null) {
      unknown++;
      continue;
    }
    const value = raw!.replace(/\s+/gu, ' ').trim();
    const e = m.get(key);
    if (!e) m.set(key, { value, clients: 1, firstId: c.clientId });
    else {
      e.clients++;
      if (c.clientId < e.firstId) {
        e.firstId = c.clientId;
        e.value = value;
      }
    }
  }
  const known = clients.length - unknown;
  const values = [...m.values()]
    .sort((x, y) => y.clients - x.clients || (x.value.toLowerCase() < y.value.toLowerCase() ? -1 : x.value.toLowerCase() > y.value.toLowerCase() ? 1 : 0))
    .map((e) => ({ value: e.value, clients: e.clients, share: e.clients / known }));
  return { values, unknown };
}

function group(clients: readonly ProfileClient[], invoices: readonly ProfileInvoice[], convert: (minor: number, currency: string) => number | null, unconvertible: Set<string>): GroupProfile {
  const amounts: number[] = [];
  const terms: number[] = [];
  for (const i of invoices) {
    if (!(i.amountMinor > 0)) continue;
    const v = convert(i.amountMinor, i.currency);
    if (v === null) {
      unconvertible.add(i.currency);
      continue;
    }
    amounts.push(v);
    terms.push(Math.round((Date.parse(`${i.dueDate}T00:00:00Z`) - Date.parse(`${i.issueDate}T00:00:00Z`)) / DAY_MS));
  }
  amounts.sort((a, b) => a - b);
  terms.sort((a, b) => a - b);
  const med = medianSorted(amounts);
  return {
    clients: clients.length,
    attributes: Object.fromEntries(FIT_ATTRIBUTES.map((a) => [a, breakdown(clients, a)])) as Record<FitAttribute, AttributeBreakdown>,
    invoices: amounts.length,
    medianInvoiceMinor: med === undefined ? null : Math.round(med),
    medianNetDays: medianSorted(terms) ?? null,
  };
}

/** Segment A against the rest (see the decisions at the top of this file). */
export function abcProfile(
  clients: readonly ProfileClient[],
  invoices: readonly ProfileInvoice[],
  baseCurrency: string,
  convert: (minor: number, currency: string) => number | null,
): AbcProfile {
  const segmentOf = new Map<number, Segment>();
  for (const c of clients) if (c.segment !== null) segmentOf.set(c.clientId, c.segment);
  const aClients = clients.filter((c) => c.segment === 'A');
  const restClients = clients.filter((c) => c.segment !== null && c.segment !== 'A');
  const aInvoices = invoices.filter((i) => segmentOf.get(i.clientId) === 'A');
  const restInvoices = invoices.filter((i) => {
    const s = segmentOf.get(i.clientId);
    return s !== undefined && s !== 'A';
  });
  const unconvertible = new Set<string>();
  const a = group(aClients, aInvoices, convert, unconvertible);
  const rest = group(restClients, restInvoices, convert, unconvertible);
  return { baseCurrency, a, rest, unconvertible: [...unconvertible].sort() };
}
