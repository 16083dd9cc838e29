import type { types } from '@slack/bolt';
import { AGING_BUCKETS, agingBucket, daysLate, formatMoney, invoiceStatus, owed, SERVICE_LABEL, type AgingBucket } from '../../../domain/index.ts';
import type { ContractSnapshot } from '../../../repos/contracts.ts';
import type { TaskRow } from '../../../repos/delivery.ts';
import type { ClaimRow, DunningRow, InvoiceWithClient } from '../../../repos/invoices.ts';
import type { InterestStatement } from '../../../domain/interest.ts';
import type { ClaimInterest, InterestProblem } from '../../../services/interest.ts';
import { ACTION, encodeRung } from '../../ids.ts';
import { esc, plural, sectionsOf, user } from '../format.ts';
import type { Message } from '../format.ts';
import { money } from '../format.ts';

type Block = types.KnownBlock;

const STATUS_WORD = { open: 'open', 'part-paid': 'part-paid', paid: 'paid', overdue: 'overdue' } as const;

export function invoiceLine(i: InvoiceWithClient, today: string): string {
  const status = invoiceStatus(i, today);
  const late = status === 'overdue' ? ` · *${plural(daysLate(i, today), 'day')} late*` : '';
  const paid = i.paidMinor > 0 && status !== 'paid' ? ` · paid ${formatMoney(i.paidMinor, i.currency)}, owes ${formatMoney(owed(i), i.currency)}` : '';
  return `• #${i.id} ${i.number} · *${esc(i.clientName)}* · ${money(i)} · due ${i.dueDate} · ${STATUS_WORD[status]}${paid}${late}`;
}

export function invoiceAdded(i: InvoiceWithClient, today: string, dealMoved: boolean): Message {
  const lines = [
    `:receipt: Issued invoice *#${i.id}* (${i.number}) to *${esc(i.clientName)}*: ${money(i)}, ${i.issueDate < today ? `issued ${i.issueDate}, ` : ''}due ${i.dueDate}.`,
    ...(i.contractId !== null ? [`For contract #${i.contractId}${dealMoved ? '; the deal moves to *payment*' : ''}.`] : []),
    invoiceLine(i, today),
  ];
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}

export function paymentRecorded(i: InvoiceWithClient, amountMinor: number, paidInFull: boolean, dealWon: boolean): Message {
  const text = paidInFull
    ? `:white_check_mark: Recorded ${formatMoney(amountMinor, i.currency)} on invoice #${i.id} (${i.number}): *paid in full*.${dealWon ? ' The deal is *won*.' : ''}`
    : `:heavy_plus_sign: Recorded ${formatMoney(amountMinor, i.currency)} on invoice #${i.id} (${i.number}); ${formatMoney(owed(i), i.currency)} is still owed.`;
  return { text, blocks: sectionsOf([text]) };
}

/** Overdue invoices by aging bucket, with totals per currency in each bucket. */
export function overdueByBucket(rows: InvoiceWithClient[], today: string, title: string): Message {
  if (rows.length === 0) return { text: 'No overdue invoices.', blocks: sectionsOf([':tada: No overdue invoices.']) };
  const byBucket = new Map<AgingBucket, InvoiceWithClient[]>();
  for (const r of rows) {
    const b = agingBucket(daysLate(r, today));
    const list = byBucket.get(b);
    if (list) list.push(r);
    else byBucket.set(b, [r]);
  }
  const lines = [`*${title}* (${rows.length}) as of ${today}`];
  for (const b of AGING_BUCKETS) {
    const list = byBucket.get(b);
    if (!list) continue;
    const totals = new Map<string, number>();
    for (const r of list) totals.set(r.currency, (totals.get(r.currency) ?? 0) + owed(r));
    lines.push(`*${b} days late* — ${[...totals].map(([c, m]) => formatMoney(m, c)).join(' + ')}`);
    lines.push(...list.slice(0, 25).map((r) => `${invoiceLine(r, today)} · owner ${user(r.ownerId)}`));
    if (list.length > 25) lines.push(`_…and ${list.length - 25} more in this bucket._`);
  }
  const total = new Map<string, number>();
  for (const r of rows) total.set(r.currency, (total.get(r.currency) ?? 0) + owed(r));
  lines.push(`*Total overdue:* ${[...total].map(([c, m]) => formatMoney(m, c)).join(' + ')}`);
  const blocks = sectionsOf(lines).slice(0, 49);
  return { text: `${plural(rows.length, 'overdue invoice')}: ${[...total].map(([c, m]) => formatMoney(m, c)).join(' + ')}`, blocks };
}

