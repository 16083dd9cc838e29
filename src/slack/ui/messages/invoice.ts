import type { types } from '@slack/bolt';
import { AGING_BUCKETS, agingBucket, daysLate, invoiceStatus, owed, type AgingBucket } from '../../../domain/index.ts';
import { DUNNING_EVENTS, type DunningEvent } from '../../../domain/claims.ts';
import { DUNNING_ACTIONS, DUNNING_OUTCOMES, type DunningAction, type DunningOutcome } from '../../../domain/dunning.ts';
import type { ContractSnapshot } from '../../../repos/contracts.ts';
import type { TaskRow } from '../../../repos/delivery.ts';
import type { ClaimRow, DunningRow, InvoiceWithClient } from '../../../repos/invoices.ts';
import type { InterestStatement } from '../../../domain/interest.ts';
import type { ClaimInterest, InterestProblem } from '../../../services/interest.ts';
import type { DunningDigestItem } from '../../../services/notices.ts';
import { DEFAULT_LOCALE, formatDate, formatDecimal, formatMoney, label, tr, type Locale, type Tr } from '../../../i18n/index.ts';
import { ACTION, encodeRung } from '../../ids.ts';
import { esc, moneyWithEquivalent, owedOn, sectionsOf, taskTitle, totalsText, user } from '../format.ts';
import { convertAtChangeover, DEFAULT_CHANGEOVER, type Changeover } from '../../../domain/euro.ts';
import type { Message } from '../format.ts';
import { money } from '../format.ts';

type Block = types.KnownBlock;

const days = (m: Tr, n: number) => m('n.days', { n });

/** What the invoices owe as of `today`, per currency they are owed in then (a BGN invoice's in EUR from the changeover), `€750.00 + $20.00`. */
function totalsOf(rows: readonly InvoiceWithClient[], today: string, locale: Locale, co: Changeover = DEFAULT_CHANGEOVER): string {
  return totalsText(rows.map((r) => owedOn(r, today, co)), locale);
}

/** What an invoice owes as of `today`, formatted in the currency it is owed in then. */
function owedText(i: InvoiceWithClient, today: string, locale: Locale, co: Changeover = DEFAULT_CHANGEOVER): string {
  const o = owedOn(i, today, co);
  return formatMoney(o.minor, o.currency, locale);
}

export function invoiceLine(i: InvoiceWithClient, today: string, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const status = invoiceStatus(i, today);
  const late = status === 'overdue' ? m('invoice.lineLate', { days: days(m, daysLate(i, today)) }) : '';
  const paid = i.paidMinor > 0 && status !== 'paid' ? m('invoice.linePaid', { paid: formatMoney(i.paidMinor, i.currency, locale), owed: owedText(i, today, locale) }) : '';
  // A BGN invoice past the changeover owes its balance in EUR: the line says so even before a payment.
  const inEuro = status !== 'paid' && i.paidMinor === 0 && owedOn(i, today).currency !== i.currency ? m('invoice.lineOwes', { owed: owedText(i, today, locale) }) : '';
  return m('invoice.line', { id: i.id, number: i.number, client: esc(i.clientName), amount: moneyWithEquivalent(i, locale), due: formatDate(i.dueDate, locale), status: label(locale, 'invoiceStatus', status), paid: paid || inEuro, late });
}

export function invoiceAdded(i: InvoiceWithClient, today: string, dealMoved: boolean, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const lines = [
    m('invoice.added', { id: i.id, number: i.number, client: esc(i.clientName), amount: moneyWithEquivalent(i, locale), backdated: i.issueDate < today ? 'yes' : 'no', issued: formatDate(i.issueDate, locale), due: formatDate(i.dueDate, locale) }),
    ...(i.contractId !== null ? [m('invoice.forContract', { id: i.contractId, moved: dealMoved ? 'yes' : 'no' })] : []),
    invoiceLine(i, today, locale),
  ];
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}

