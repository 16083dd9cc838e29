/**
 * Import a company's books (SPEC §6): read the file (src/books), load what it names in pages,
 * plan every row against it, and write the plan's steps in transactions of a few hundred rows.
 * Each write is checked again inside its transaction as the commands check it (a name or ЕИК
 * taken meanwhile, an invoice paid meanwhile, a payment already recorded), so a row that fails
 * there changes nothing and the other rows still import. The same file twice changes nothing.
 */
import {
  needed,
  planRows,
  readBooks,
  type BooksFile,
  type ClientStep,
  type Counts,
  type FileRefusal,
  type ImportProblem,
  type InvoiceRecord,
  type InvoiceStep,
  type Kind,
  type Known,
  type KnownClient,
  type KnownInvoice,
  type KnownPayment,
  type PaymentStep,
  type Plan,
  type ReadOptions,
  type ReadResult,
  type RowFailure,
} from '../books/index.ts';
import { localDate } from '../domain/dates.ts';
import type { Changeover } from '../domain/euro.ts';
import { decidePaymentIn, dueDateFor } from '../domain/invoices.ts';
import { nameKey } from '../domain/names.ts';
import { recordAudit, type AuditInput } from '../repos/audit.ts';
import { clientsByKeys, insertInvoices, invoicesByNumbers, keyPageOf, ownersOfClients, paymentsOfInvoices, recordAudits, takenInvoiceNumbers, updateInvoiceFields, type InvoiceFields } from '../repos/books.ts';
import { insertClient, updateClient, type ClientRename, type ClientRow } from '../repos/clients.ts';
import { findInvoice, insertPayment, type InvoiceRow } from '../repos/invoices.ts';
import { enqueue } from '../repos/outbox.ts';
import { sqlState, type Store, type Tx } from '../repos/store.ts';
import type { Ctx } from './context.ts';
import { newClientRow } from './clients.ts';
import { announce } from './announce.ts';
import { paymentAudit, winDealIfPaid } from './invoices.ts';
import type { Notice } from './notices.ts';

/** What a row's write found changed since the plan was made: another writer got there first. */
export type WriteProblem = { kind: 'changed-meanwhile'; what: 'client' | 'eik' | 'invoice' | 'number' };

export type ImportFailure = ImportProblem | WriteProblem;

export type ImportRead = { ok: false; refusal: FileRefusal } | { ok: true; file: BooksFile; plan: Plan };

/**
 * Rows per write transaction: short enough that the bot's own writes never wait long for the
 * lock (with multi-row INSERTs, 1,000 invoice rows and their audit entries take SQLite some
 * 15–30 ms), long enough that commits (each one an fsync) are not most of an import's time.
 */
export const IMPORT_BATCH = 1000;

/** How a file is read, besides its bytes: what it says, checked against today and the policy (no database). */
export function readOptions(ctx: Ctx, opts: { kind?: Kind } = {}): ReadOptions {
  return { today: localDate(ctx.now, ctx.tz), changeover: ctx.policy.currency.changeover, ...(opts.kind ? { kind: opts.kind } : {}) };
}

/** A file read (readBooks with readOptions) planned against the database as it is now; writes nothing. */
export async function planRead(ctx: Ctx, read: ReadResult): Promise<ImportRead> {
  if (!read.ok) return read;
  const { file } = read;
  const known = await loadKnown(ctx.store, file, ctx.policy.currency.changeover);
  return { ok: true, file, plan: planRows(file, known) };
}

/** Read a file and plan it against the database; writes nothing (the preview and `--dry-run`). */
export async function planImport(ctx: Ctx, bytes: Uint8Array, opts: { kind?: Kind } = {}): Promise<ImportRead> {
  return planRead(ctx, readBooks(bytes, readOptions(ctx, opts)));
}

