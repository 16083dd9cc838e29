/**
 * What importing a file would do, decided against what the database already holds (SPEC §6):
 * each valid row creates, updates (with the fields that change) or leaves a record unchanged,
 * or fails because of what is there (an unknown client, another client's invoice, a payment
 * that would pay more than is owed). Pure: the caller loads the records named by `needed`
 * and writes the steps; the same file planned again after it was written is all unchanged.
 */
import { paymentCurrency, DEFAULT_CHANGEOVER, type Changeover } from '../domain/euro.ts';
import { decidePaymentIn, type PaymentRefusal } from '../domain/invoices.ts';
import { parseAmount } from '../domain/money.ts';
import { nameKey, nameKey as nameKeyOf } from '../domain/names.ts';
import { memo } from './memo.ts';
import type { ClientRecord, InvoiceRecord, Kind, PaymentRecord, RecordOf } from './kinds.ts';
import type { BooksFile, RowFailure, RowProblem } from './validate.ts';

/** A client as the database holds it (industry, region and size may be left out where a test has no use for them). */
export interface KnownClient {
  id: number;
  name: string;
  eik: string | null;
  vat: string | null;
  owner: string;
  contact: string | null;
  industry?: string | null;
  region?: string | null;
  size?: string | null;
}

export interface KnownInvoice {
  id: number;
  number: string;
  clientId: number;
  clientName?: string;
  amountMinor: number;
  currency: string;
  issued: string;
  due: string;
  marginMinor: number | null;
  line: string | null;
  /** Sum of its payments. */
  paidMinor: number;
}

export interface KnownPayment {
  id: number;
  amountMinor: number;
  /** What the payer paid, when in another currency than the invoice's (EUR on a BGN invoice after the changeover). */
  receivedMinor?: number | null;
  date: string;
  reference: string | null;
}

/** What the caller loads (see `needed`): any subset of the database that contains what the file names. */
export interface Known {
  clients?: Iterable<KnownClient>;
  /** By invoice number. */
  invoices?: ReadonlyMap<string, KnownInvoice>;
  /** By invoice number: that invoice's payments. */
  payments?: ReadonlyMap<string, readonly KnownPayment[]>;
  /** Policy `currency.changeover`: a payment on a BGN invoice dated from it on is in EUR, as `/invoice pay` takes it. */
  changeover?: Changeover;
}

/** Problems found against the database. */
export type PlanProblem =
  | { kind: 'unknown-client'; client?: string; eik?: string }
  /** An invoice row's ЕИК and name belong to two different clients. */
  | { kind: 'client-mismatch'; client: string; eik: string; eikClient: string }
  /** A client row's name is another client's (one with a different or no ЕИК match). */
  | { kind: 'name-taken'; name: string; holder: string; holderEik: string | null }
  /** Two rows of the file reach the same client (one by ЕИК, one by name). */
  | { kind: 'same-client-in-file'; client: string; firstRow: number }
  | { kind: 'invoice-of-other-client'; number: string; client?: string }
  | { kind: 'amount-below-paid'; number: string; paidMinor: number; currency: string }
  | { kind: 'currency-of-paid-invoice'; number: string; currency: string }
  | { kind: 'unknown-invoice'; number: string }
  /** A payment with this reference is recorded with another amount or date; payments are never edited. */
  | { kind: 'payment-differs'; invoice: string; reference: string; recorded: { amountMinor: number; date: string }; currency: string }
  | { kind: 'payment-refused'; invoice: string; currency: string; refusal: PaymentRefusal };

export type ImportProblem = RowProblem | PlanProblem;

type Base = { row: number; cells: string[] };
/** `patch` holds the new values of the fields that change, `before` their values now. */
type Update<R> = Base & { action: 'update'; id: number; record: R; patch: Partial<R>; before: Partial<R> };
type Unchanged = Base & { action: 'unchanged'; id: number };

export type ClientStep = (Base & { action: 'create'; record: ClientRecord }) | Update<ClientRecord> | Unchanged;
export type InvoiceStep = (Base & { action: 'create'; record: InvoiceRecord; clientId: number }) | (Update<InvoiceRecord> & { clientId: number }) | Unchanged;
/** Payments are created or already there; never updated. `amountMinor` is in `currency`, the invoice's. */
/**
 * `amountMinor` is in the invoice's currency; `received`, when the payment is in the currency that
 * replaced it (SPEC §5), is what was paid, and `amountMinor` the BGN figure it settles.
 */
export type PaymentStep =
  | (Base & { action: 'create'; record: PaymentRecord; invoiceId: number; amountMinor: number; currency: string; received?: { minor: number; currency: string } })
  | (Unchanged & { invoiceId: number });