/**
 * `paid`: the payment as the payer made it, when that is not in the invoice's currency (EUR on a
 * BGN invoice after the changeover, SPEC §5); what is left is then shown in that currency too.
 */
export function paymentRecorded(i: InvoiceWithClient, amountMinor: number, paidInFull: boolean, dealWon: boolean, locale: Locale = DEFAULT_LOCALE, paid?: { amountMinor: number; currency: string }, co: Changeover = DEFAULT_CHANGEOVER): Message {
  const m = tr(locale);
  const converted = paid !== undefined && paid.currency !== i.currency;
  const amount = converted ? `${formatMoney(paid.amountMinor, paid.currency, locale)} (${formatMoney(amountMinor, i.currency, locale)})` : formatMoney(amountMinor, i.currency, locale);
  const left = converted ? formatMoney(convertAtChangeover(owed(i), co), paid.currency, locale) : formatMoney(owed(i), i.currency, locale);
  const text = paidInFull
    ? m('invoice.paidInFull', { amount, id: i.id, number: i.number, won: dealWon ? 'yes' : 'no' })
    : m('invoice.paidPart', { amount, id: i.id, number: i.number, owed: left });
  return { text, blocks: sectionsOf([text]) };
}

/** Whose overdue invoices a list shows; a plain string is printed as it is given. */
export type OverdueTitle = string | { kind: 'all' } | { kind: 'mine' } | { kind: 'client'; name: string };

function overdueTitle(title: OverdueTitle, locale: Locale): string {
  if (typeof title === 'string') return title;
  const m = tr(locale);
  return title.kind === 'all' ? m('overdue.titleAll') : title.kind === 'mine' ? m('overdue.titleMine') : m('overdue.titleClient', { client: title.name });
}

/** Overdue invoices by aging bucket, with totals per currency in each bucket. */
export function overdueByBucket(rows: InvoiceWithClient[], today: string, title: OverdueTitle, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  if (rows.length === 0) return { text: m('overdue.none'), blocks: sectionsOf([m('overdue.noneTada')]) };
  const byBucket = new Map<AgingBucket, InvoiceWithClient[]>();
  for (const r of rows) {
    const b = agingBucket(daysLate(r, today));
    const list = byBucket.get(b);
    if (list) list.push(r);
    else byBucket.set(b, [r]);
  }
  const lines = [m('overdue.head', { title: overdueTitle(title, locale), n: rows.length, today: formatDate(today, locale) })];
  for (const b of AGING_BUCKETS) {
    const list = byBucket.get(b);
    if (!list) continue;
    lines.push(m('overdue.bucket', { bucket: b, totals: totalsOf(list, today, locale) }));
    lines.push(...list.slice(0, 25).map((r) => m('overdue.line', { line: invoiceLine(r, today, locale), user: user(r.ownerId) })));
    if (list.length > 25) lines.push(m('overdue.bucketMore', { n: list.length - 25 }));
  }
  const total = totalsOf(rows, today, locale);
  lines.push(m('overdue.total', { totals: total }));
  const blocks = sectionsOf(lines).slice(0, 49);
  return { text: m('overdue.text', { invoices: m('n.overdueInvoices', { n: rows.length }), totals: total }), blocks };
}

export function invoiceList(rows: InvoiceWithClient[], today: string, clientName?: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  if (rows.length === 0) {
    const text = clientName ? m('invoice.listNoneClient', { client: esc(clientName) }) : m('invoice.listEmpty');
    return { text, blocks: sectionsOf([text]) };
  }
  const head = clientName ? m('invoice.listHeadClient', { client: esc(clientName), n: rows.length }) : m('invoice.listHead', { n: rows.length });
  return { text: head.replace(/\*/g, ''), blocks: sectionsOf([head, ...rows.map((r) => invoiceLine(r, today, locale))]) };
}