export function invoiceList(rows: InvoiceWithClient[], today: string, clientName?: string): Message {
  if (rows.length === 0) {
    const text = clientName ? `*${esc(clientName)}* has no invoices.` : 'No open invoices. Issue one with `/invoice add <client> <amount> <CUR>`.';
    return { text, blocks: sectionsOf([text]) };
  }
  const head = clientName ? `*Invoices of ${esc(clientName)}* (latest ${rows.length})` : `*Open invoices* (${rows.length})`;
  return { text: head.replace(/\*/g, ''), blocks: sectionsOf([head, ...rows.map((r) => invoiceLine(r, today))]) };
}

/** The statement's lines: a line per half-year, then interest, compensation and total. */
function interestLines(s: InterestStatement): string[] {
  const lines = s.lines.map((l) => {
    const spans = l.spans.length > 1 ? ` (${l.spans.map((x) => `${plural(x.days, 'day')} on ${formatMoney(x.balanceMinor, s.currency)}`).join(', ')})` : ` on ${formatMoney(l.spans[0]!.balanceMinor, s.currency)}`;
    return `• ${l.from} – ${l.to} · ${plural(l.days, 'day')}${spans} · ${l.ratePct} % a year · ${formatMoney(l.minor, s.currency)}`;
  });
  return [
    ...lines,
    `*Interest:* ${formatMoney(s.interestMinor, s.currency)}`,
    `*Recovery compensation:* ${formatMoney(s.compensation.minor, s.compensation.currency)} (policy, Directive 2011/7/EU art. 6)`,
    `*Total beyond the principal:* ${s.totalMinor !== null ? formatMoney(s.totalMinor, s.currency) : `${formatMoney(s.interestMinor, s.currency)} + ${formatMoney(s.compensation.minor, s.compensation.currency)}`}`,
  ];
}

/** `/invoice interest`: what an overdue invoice owes beyond its principal as of a day (SPEC §5). */
export function interestMessage(i: InvoiceWithClient, asOf: string, s: InterestStatement): Message {
  const head = `*Statutory interest on invoice #${i.id}* (${i.number}) · *${esc(i.clientName)}* · ${money(i)} due ${i.dueDate} · as of ${asOf}`;
  const lines = [head, ...interestLines(s), '_Each day from the day after the due date, on the amount unpaid at its end, at 1/360 of the half-year\'s annual rate._'];
  return { text: `Invoice #${i.id}: ${formatMoney(s.interestMinor, s.currency)} statutory interest as of ${asOf}`, blocks: sectionsOf(lines) };
}

/** Why the interest of invoice `number` can't be stated. */
export function interestProblemText(number: string, p: InterestProblem): string {
  switch (p.kind) {
    case 'not-yet-due':
      return `Invoice ${number} is due ${p.due}: nothing accrues before the day after the due date, so there is no interest as of ${p.asOf}.`;
    case 'paid-on-time':
      return `Invoice ${number} was paid in full on ${p.paidDate}, by its due date ${p.due}: no interest accrued.`;
    case 'no-rate':
      return `The policy has no statutory interest rate for the half-year from ${p.halfYear}, which ${p.day} falls in: add it to \`claims.interestRates\` (nothing is guessed).`;
    case 'bad-rate-table':
      return `The policy's \`claims.interestRates\` row from ${p.from} at ${p.ratePct} % is not usable: each row starts on 1 January or 1 July, once, with a rate such as 10.15.`;
    case 'bad-date':
      return `Invoice ${number} has a ${p.field} date \`${esc(p.text)}\` that is not a date, so its interest can't be counted.`;
    case 'bad-amount':
      return `Invoice ${number} has a ${p.field} amount that can't be counted.`;
  }
}