function pages<T>(tx: Tx, items: readonly T[]): T[][] {
  const size = keyPageOf(tx);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A client as the plan compares it with a file's row: every column an import sets. */
export const knownClient = (c: ClientRow): KnownClient => ({ id: c.id, name: c.name, eik: c.eik, vat: c.vat, owner: c.ownerId, contact: c.contact, industry: c.industry, region: c.region, size: c.size });

const knownInvoice = (i: InvoiceRow & { clientName: string }): KnownInvoice => ({
  id: i.id,
  number: i.number,
  clientId: i.clientId,
  clientName: i.clientName,
  amountMinor: i.amountMinor,
  currency: i.currency,
  issued: i.issueDate,
  due: i.dueDate,
  marginMinor: i.marginMinor,
  line: i.productLine,
  paidMinor: i.paidMinor,
});

/** The records the file names (`needed`), in pages of keys, in one consistent read. */
async function loadKnown(store: Store, file: BooksFile, changeover: Changeover): Promise<Known> {
  const n = needed(file);
  return store.read(async (tx) => {
    const clients = new Map<number, KnownClient>();
    for (const page of pages(tx, n.eiks)) for (const c of await clientsByKeys(tx, page, [])) clients.set(c.id, knownClient(c));
    for (const page of pages(tx, n.nameKeys)) for (const c of await clientsByKeys(tx, [], page)) clients.set(c.id, knownClient(c));
    const invoices = new Map<string, KnownInvoice>();
    for (const page of pages(tx, n.invoiceNumbers)) for (const i of await invoicesByNumbers(tx, page)) invoices.set(i.number, knownInvoice(i));
    const payments = new Map<string, KnownPayment[]>();
    if (file.kind === 'payments') {
      const numberOf = new Map([...invoices.values()].map((i) => [i.id, i.number]));
      for (const page of pages(tx, [...numberOf.keys()])) {
        for (const p of await paymentsOfInvoices(tx, page)) {
          const number = numberOf.get(p.invoiceId)!;
          payments.set(number, [...(payments.get(number) ?? []), { id: p.id, amountMinor: p.amountMinor, receivedMinor: p.receivedMinor, date: p.date, reference: p.reference }]);
        }
      }
    }
    return { clients: clients.values(), invoices, payments, changeover };
  });
}

export interface ImportResult {
  kind: Kind;
  counts: Counts;
  /** Every row in error (the file's, the plan's and the writes'), in row order. */
  failures: RowFailure<ImportFailure>[];
}

type Outcome = { row: number; action: 'create' | 'update' | 'unchanged' } | { row: number; cells: string[]; problem: ImportFailure };

/** What a batch's transaction wrote: each row's outcome, and whose App Home shows what changed. */
interface Written {
  outcomes: Outcome[];
  homes: string[];
}

/**
 * Write a plan's steps, a batch to a transaction, in the plan's order. A batch that a
 * constraint stops as a whole (a race the checks did not see) is written again a row at a time,
 * so only the row at fault fails. `onProgress` hears after every batch. Then the App Home of
 * everyone whose clients, invoices or payments changed is refreshed, once each for the whole
 * file (not once a row, nor once a batch).
 */
export async function applyImport(ctx: Ctx, read: Extract<ImportRead, { ok: true }>, opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<ImportResult> {
  const { plan } = read;
  const steps = plan.steps as (ClientStep | InvoiceStep | PaymentStep)[];
  const size = opts.batch ?? IMPORT_BATCH;
  const outcomes: Outcome[] = [];
  const homes = new Set<string>();
  const took = (w: Written) => {
    outcomes.push(...w.outcomes);
    for (const u of w.homes) homes.add(u);
  };
  for (let i = 0; i < steps.length; i += size) {
    const batch = steps.slice(i, i + size);
    try {
      took(await ctx.store.write((tx) => writeSteps(ctx, tx, plan.kind, batch)));
    } catch (err) {
      if (!isConstraint(err)) throw err;
      for (const step of batch) {
        try {
          took(await ctx.store.write((tx) => writeSteps(ctx, tx, plan.kind, [step])));
        } catch (e) {
          if (!isConstraint(e)) throw e;
          outcomes.push({ row: step.row, cells: step.cells, problem: { kind: 'changed-meanwhile', what: plan.kind === 'clients' ? 'client' : 'invoice' } });
        }
      }
    }
    opts.onProgress?.(Math.min(i + size, steps.length), steps.length);
  }
  if (homes.size > 0) await announce(ctx, [{ kind: 'home', users: [...homes] }]);
  const failures: RowFailure<ImportFailure>[] = [...plan.failures];
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const o of outcomes) {
    if ('problem' in o) failures.push({ row: o.row, cells: o.cells, problem: o.problem });
    else counts[o.action === 'create' ? 'created' : o.action === 'update' ? 'updated' : 'unchanged']++;
  }
  failures.sort((a, b) => a.row - b.row);
  counts.failed = failures.length;
  return { kind: plan.kind, counts, failures };
}

/** Plan and write in one go (the CLI); `dryRun` stops after the plan. */
export async function importBooks(ctx: Ctx, bytes: Uint8Array, opts: { kind?: Kind; dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<{ ok: false; refusal: FileRefusal } | ({ ok: true; read: Extract<ImportRead, { ok: true }> } & ImportResult)> {
  const read = await planImport(ctx, bytes, opts);
  if (!read.ok) return read;
  if (opts.dryRun) return { ok: true, read, kind: read.plan.kind, counts: read.plan.counts, failures: read.plan.failures };
  return { ok: true, read, ...(await applyImport(ctx, read, opts.onProgress ? { onProgress: opts.onProgress } : {})) };
}

/** A unique or check constraint stopped a statement (SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's class 23). */
function isConstraint(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) return true;
  }
  return sqlState(err).startsWith('23');
}

function writeSteps(ctx: Ctx, tx: Tx, kind: Kind, steps: (ClientStep | InvoiceStep | PaymentStep)[]): Promise<Written> {
  if (kind === 'clients') return writeClients(ctx, tx, steps as ClientStep[]);
  if (kind === 'invoices') return writeInvoices(ctx, tx, steps as InvoiceStep[]);
  return writePayments(ctx, tx, steps as PaymentStep[]);
}

async function writeClients(ctx: Ctx, tx: Tx, steps: ClientStep[]): Promise<Written> {
  const out: Outcome[] = [];
  const homes: string[] = [];
  for (const s of steps) {
    if (s.action === 'unchanged') {
      out.push({ row: s.row, action: 'unchanged' });
      continue;
    }
    const fail = (what: WriteProblem['what']) => out.push({ row: s.row, cells: s.cells, problem: { kind: 'changed-meanwhile', what } });
    if (s.action === 'create') {
      // As `/client add`: the client and its first deal at lead; an empty owner is whoever imports.
      const w = await insertClient(tx, newClientRow(ctx, s.record));
      if ('taken' in w) out.push({ row: s.row, cells: s.cells, problem: { kind: 'name-taken', name: s.record.name, holder: w.taken.name, holderEik: w.taken.eik } });
      else if ('eikTaken' in w) fail('eik');
      else {
        out.push({ row: s.row, action: 'create' });
        homes.push(w.client.ownerId);
      }
      continue;
    }
    const p = s.patch;
    const set: ClientRename = {
      ...(p.name !== undefined ? { name: p.name, nameKey: nameKey(p.name) } : {}),
      ...(p.eik !== undefined ? { eik: p.eik } : {}),
      ...(p.vat !== undefined ? { vat: p.vat } : {}),
      ...(p.owner !== undefined ? { ownerId: p.owner } : {}),
      ...(p.contact !== undefined ? { contact: p.contact } : {}),
      ...(p.industry !== undefined ? { industry: p.industry } : {}),
      ...(p.region !== undefined ? { region: p.region } : {}),
      ...(p.size !== undefined ? { size: p.size } : {}),
    };
    const w = await updateClient(tx, { clientId: s.id, set, actor: ctx.actor, at: ctx.now });
    if (w.ok) {
      out.push({ row: s.row, action: 'update' });
      // A new owner took the client (and its open deals) from the old one: both Homes change.
      homes.push(w.client.ownerId, ...(w.before.ownerId ? [w.before.ownerId] : []));
    } else if ('unchanged' in w) out.push({ row: s.row, action: 'unchanged' });
    else if ('nameTaken' in w) out.push({ row: s.row, cells: s.cells, problem: { kind: 'name-taken', name: s.record.name, holder: w.nameTaken.name, holderEik: w.nameTaken.eik } });
    else fail('eikTaken' in w ? 'eik' : 'client');
  }
  return { outcomes: out, homes };
}

const invoiceColumns = (r: Partial<InvoiceRecord>): InvoiceFields => ({
  ...(r.amountMinor !== undefined ? { amountMinor: r.amountMinor } : {}),
  ...(r.currency !== undefined ? { currency: r.currency } : {}),
  ...(r.issued !== undefined ? { issueDate: r.issued } : {}),
  ...(r.due !== undefined ? { dueDate: r.due } : {}),
  ...(r.marginMinor !== undefined ? { marginMinor: r.marginMinor } : {}),
  ...(r.line !== undefined ? { productLine: r.line } : {}),
});

async function writeInvoices(ctx: Ctx, tx: Tx, steps: InvoiceStep[]): Promise<Written> {
  const out: Outcome[] = [];
  const creates: Extract<InvoiceStep, { action: 'create' }>[] = [];
  const changedClients = new Set<number>();
  for (const s of steps) {
    if (s.action === 'unchanged') out.push({ row: s.row, action: 'unchanged' });
    else if (s.action === 'create') creates.push(s);
    else if (await updateInvoiceFields(tx, s.id, s.clientId, invoiceColumns(s.patch))) {
      await recordAudit(tx, { actor: ctx.actor, entity: 'invoice', entityId: s.id, clientId: s.clientId, action: 'updated', before: invoiceColumns(s.before), after: invoiceColumns(s.patch), at: ctx.now });
      out.push({ row: s.row, action: 'update' });
      changedClients.add(s.clientId);
    } else out.push({ row: s.row, cells: s.cells, problem: { kind: 'changed-meanwhile', what: 'invoice' } });
  }
  const taken = await takenInvoiceNumbers(tx, creates.map((s) => s.record.number));
  const fresh = creates.filter((s) => !taken.has(s.record.number));
  for (const s of creates) if (taken.has(s.record.number)) out.push({ row: s.row, cells: s.cells, problem: { kind: 'changed-meanwhile', what: 'number' } });
  const rows = await insertInvoices(
    tx,
    fresh.map(({ record: r, clientId }) => ({
      number: r.number,
      clientId,
      contractId: null,
      dealId: null,
      amountMinor: r.amountMinor,
      currency: r.currency,
      marginMinor: r.marginMinor ?? null,
      productLine: r.line ?? null,
      issueDate: r.issued,
      // An empty due date: the policy's default terms, as `/invoice add` without `due:` or `net:`.
      dueDate: dueDateFor(r.issued, r.due ? { due: r.due } : {}, undefined, ctx.policy.invoices.defaultNetDays),
      createdBy: ctx.actor,
      createdAt: ctx.now,
    })),
  );
  await recordAudits(tx, rows.map((row): AuditInput => ({ actor: ctx.actor, entity: 'invoice', entityId: row.id, clientId: row.clientId, action: 'issued', before: null, after: row, at: ctx.now })));
  for (const s of fresh) out.push({ row: s.row, action: 'create' });
  for (const r of rows) changedClients.add(r.clientId);
  return { outcomes: out, homes: await ownersOfClients(tx, [...changedClients]) };
}

async function writePayments(ctx: Ctx, tx: Tx, steps: PaymentStep[]): Promise<Written> {
  const out: Outcome[] = [];
  const homes: string[] = [];
  const won: Notice[] = [];
  for (const s of steps) {
    if (s.action === 'unchanged') {
      out.push({ row: s.row, action: 'unchanged' });
      continue;
    }
    const inv = await findInvoice(tx, s.invoiceId);
    if (!inv) {
      out.push({ row: s.row, cells: s.cells, problem: { kind: 'changed-meanwhile', what: 'invoice' } });
      continue;
    }
    const p = s.record;
    // Recorded meanwhile (the same file imported twice at once): it is there, nothing to add.
    const paid = s.received?.minor ?? s.amountMinor;
    const recorded = (await paymentsOfInvoices(tx, [inv.id])).some((x) => (p.reference !== undefined ? x.reference === p.reference : x.date === p.date && (x.receivedMinor ?? x.amountMinor) === paid));
    if (recorded) {
      out.push({ row: s.row, action: 'unchanged' });
      continue;
    }
    // Decided again on the invoice as it is now; a payment in EUR on a BGN invoice settles the BGN
    // figure whose remainder converts to exactly the EUR left (SPEC §5), as `/invoice pay` records it.
    const currency = s.received?.currency ?? inv.currency;
    const d = decidePaymentIn(inv, paid, currency, ctx.policy.currency.changeover);
    const refused = (owedMinor: number) =>
      out.push({ row: s.row, cells: s.cells, problem: { kind: 'payment-refused', invoice: inv.number, currency, refusal: owedMinor === 0 ? { kind: 'already-paid' } : { kind: 'over-owed', owedMinor } } });
    if (!d.ok) {
      refused(d.refusal.kind === 'over-owed' ? d.refusal.owedMinor : 0);
      continue;
    }
    const amountMinor = d.settlesMinor;
    const received = s.received ? { receivedMinor: s.received.minor, receivedCurrency: s.received.currency } : { receivedMinor: null, receivedCurrency: null };
    if (!(await insertPayment(tx, { invoiceId: inv.id, amountMinor, ...received, date: p.date, reference: p.reference ?? null, recordedBy: ctx.actor, recordedAt: ctx.now }, d.paidInFull ? p.date : null))) {
      refused(s.received ? 0 : inv.amountMinor - inv.paidMinor);
      continue;
    }
    await recordAudit(tx, paymentAudit(ctx, inv, { amountMinor, date: p.date, reference: p.reference ?? null, received }));
    // As `/invoice pay`: paid in full, the contract's deal may be won, announced once.
    const w = d.paidInFull ? await winDealIfPaid(ctx, tx, inv) : undefined;
    if (w) won.push(w);
    out.push({ row: s.row, action: 'create' });
    homes.push(inv.ownerId);
  }
  // The announcements in the transaction that won the deals; the Homes once, after the whole file.
  const items = ctx.render(won);
  await enqueue(tx, items.filter((i) => i.op !== 'home'), ctx.now);
  return { outcomes: out, homes: [...homes, ...items.filter((i) => i.op === 'home').map((i) => i.channel)] };
}