/** The statement's lines: a line per half-year, then interest, compensation and total. */
function interestLines(s: InterestStatement, locale: Locale): string[] {
  const m = tr(locale);
  const sum = (minor: number) => formatMoney(minor, s.currency, locale);
  const lines = s.lines.map((l) => {
    // A BGN balance before the changeover in a statement in EUR carries its own currency.
    const bal = (x: InterestStatement['lines'][number]['spans'][number]) => formatMoney(x.balanceMinor, x.currency ?? s.currency, locale);
    const spans = l.spans.length > 1 ? ` (${l.spans.map((x) => m('interest.span', { days: days(m, x.days), amount: bal(x) })).join(', ')})` : m('interest.on', { amount: bal(l.spans[0]!) });
    return m('interest.line', { from: formatDate(l.from, locale), to: formatDate(l.to, locale), days: days(m, l.days), spans, rate: formatDecimal(l.ratePct, locale), amount: sum(l.minor) });
  });
  const compensation = formatMoney(s.compensation.minor, s.compensation.currency, locale);
  return [
    ...lines,
    m('interest.interest', { amount: sum(s.interestMinor) }),
    m('interest.compensation', { amount: compensation }),
    m('interest.total', { amount: s.totalMinor !== null ? sum(s.totalMinor) : `${sum(s.interestMinor)} + ${compensation}` }),
  ];
}

/** `/invoice interest`: what an overdue invoice owes beyond its principal as of a day (SPEC §5). */
export function interestMessage(i: InvoiceWithClient, asOf: string, s: InterestStatement, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const day = formatDate(asOf, locale);
  const head = m('interest.head', { id: i.id, number: i.number, client: esc(i.clientName), amount: moneyWithEquivalent(i, locale), due: formatDate(i.dueDate, locale), asOf: day });
  const lines = [head, ...interestLines(s, locale), m('interest.note')];
  return { text: m('interest.text', { id: i.id, amount: formatMoney(s.interestMinor, s.currency, locale), asOf: day }), blocks: sectionsOf(lines) };
}

/** Why the interest of invoice `number` can't be stated. */
export function interestProblemText(number: string, p: InterestProblem, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const d = (x: string) => formatDate(x, locale);
  switch (p.kind) {
    case 'not-yet-due':
      return m('interestProblem.notYetDue', { number, due: d(p.due), asOf: d(p.asOf) });
    case 'paid-on-time':
      return m('interestProblem.paidOnTime', { number, paid: d(p.paidDate), due: d(p.due) });
    case 'no-rate':
      return m('interestProblem.noRate', { halfYear: d(p.halfYear), day: d(p.day) });
    case 'bad-rate-table':
      return m('interestProblem.badRateTable', { from: d(p.from), rate: formatDecimal(p.ratePct, locale) });
    case 'bad-date':
      return m('interestProblem.badDate', { number, field: p.field, text: esc(p.text) });
    case 'bad-amount':
      return m('interestProblem.badAmount', { number, field: p.field });
  }
}

type Rung = 'remind-owner' | 'call-client' | 'tell-manager';

/** A rung of the dunning ladder: a DM with buttons to log what was done. */
export function dunningStep(i: InvoiceWithClient, rung: number, action: Rung, to: string | null, today: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const lines = [
    m('dunning.step', {
      manager: to === null ? m('dunning.managerOf', { user: user(i.ownerId) }) : '',
      id: i.id,
      number: i.number,
      client: esc(i.clientName),
      owed: owedText(i, today, locale),
      due: formatDate(i.dueDate, locale),
      days: days(m, daysLate(i, today)),
      rung: m(`rung.${action}`),
    }),
    m('dunning.logWhat', { user: user(i.ownerId) }),
  ];
  const blocks: Block[] = [...sectionsOf(lines), dunningButtons(i.id, rung, locale)];
  return { text: lines[0]!, blocks };
}