const RUNG_TEXT = {
  'remind-owner': 'is overdue. Please remind the client.',
  'call-client': 'is a week overdue. Please call the client.',
  'tell-manager': 'is two weeks overdue; as the owner\'s manager, please step in.',
} as const;

/** A rung of the dunning ladder: a DM with buttons to log what was done. */
export function dunningStep(i: InvoiceWithClient, rung: number, action: keyof typeof RUNG_TEXT, to: string | null, today: string): Message {

  const lines = [
    `:bell: ${to === null ? `${user(i.ownerId)}'s manager: ` : ''}Invoice #${i.id} (${i.number}) to *${esc(i.clientName)}* — ${formatMoney(owed(i), i.currency)} owed, due ${i.dueDate} (${plural(daysLate(i, today), 'day')} late) — ${RUNG_TEXT[action]}`,
    `Owner: ${user(i.ownerId)}. Log what was done:`,
  ];
  const value = encodeRung({ invoiceId: i.id, rung });
  const blocks: Block[] = [
    ...sectionsOf(lines),
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.dunningContacted, text: { type: 'plain_text', text: 'Contacted' }, value },
        { type: 'button', action_id: ACTION.dunningPromised, text: { type: 'plain_text', text: 'Client promised to pay' }, style: 'primary', value },
        { type: 'button', action_id: ACTION.dunningNoAnswer, text: { type: 'plain_text', text: 'No answer' }, value },
      ],
    },
  ];
  return { text: lines[0]!, blocks };
}

export function promiseBroken(i: InvoiceWithClient, promised: string, today: string): Message {
  const text = `:warning: *${esc(i.clientName)}* promised to pay invoice #${i.id} (${i.number}) by ${promised}; ${formatMoney(owed(i), i.currency)} is still owed (${plural(daysLate(i, today), 'day')} late). The dunning ladder resumes.`;
  return { text, blocks: sectionsOf([text]) };
}