export interface StepOf {
  clients: ClientStep;
  invoices: InvoiceStep;
  payments: PaymentStep;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** `steps`: in the order to write them (for clients not always the rows' order, see planClients). */
export type Plan = { [K in Kind]: { kind: K; steps: StepOf[K][]; failures: RowFailure<ImportProblem>[]; counts: Counts } }[Kind];

/** What to load for `planRows`: clients by ЕИК or name key (`nameKey`, the `name_key` column), invoices (with their payments) by number. */
export function needed(file: BooksFile): { eiks: string[]; nameKeys: string[]; invoiceNumbers: string[] } {
  const nameKey = memo(nameKeyOf);
  const eiks = new Set<string>();
  const nameKeys = new Set<string>();
  const numbers = new Set<string>();
  if (file.kind === 'clients') {
    for (const { record } of file.rows) {
      if (record.eik) eiks.add(record.eik);
      nameKeys.add(nameKey(record.name));
    }
  } else if (file.kind === 'invoices') {
    for (const { record } of file.rows) {
      if (record.eik) eiks.add(record.eik);
      if (record.client) nameKeys.add(nameKey(record.client));
      numbers.add(record.number);
    }
  } else for (const { record } of file.rows) numbers.add(record.invoice);
  return { eiks: [...eiks], nameKeys: [...nameKeys], invoiceNumbers: [...numbers] };
}

interface ClientIndex {
  byEik: Map<string, KnownClient>;
  byName: Map<string, KnownClient>;
}

function indexClients(clients: Iterable<KnownClient> = []): ClientIndex {
  const byEik = new Map<string, KnownClient>();
  const byName = new Map<string, KnownClient>();
  for (const c of clients) {
    if (c.eik) byEik.set(c.eik, c);
    byName.set(nameKey(c.name), c);
  }
  return { byEik, byName };
}

/** The fields of `record` whose value differs from `now` (absent in the record: not compared, an import never clears). */
function diff<R extends object>(record: R, now: Partial<Record<keyof R, unknown>>, fields: readonly (keyof R)[]): { patch: Partial<R>; before: Partial<R> } {
  const patch: Partial<R> = {};
  const before: Partial<R> = {};
  for (const f of fields) {
    const v = record[f];
    if (v === undefined) continue;
    const was = now[f] ?? undefined;
    if (v !== was) {
      patch[f] = v;
      before[f] = was as R[keyof R];
    }
  }
  return { patch, before };
}

const CLIENT_FIELDS = ['name', 'eik', 'vat', 'owner', 'contact', 'industry', 'region', 'size'] as const;
const INVOICE_FIELDS = ['amountMinor', 'currency', 'issued', 'due', 'marginMinor', 'line'] as const;

function planner<K extends Kind>(kind: K, file: { rows: { row: number; record: RecordOf[K]; cells: string[] }[]; failures: RowFailure[] }) {
  const steps: StepOf[K][] = [];
  const failures: RowFailure<ImportProblem>[] = [...file.failures];
  return {
    steps,
    failures,
    fail: (r: Base, problem: ImportProblem) => failures.push({ row: r.row, problem, cells: r.cells }),
    done: (): Plan => {
      failures.sort((a, b) => a.row - b.row);
      const count = (a: string) => steps.filter((s) => s.action === a).length;
      return { kind, steps, failures, counts: { created: count('create'), updated: count('update'), unchanged: count('unchanged'), failed: failures.length } } as Plan;
    },
  };
}

/**
 * Clients are matched by ЕИК, else by name (SPEC §6), and a row matched by ЕИК may rename its
 * client. Names are unique, so whether a name is free is judged on the names the clients will
 * have once the whole file is written (a rename frees a name for another row, whatever their
 * order), which is what makes the same file planned again all unchanged. The steps come in an
 * order the writer can apply one by one under the unique index: renames after the renames that
 * free their names, creates last.
 */
export function planClients(file: Extract<BooksFile, { kind: 'clients' }>, known: Known): Plan {
  const p = planner('clients', file);
  const all = [...(known.clients ?? [])];
  const idx = indexClients(all);
  const byEik = new Map<number, KnownClient>();
  for (const r of file.rows) {
    const t = r.record.eik ? idx.byEik.get(r.record.eik) : undefined;
    if (t) byEik.set(r.row, t);
  }
  const renaming = (r: (typeof file.rows)[number]) => {
    const t = byEik.get(r.row);
    return t && nameKey(t.name) !== nameKey(r.record.name) ? t : undefined;
  };
  // A rename onto a name another client keeps fails; that client then keeps its name, which may
  // make another rename fail in turn, so until nothing changes.
  const refused = new Map<number, PlanProblem>();
  let finalByName = new Map<string, KnownClient>();
  for (let changed = true; changed; ) {
    changed = false;
    const newName = new Map<number, string>();
    for (const r of file.rows) if (!refused.has(r.row) && renaming(r)) newName.set(byEik.get(r.row)!.id, r.record.name);
    finalByName = new Map();
    const keeps = new Map<string, KnownClient>();
    for (const c of all) if (!newName.has(c.id)) keeps.set(nameKey(c.name), c);
    for (const c of all) finalByName.set(nameKey(newName.get(c.id) ?? c.name), c);
    for (const [k, c] of keeps) finalByName.set(k, c);
    for (const r of file.rows) {
      const holder = !refused.has(r.row) && renaming(r) ? keeps.get(nameKey(r.record.name)) : undefined;
      if (holder) {
        refused.set(r.row, { kind: 'name-taken', name: r.record.name, holder: holder.name, holderEik: holder.eik });
        changed = true;
      }
    }
  }
  const claimed = new Map<number, number>();
  const renames: { step: ClientStep; from: string; to: string }[] = [];
  const creates: ClientStep[] = [];
  for (const r of file.rows) {
    const c = r.record;
    const problem = refused.get(r.row);
    if (problem) {
      p.fail(r, problem);
      continue;
    }
    let target = byEik.get(r.row);
    if (!target) {
      target = finalByName.get(nameKey(c.name));
      // Found by name, it may not carry another ЕИК.
      if (target && c.eik && target.eik && target.eik !== c.eik) {
        p.fail(r, { kind: 'name-taken', name: c.name, holder: target.name, holderEik: target.eik });
        continue;
      }
    }
    if (!target) {
      creates.push({ action: 'create', row: r.row, cells: r.cells, record: c });
      continue;
    }
    const first = claimed.get(target.id);
    if (first !== undefined) {
      p.fail(r, { kind: 'same-client-in-file', client: target.name, firstRow: first });
      continue;
    }
    claimed.set(target.id, r.row);
    const { patch, before } = diff(c, target, CLIENT_FIELDS);
    const step: ClientStep = Object.keys(patch).length === 0 ? { action: 'unchanged', row: r.row, cells: r.cells, id: target.id } : { action: 'update', row: r.row, cells: r.cells, id: target.id, record: c, patch, before };
    if (renaming(r)) renames.push({ step, from: nameKey(target.name), to: nameKey(c.name) });
    else p.steps.push(step);
  }
  // A rename waits for the rename that frees its name; names passed round in a circle
  // (A ↔ B) cannot be written one at a time under the unique index, and fail.
  const pending = [...renames];
  for (let progressed = true; progressed && pending.length > 0; ) {
    progressed = false;
    for (let i = 0; i < pending.length; i++) {
      if (pending.some((o) => o !== pending[i] && o.from === pending[i]!.to)) continue;
      p.steps.push(pending.splice(i--, 1)[0]!.step);
      progressed = true;
    }
  }
  for (const r of pending) {
    const holder = all.find((x) => nameKey(x.name) === r.to)!;
    p.fail(r.step, { kind: 'name-taken', name: (r.step as Extract<ClientStep, { action: 'update' }>).record.name, holder: holder.name, holderEik: holder.eik });
  }
  // One by one: a spread of a file's hundred thousand new clients overflows the call stack.
  for (const c of creates) p.steps.push(c);
  return p.done();
}

export function planInvoices(file: Extract<BooksFile, { kind: 'invoices' }>, known: Known): Plan {
  const nameKey = memo(nameKeyOf);
  const p = planner('invoices', file);
  const idx = indexClients(known.clients);
  for (const r of file.rows) {
    const inv = r.record;
    const byEik = inv.eik ? idx.byEik.get(inv.eik) : undefined;
    const byName = inv.client ? idx.byName.get(nameKey(inv.client)) : undefined;
    // The ЕИК decides whose invoice it is; a name the books spell differently is no error, a
    // name that is another client's is.
    if (inv.eik ? !byEik : !byName) {
      p.fail(r, { kind: 'unknown-client', ...(inv.client ? { client: inv.client } : {}), ...(inv.eik ? { eik: inv.eik } : {}) });
      continue;
    }
    if (byEik && byName && byEik.id !== byName.id) {
      p.fail(r, { kind: 'client-mismatch', client: inv.client!, eik: inv.eik!, eikClient: byEik.name });
      continue;
    }
    const client = (byEik ?? byName)!;
    const held = known.invoices?.get(inv.number);
    if (!held) {
      p.steps.push({ action: 'create', row: r.row, cells: r.cells, record: inv, clientId: client.id });
      continue;
    }
    if (held.clientId !== client.id) {
      p.fail(r, { kind: 'invoice-of-other-client', number: inv.number, ...(held.clientName !== undefined ? { client: held.clientName } : {}) });
      continue;
    }
    const { patch, before } = diff(inv, held, INVOICE_FIELDS);
    if (patch.amountMinor !== undefined && patch.amountMinor < held.paidMinor) {
      p.fail(r, { kind: 'amount-below-paid', number: inv.number, paidMinor: held.paidMinor, currency: held.currency });
      continue;
    }
    if (patch.currency !== undefined && held.paidMinor > 0) {
      p.fail(r, { kind: 'currency-of-paid-invoice', number: inv.number, currency: held.currency });
      continue;
    }
    p.steps.push(
      Object.keys(patch).length === 0
        ? { action: 'unchanged', row: r.row, cells: r.cells, id: held.id }
        : { action: 'update', row: r.row, cells: r.cells, id: held.id, clientId: client.id, record: inv, patch, before },
    );
  }
  // New invoices are written client by client (in file order within a client), after the
  // changes: three of the invoice indexes and one of the audit trail's begin with the client, so
  // a transaction of a thousand rows then changes the index pages of a few dozen clients rather
  // than of a thousand, and writes (and fsyncs) half as much.
  const createsAt = (s: InvoiceStep) => (s.action === 'create' ? s.clientId : 0);
  p.steps.sort((a, b) => createsAt(a) - createsAt(b));
  return p.done();
}

export function planPayments(file: Extract<BooksFile, { kind: 'payments' }>, known: Known): Plan {
  const p = planner('payments', file);
  const used = new Set<KnownPayment>();
  const planned = new Map<number, number>();
  for (const r of file.rows) {
    const pay = r.record;
    const inv = known.invoices?.get(pay.invoice);
    if (!inv) {
      p.fail(r, { kind: 'unknown-invoice', number: pay.invoice });
      continue;
    }
    // Read in the currency the invoice is owed in on the payment's day, as `/invoice pay` reads it:
    // the invoice's own, or EUR for a BGN invoice paid from the changeover on.
    const co = known.changeover ?? DEFAULT_CHANGEOVER;
    const owedIn = paymentCurrency(inv.currency, pay.date, co);
    const a = parseAmount(pay.amount, owedIn);
    if (!a.ok) {
      p.fail(r, { kind: 'bad-amount', column: 'amount', text: pay.amount, currency: owedIn, refusal: a.refusal });
      continue;
    }
    const paidAs = (x: KnownPayment) => x.receivedMinor ?? x.amountMinor;
    const recorded = (known.payments?.get(pay.invoice) ?? []).filter((x) => !used.has(x));
    // With a reference, that payment; without, one on the same day for the same amount (which
    // may carry a reference someone typed in Slack).
    const match = pay.reference !== undefined ? recorded.find((x) => x.reference === pay.reference) : recorded.find((x) => x.date === pay.date && paidAs(x) === a.minor);
    if (match) {
      used.add(match);
      if (paidAs(match) !== a.minor || match.date !== pay.date) {
        p.fail(r, { kind: 'payment-differs', invoice: pay.invoice, reference: pay.reference!, recorded: { amountMinor: paidAs(match), date: match.date }, currency: owedIn });
        continue;
      }
      p.steps.push({ action: 'unchanged', row: r.row, cells: r.cells, id: match.id, invoiceId: inv.id });
      continue;
    }
    const paidSoFar = inv.paidMinor + (planned.get(inv.id) ?? 0);
    const d = decidePaymentIn({ amountMinor: inv.amountMinor, paidMinor: paidSoFar, dueDate: inv.due, currency: inv.currency }, a.minor, owedIn, co);
    if (!d.ok) {
      p.fail(r, { kind: 'payment-refused', invoice: pay.invoice, currency: owedIn, refusal: d.refusal });
      continue;
    }
    planned.set(inv.id, (planned.get(inv.id) ?? 0) + d.settlesMinor);
    p.steps.push({
      action: 'create',
      row: r.row,
      cells: r.cells,
      record: pay,
      invoiceId: inv.id,
      amountMinor: d.settlesMinor,
      currency: inv.currency,
      ...(owedIn !== inv.currency ? { received: { minor: a.minor, currency: owedIn } } : {}),
    });
  }
  return p.done();
}

/**
 * Create, update, unchanged or fail for every row of a read file. The file's own failures are
 * carried over, so `plan.failures` is every row in error, in row order, and `plan.counts` is
 * the CLI's last line.
 */
export function planRows(file: BooksFile, known: Known): Plan {
  switch (file.kind) {
    case 'clients':
      return planClients(file, known);
    case 'invoices':
      return planInvoices(file, known);
    case 'payments':
      return planPayments(file, known);
  }
}