/** The buttons that log what was done about a rung (the rung's DM, the digest, App Home). */
export function dunningButtons(invoiceId: number, rung: number, locale: Locale = DEFAULT_LOCALE): Block {
  const m = tr(locale);
  const value = encodeRung({ invoiceId, rung });
  return {
    type: 'actions',
    elements: [
      { type: 'button', action_id: ACTION.dunningContacted, text: { type: 'plain_text', text: m('dunning.contacted') }, value },
      { type: 'button', action_id: ACTION.dunningPromised, text: { type: 'plain_text', text: m('dunning.promised') }, style: 'primary', value },
      { type: 'button', action_id: ACTION.dunningNoAnswer, text: { type: 'plain_text', text: m('dunning.noAnswer') }, value },
    ],
  };
}

/** Block Kit's limit of blocks in one message. */
const MESSAGE_BLOCKS = 50;
/** Messages of one digest per person and run; what does not fit waits on their App Home. */
export const DIGEST_PAGES = 3;

/**
 * A dunning run's digest for one recipient (SPEC §3; issue 15: one digest per person per run):
 * promises broken, then the rungs reached, the most escalated first, each invoice with the
 * buttons its rung's DM had. Paged within Block Kit's limits (≤ 50 blocks a message, a section
 * per invoice and an actions block of three buttons), at most DIGEST_PAGES messages; the last
 * says how many more there are, on the person's Home tab (or, for a channel, in `/invoice list overdue`).
 */
export function dunningDigest(items: DunningDigestItem[], recipient: 'person' | 'channel', today: string, locale: Locale = DEFAULT_LOCALE): Message[] {
  const m = tr(locale);
  if (items.length === 0) return [];
  const broken = items.filter((x) => x.kind === 'promise-broken');
  const steps = items.filter((x) => x.kind === 'step');
  const rungs = [...new Set(steps.map((x) => x.rung))].sort((a, b) => b - a);
  const byLate = (a: DunningDigestItem, b: DunningDigestItem) => daysLate(b.invoice, today) - daysLate(a.invoice, today) || a.invoice.id - b.invoice.id;
  const groups: { head: string; entries: Block[][] }[] = [];
  if (broken.length > 0) {
    groups.push({ head: m('digest.promisesBroken', { n: broken.length }), entries: broken.sort(byLate).map((x) => sectionsOf([promiseBroken(x.invoice, x.promised, today, locale).text])) });
  }
  for (const rung of rungs) {
    const list = steps.filter((x) => x.rung === rung).sort(byLate);
    const action = list[0]!.action;
    groups.push({
      head: m('digest.rung', { rung: m(`digestRung.${action}`), n: list.length }),
      entries: list.map((x) => {
        const i = x.invoice;
        const line = m('digest.line', { id: i.id, number: i.number, client: esc(i.clientName), owed: owedText(i, today, locale), due: formatDate(i.dueDate, locale), days: days(m, daysLate(i, today)), owner: x.action === 'tell-manager' ? m('digest.owner', { user: user(i.ownerId) }) : '' });
        return [...sectionsOf([line]), dunningButtons(i.id, x.rung, locale)];
      }),
    });
  }
  // Pack: each message opens with its head and keeps one block for the footer.
  const pages: Block[][] = [];
  let page: Block[] = [];
  let shown = 0;
  const room = MESSAGE_BLOCKS - 2;
  done: for (const g of groups) {
    let headed = false;
    for (const e of g.entries) {
      if (page.length + e.length + (headed ? 0 : 1) > room) {
        pages.push(page);
        if (pages.length === DIGEST_PAGES) break done;
        page = [];
        headed = false;
      }
      if (!headed) {
        page.push(...sectionsOf([g.head]));
        headed = true;
      }
      page.push(...e);
      shown++;
    }
  }
  if (page.length > 0 && pages.length < DIGEST_PAGES) pages.push(page);
  const more = items.length - shown;
  const total = m('n.dunningItems', { n: items.length });
  return pages.map((blocks, k) => {
    const paged = pages.length > 1 ? 'yes' : 'no';
    const values = { today: formatDate(today, locale), items: total, paged, page: k + 1, pages: pages.length } as const;
    const footer: Block[] = k === pages.length - 1 && more > 0 ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: recipient === 'person' ? m('digest.more', { n: more }) : m('digest.moreChannel', { n: more }) }] }] : [];
    return { text: m('digest.text', values), blocks: [...sectionsOf([m('digest.head', values)]), ...blocks, ...footer] };
  });
}