function logLine(e: DunningRow): string {
  switch (e.event) {
    case 'sent':
      return `${e.day} · asked ${user(e.userId)}: ${e.action}`;
    case 'logged':
      return `${e.day} · ${user(e.userId)} logged *${e.outcome}*${e.promiseDate ? ` (promise ${e.promiseDate})` : ''}`;
    case 'promise':
      return `${e.day} · ${user(e.userId)} recorded a promise to pay by ${e.promiseDate}`;
    case 'promise-broken':
      return `${e.day} · the promise of ${e.promiseDate} was broken`;
    default:
      return `${e.day} · ${e.event}${e.note ? ` (${esc(e.note)})` : ''}`;
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
}): Message {
  const totals = new Map<string, number>();
  for (const i of p.invoices) totals.set(i.currency, (totals.get(i.currency) ?? 0) + owed(i));
  const status =
    p.claim.status === 'offered'
      ? ':scales: Sales has exhausted its options; legal, please decide.'
      : p.claim.status === 'opened'
        ? `:scales: Claim *opened* by ${user(p.claim.decidedBy ?? '')}.`
        : `:leftwards_arrow_with_hook: *Sent back to sales* by ${user(p.claim.decidedBy ?? '')}${p.claim.outcome ? `: _${esc(p.claim.outcome)}_` : ''}.`;
  const lines = [
    `*Claim #${p.claim.id}: ${esc(p.clientName)}* — ${[...totals].map(([c, m]) => formatMoney(m, c)).join(' + ')} overdue · owner ${user(p.ownerId)}`,
    ...(p.clientEik ? [`ЕИК: ${esc(p.clientEik)}`] : []),
    status,
    '*Invoices*',
    ...p.invoices.map((i) => invoiceLine(i, p.today)),
    ...(p.interest ? [`*Statutory interest* as of ${p.interest.asOf}`] : []),
    ...p.invoices.flatMap((i) => {
      const r = p.interest?.byInvoice[i.id];
      if (!r) return [];
      return r.ok ? [`_#${i.id} ${i.number}_`, ...interestLines(r.statement)] : [`_#${i.id} ${i.number}_: ${interestProblemText(i.number, r.problem)}`];
    }),
    ...(p.contracts.length > 0 ? ['*Contract*', ...p.contracts.map((c) => `• #${c.contract.id} ${esc(c.terms.subject)} · ${money(c.terms)} · net ${plural(c.terms.netDays, 'day')} · signed ${c.contract.signedBy ? `by ${user(c.contract.signedBy)}` : '—'}`)] : []),
    '*Dunning log*',
    ...p.log.slice(-40).map(logLine),
  ];
  const blocks: Block[] = sectionsOf(lines).slice(0, 45);
  if (p.claim.status === 'offered') {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.claimOpen, text: { type: 'plain_text', text: 'Open claim' }, style: 'danger', value: String(p.claim.id) },
        { type: 'button', action_id: ACTION.claimReturn, text: { type: 'plain_text', text: 'Send back to sales' }, value: String(p.claim.id) },
      ],
    });
  }
  return { text: `Claim #${p.claim.id} for ${p.clientName}: ${p.claim.status}`, blocks };
}

export function checklistMessage(s: ContractSnapshot, tasks: TaskRow[], today: string): Message {
  const lines = [`*Delivery of contract #${s.contract.id}* · ${esc(s.client.name)} · ${esc(s.terms.subject)} (${s.terms.kind})`];
  const blocks: Block[] = sectionsOf(lines);
  for (const t of tasks) {
    const late = !t.doneAt && t.dueDate < today ? ' · *late*' : '';
    const text = t.doneAt
      ? `:white_check_mark: ~${esc(t.title)}~ · ${SERVICE_LABEL[t.service]} · done by ${user(t.doneBy ?? '')}`
      : `:white_large_square: *${esc(t.title)}* · ${SERVICE_LABEL[t.service]} · ${user(t.assignee)} · due ${t.dueDate}${late}`;
    blocks.push(
      t.doneAt
        ? { type: 'section', text: { type: 'mrkdwn', text } }
        : { type: 'section', text: { type: 'mrkdwn', text }, accessory: { type: 'button', action_id: ACTION.taskDone, text: { type: 'plain_text', text: 'Done' }, value: String(t.id) } },
    );
  }
  const open = tasks.filter((t) => !t.doneAt).length;
  return { text: `Delivery of contract #${s.contract.id}: ${open} of ${plural(tasks.length, 'task')} open`, blocks };
}

export function taskReminder(t: TaskRow, clientName: string, today: string): Message {
  const text = `:alarm_clock: *${esc(t.title)}* for *${esc(clientName)}* (contract #${t.contractId}) was due ${t.dueDate} and is still open.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text }, accessory: { type: 'button', action_id: ACTION.taskDone, text: { type: 'plain_text', text: 'Done' }, value: String(t.id) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${SERVICE_LABEL[t.service]} · see \`/delivery #${t.contractId}\` · as of ${today}` }] },
    ],
  };
}

export function checklistCreated(s: ContractSnapshot, tasks: TaskRow[]): Message {
  const lines = [`:package: Delivery checklist for contract #${s.contract.id} (*${esc(s.client.name)}*):`, ...tasks.map((t) => `• ${esc(t.title)} · ${SERVICE_LABEL[t.service]} · ${user(t.assignee)} · due ${t.dueDate}`), `Tick tasks with \`/delivery #${s.contract.id}\`.`];
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}