export function promiseBroken(i: InvoiceWithClient, promised: string, today: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const text = m('dunning.promiseBroken', { client: esc(i.clientName), id: i.id, number: i.number, promised: formatDate(promised, locale), owed: owedText(i, today, locale), days: days(m, daysLate(i, today)) });
  return { text, blocks: sectionsOf([text]) };
}

/** A code the dunning log stored, as people name it; anything else as it was stored. */
function codeText<S extends 'dunningAction' | 'dunningOutcome' | 'dunningEvent'>(locale: Locale, set: S, codes: readonly string[], v: string | null): string {
  return v !== null && codes.includes(v) ? label(locale, set, v as never) : (v ?? '');
}

function logLine(e: DunningRow, locale: Locale): string {
  const m = tr(locale);
  const day = formatDate(e.day, locale);
  switch (e.event) {
    case 'sent':
      return m('log.sent', { day, user: user(e.userId), action: codeText(locale, 'dunningAction', DUNNING_ACTIONS, e.action as DunningAction | null) });
    case 'logged':
      return m('log.logged', { day, user: user(e.userId), outcome: codeText(locale, 'dunningOutcome', DUNNING_OUTCOMES, e.outcome as DunningOutcome | null), promise: e.promiseDate ? m('history.dunningPromise', { date: formatDate(e.promiseDate, locale) }) : '' });
    case 'promise':
      return m('log.promise', { day, user: user(e.userId), date: formatDate(e.promiseDate ?? '', locale) });
    case 'promise-broken':
      return m('log.promiseBroken', { day, date: formatDate(e.promiseDate ?? '', locale) });
    default:
      return m('log.other', { day, event: codeText(locale, 'dunningEvent', DUNNING_EVENTS, e.event as DunningEvent), note: e.note ? ` (${esc(e.note)})` : '' });
  }
}

/** The claim pack for legal: client, invoices, amounts, the whole dunning log, the contract. */
export function claimPackMessage(p: {
  claim: ClaimRow;
  clientName: string;
  clientEik: string | null;
  ownerId: string;
  invoices: InvoiceWithClient[];
  /** Each invoice's statutory interest as of the claim's day, by invoice id. */
  interest?: ClaimInterest;
  log: DunningRow[];
  contracts: ContractSnapshot[];
  today: string;
  /** The legal channel's language; `en` unless told. */
  locale?: Locale;
}): Message {
  const locale = p.locale ?? DEFAULT_LOCALE;
  const m = tr(locale);
  const by = user(p.claim.decidedBy ?? '');
  const status =
    p.claim.status === 'offered'
      ? m('claim.offered')
      : p.claim.status === 'opened'
        ? m('claim.opened', { user: by })
        : m('claim.returned', { user: by, outcome: p.claim.outcome ? `: _${esc(p.claim.outcome)}_` : '' });
  const lines = [
    m('claim.head', { id: p.claim.id, client: esc(p.clientName), totals: totalsOf(p.invoices, p.today, locale), user: user(p.ownerId) }),
    ...(p.clientEik ? [m('card.eik', { eik: esc(p.clientEik) })] : []),
    status,
    m('claim.invoices'),
    ...p.invoices.map((i) => invoiceLine(i, p.today, locale)),
    ...(p.interest ? [m('claim.interestAsOf', { asOf: formatDate(p.interest.asOf, locale) })] : []),
    ...p.invoices.flatMap((i) => {
      const r = p.interest?.byInvoice[i.id];
      if (!r) return [];
      return r.ok ? [`_#${i.id} ${i.number}_`, ...interestLines(r.statement, locale)] : [`_#${i.id} ${i.number}_: ${interestProblemText(i.number, r.problem, locale)}`];
    }),
    ...(p.contracts.length > 0
      ? [
          m('claim.contract'),
          ...p.contracts.map((c) =>
            m('claim.contractLine', { id: c.contract.id, subject: esc(c.terms.subject), amount: money(c.terms, locale), days: days(m, c.terms.netDays), signed: c.contract.signedBy ? m('claim.signedBy', { user: user(c.contract.signedBy) }) : '—' }),
          ),
        ]
      : []),
    m('claim.log'),
    ...p.log.slice(-40).map((e) => logLine(e, locale)),
  ];
  const blocks: Block[] = sectionsOf(lines).slice(0, 45);
  if (p.claim.status === 'offered') {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.claimOpen, text: { type: 'plain_text', text: m('claim.open') }, style: 'danger', value: String(p.claim.id) },
        { type: 'button', action_id: ACTION.claimReturn, text: { type: 'plain_text', text: m('claim.sendBack') }, value: String(p.claim.id) },
      ],
    });
  }
  const claimStatus = p.claim.status === 'offered' || p.claim.status === 'opened' || p.claim.status === 'returned' ? label(locale, 'claimStatus', p.claim.status) : String(p.claim.status);
  return { text: m('claim.text', { id: p.claim.id, client: p.clientName, status: claimStatus }), blocks };
}

export function checklistMessage(s: ContractSnapshot, tasks: TaskRow[], today: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const lines = [m('delivery.head', { id: s.contract.id, client: esc(s.client.name), subject: esc(s.terms.subject), kind: label(locale, 'contractKind', s.terms.kind) })];
  const blocks: Block[] = sectionsOf(lines);
  for (const task of tasks) {
    const service = label(locale, 'service', task.service);
    const late = !task.doneAt && task.dueDate < today ? m('late.flag') : '';
    const text = task.doneAt
      ? m('delivery.taskDone', { title: esc(taskTitle(task, locale)), service, user: user(task.doneBy ?? '') })
      : m('delivery.taskOpen', { title: esc(taskTitle(task, locale)), service, user: user(task.assignee), due: formatDate(task.dueDate, locale), late });
    blocks.push(
      task.doneAt
        ? { type: 'section', text: { type: 'mrkdwn', text } }
        : { type: 'section', text: { type: 'mrkdwn', text }, accessory: { type: 'button', action_id: ACTION.taskDone, text: { type: 'plain_text', text: m('delivery.done') }, value: String(task.id) } },
    );
  }
  const open = tasks.filter((x) => !x.doneAt).length;
  return { text: m('delivery.text', { id: s.contract.id, open, tasks: m('n.tasks', { n: tasks.length }) }), blocks };
}

export function taskReminder(task: TaskRow, clientName: string, today: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const text = m('delivery.reminder', { title: esc(taskTitle(task, locale)), client: esc(clientName), contractId: task.contractId, due: formatDate(task.dueDate, locale) });
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text }, accessory: { type: 'button', action_id: ACTION.taskDone, text: { type: 'plain_text', text: m('delivery.done') }, value: String(task.id) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: m('delivery.reminderContext', { service: label(locale, 'service', task.service), contractId: task.contractId, today: formatDate(today, locale) }) }] },
    ],
  };
}

export function checklistCreated(s: ContractSnapshot, tasks: TaskRow[], locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const lines = [
    m('delivery.created', { id: s.contract.id, client: esc(s.client.name) }),
    ...tasks.map((task) => m('delivery.createdLine', { title: esc(taskTitle(task, locale)), service: label(locale, 'service', task.service), user: user(task.assignee), due: formatDate(task.dueDate, locale) })),
    m('delivery.tick', { id: s.contract.id }),
  ];
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}


/** What legal decided on a claim, for the claim's thread and its owner. */
export function claimDecidedNote(claim: ClaimRow, clientName: string, locale: Locale = DEFAULT_LOCALE): string {
  return tr(locale)('claim.decidedNote', { user: user(claim.decidedBy ?? ''), status: claim.status === 'opened' ? 'opened' : 'returned', client: clientName, id: claim.id, outcome: claim.outcome ? `: ${claim.outcome}` : '' });
}
