import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { MANUAL_STAGES, nextStage, type Stage } from '../../../domain/stages.ts';
import type { AuditRow } from '../../../repos/audit.ts';
import type { ClientListRow, ClientUpdate, DealRow, DealTerms } from '../../../repos/clients.ts';
import { fieldChanges } from '../client-fields.ts';
import type { ClientView } from '../../../services/clients.ts';
import type { ContractSnapshot } from '../../../repos/contracts.ts';
import { statusText } from '../../reply.ts';
import { approvalLines } from './contract.ts';
import { formatMoney } from '../../../domain/money.ts';
import { invoiceStatus, owed } from '../../../domain/invoices.ts';
import { invoiceLine } from './invoice.ts';
import { loyaltyLine, segmentWhy } from './analytics.ts';
import { ACTION, BLOCK, encodeDealRef, encodeClientId, encodeMove } from '../../ids.ts';
import { clip, esc, fmtDate, fmtDateTime, money, plural, sectionsOf, user, type Fmt, type Message } from '../format.ts';

export type { Message };

const segmentText = (s: string | null): string => s ?? '–';
const stageText = (s: Stage | null): string => s ?? '–';

/** The client card (SPEC §3): always the lines `Stage: …` and `Segment: …`. */
export function clientCard(v: ClientView, f: Fmt, note?: string): Message {
  const { client } = v;
  const why = segmentWhy(v.snapshot);
  const summary = [
    `Stage: ${stageText(v.stage)}`,
    `Segment: ${segmentText(client.segment)}`,
    ...(why ? [`_${why}_`] : []),
    loyaltyLine(client.segment, v.loyalty, v.baseCurrency),
    `Owner: ${user(client.ownerId)}`,
    ...(client.contact ? [`Contact: ${esc(client.contact)}`] : []),
    ...(client.eik ? [`ЕИК: ${esc(client.eik)}`] : []),
    ...(client.vat ? [`VAT: ${esc(client.vat)}`] : []),
  ];
  const dealLines = v.deals
    .slice()
    .reverse()
    .map((d) => `• #${d.id} ${esc(d.title)} — ${d.stage}${d.stage === 'lost' && d.lostReason ? `: _${esc(d.lostReason)}_` : ''}${dealTermsText(d)} · opened ${fmtDate(f, d.createdAt)}`);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${client.name}  #${client.id}`, 149) } },
    ...(note ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: note }] }] : []),
    { type: 'section', text: { type: 'mrkdwn', text: summary.join('\n') } },
    ...sectionsOf([`*Deals* (${v.deals.length})`, ...dealLines]),
    ...(v.contracts.length > 0 ? sectionsOf(['*Contracts*', ...v.contracts.map((c) => contractLine(c, f))]) : []),
    ...(v.openInvoices.length > 0 ? sectionsOf([invoicesHead(v), ...v.openInvoices.map((i) => invoiceLine(i, v.today))]) : []),
    ...(v.openTasks.length > 0
      ? sectionsOf([`*Open delivery tasks* (${v.openTasks.length})`, ...v.openTasks.map((t) => `• ${esc(t.title)} · contract #${t.contractId} · ${user(t.assignee)} · due ${t.dueDate}${t.dueDate < v.today ? ' · *late*' : ''}`)])
      : []),
  ];
  const buttons = cardButtons(v);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: BLOCK.cardActions, elements: buttons });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Client #${client.id} · added ${fmtDate(f, client.createdAt)} by ${user(client.createdBy)} · ${plural(v.historyCount, 'change')} in history` }],
  });
  return { text: `${client.name} (#${client.id})\n${summary.join('\n')}`, blocks: blocks.slice(0, 50) };
}

function invoicesHead(v: ClientView): string {
  const overdue = v.openInvoices.filter((i) => invoiceStatus(i, v.today) === 'overdue');
  if (overdue.length === 0) return `*Open invoices* (${v.openInvoices.length})`;
  const totals = new Map<string, number>();
  for (const i of overdue) totals.set(i.currency, (totals.get(i.currency) ?? 0) + owed(i));
  return `*Open invoices* (${v.openInvoices.length}) · :warning: *Overdue:* ${[...totals].map(([c, m]) => formatMoney(m, c)).join(' + ')}`;
}

function contractLine(c: ContractSnapshot, f: Fmt): string {
  const decisions = approvalLines(c.approvals, f).join(' · ');
  return `• #${c.contract.id} ${esc(c.terms.subject)} · ${money(c.terms)} · v${c.contract.version} — ${statusText(c.contract.status)}\n   ${decisions}`;
}

function cardButtons(v: ClientView) {
  const out = [];
  const d = v.current;
  if (d) {
    const next = nextStage(d.stage);
    if (next && (MANUAL_STAGES as readonly Stage[]).includes(next)) {
      out.push({
        type: 'button' as const,
        action_id: ACTION.clientMove,
        text: { type: 'plain_text' as const, text: `Advance to ${next}` },
        style: 'primary' as const,
        value: encodeMove({ clientId: v.client.id, dealId: d.id, from: d.stage, to: next }),
      });
    }
    // SPEC §3: the next step is a button where the person already is.
    if (d.stage === 'proposal') {
      out.push({
        type: 'button' as const,
        action_id: ACTION.clientNewContract,
        text: { type: 'plain_text' as const, text: 'New contract' },
        style: 'primary' as const,
        value: encodeClientId(v.client.id),
      });
    }
    if (d.stage === 'lead' || d.stage === 'qualified' || d.stage === 'proposal' || d.stage === 'contract') {
      out.push({
        type: 'button' as const,
        action_id: ACTION.clientLost,
        text: { type: 'plain_text' as const, text: 'Mark lost' },
        style: 'danger' as const,
        value: encodeDealRef({ clientId: v.client.id, dealId: d.id }),
      });
    }
  }
  out.push({
    type: 'button' as const,
    action_id: ACTION.clientHistory,
    text: { type: 'plain_text' as const, text: 'History' },
    value: encodeClientId(v.client.id),
  });
  return out;
}

export function clientAdded(v: ClientView, f: Fmt): Message {
  return clientCard(v, f, `:white_check_mark: Added client *#${v.client.id} ${esc(v.client.name)}*, owner ${user(v.client.ownerId)}.`);
}

export function clientSet(v: ClientView, f: Fmt, s: { before: ClientUpdate; after: ClientUpdate; dealIds: number[] }): Message {
  const ids = s.dealIds.map((id) => `#${id}`);
  const deals =
    ids.length === 0 ? '' : ` Its open ${ids.length === 1 ? `deal ${ids[0]} moves` : `deals ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]} move`} to ${user(v.client.ownerId)} too.`;
  return clientCard(v, f, `:pencil2: Updated *#${v.client.id} ${esc(v.client.name)}*: ${fieldChanges(s.before, s.after, 'arrow')}.${deals}`);
}

/** ` · €12,000.00 · close 2027-01-31` for a deal with an expected value or close date. */
function dealTermsText(d: Pick<DealRow, 'valueMinor' | 'currency' | 'expectedClose'>): string {
  const value = d.valueMinor !== null && d.currency ? ` · ${formatMoney(d.valueMinor, d.currency)}` : '';
  return `${value}${d.expectedClose ? ` · close ${d.expectedClose}` : ''}`;
}

/** The terms an audit row's `after` recorded (a move or an update of a deal). */
function auditTermsText(after: Record<string, unknown>): string {
  const valueMinor = typeof after.valueMinor === 'number' ? after.valueMinor : null;
  const currency = typeof after.currency === 'string' ? after.currency : null;
  const expectedClose = typeof after.expectedClose === 'string' ? after.expectedClose : null;
  return dealTermsText({ valueMinor, currency, expectedClose });
}

function termsNote(t: DealTerms): string {
  const parts = [...(t.value ? [`value ${formatMoney(t.value.minor, t.value.currency)}`] : []), ...(t.close ? [`expected close ${t.close}`] : [])];
  return parts.join(', ');
}

export function clientMoved(v: ClientView, f: Fmt, m: { from: Stage | null; to: Stage; newDeal: boolean; actor: string; terms: DealTerms }): Message {
  const terms = termsNote(m.terms);
  const note =
    m.from === m.to
      ? `:pencil2: ${user(m.actor)} set deal #${v.current?.id ?? '?'}'s ${terms}.`
      : m.newDeal
        ? `:arrow_forward: ${user(m.actor)} opened a new deal #${v.current?.id ?? '?'} at *${m.to}*${terms ? ` (${terms})` : ''}.`
        : `:arrow_forward: ${user(m.actor)} moved *${esc(v.client.name)}* from *${m.from}* to *${m.to}*${terms ? ` (${terms})` : ''}.`;
  return clientCard(v, f, note);
}

export function clientLost(v: ClientView, f: Fmt, m: { from: Stage; reason: string; actor: string }): Message {
  return clientCard(v, f, `:x: ${user(m.actor)} marked the deal lost at *${m.from}*: _${esc(m.reason)}_`);
}

export function clientList(rows: ClientListRow[], total: number, filterText: string): Message {
  if (rows.length === 0) {
    const text = filterText ? `No clients match ${filterText}.` : 'No clients yet. Add one with `/client add <name>`.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const head = `*Clients${filterText ? ` matching ${filterText}` : ''}* (${total})`;
  const lines = rows.map((r) => `• *${esc(r.name)}* #${r.id} — ${stageText(r.stage)} · segment ${segmentText(r.segment)} · ${user(r.ownerId)}`);
  const more = total > rows.length ? [`_…and ${total - rows.length} more: narrow it with \`stage:\`, \`segment:\` or \`owner:\`._`] : [];
  const all = [head, ...lines, ...more];
  return { text: all.join('\n').slice(0, 3000), blocks: sectionsOf(all) };
}

function describe(e: AuditRow): string {
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = (e.before ?? {}) as Record<string, unknown>;
  switch (e.action) {
    case 'created':
      return e.entity === 'client' ? 'added the client' : `opened deal #${e.entityId} at *${String(after.stage ?? 'lead')}*`;
    case 'stage-changed':
      return `moved deal #${e.entityId} from *${String(before.stage)}* to *${String(after.stage)}*${auditTermsText(after)}`;
    case 'lost':
      return `marked deal #${e.entityId} lost at *${String(before.stage)}*: _${esc(String(after.reason ?? ''))}_`;
    case 'updated': {
      if (e.entity === 'client') return `changed ${fieldChanges(before, after, 'from-to')}`;
      if (e.entity !== 'deal') return `changed ${e.entity} #${e.entityId}`;
      if (typeof after.ownerId === 'string') return `gave deal #${e.entityId} to ${user(after.ownerId)}`;
      return `set deal #${e.entityId}${auditTermsText(after).replace(/^ · /, ': ')}`;
    }
    case 'submitted':
      return `submitted contract #${e.entityId} (v1) to legal and finance`;
    case 'resubmitted':
      return `submitted version ${String(after.version)} of contract #${e.entityId}`;
    case 'decided': {
      const verb = after.decision === 'approved' ? 'approved' : after.decision === 'rejected' ? 'rejected' : 'requested changes to';
      return `${verb} contract #${e.entityId} v${String(after.version)} for ${String(after.fn)}${after.comment ? `: _${esc(String(after.comment))}_` : ''}`;
    }
    case 'signed':
      return `signed contract #${e.entityId} (v${String(after.version)})`;
    case 'issued':
      return `issued invoice #${e.entityId} (${String(after.number)}) for ${formatMoney(Number(after.amountMinor), String(after.currency))}, due ${String(after.dueDate)}`;
    case 'paid':
      return `recorded a payment of ${formatMoney(Number(after.amountMinor), String(after.currency))} on invoice #${e.entityId}${after.reference ? ` (ref ${esc(String(after.reference))})` : ''}`;
    case 'promised':
      return `recorded the client's promise to pay invoice #${e.entityId} by ${String(after.promiseDate)}`;
    case 'dunning':
      return after.event === 'sent'
        ? `dunning on invoice #${e.entityId}: asked ${after.to ? user(String(after.to)) : 'the sales channel'} to ${String(after.action)}`
        : after.event === 'logged'
          ? `logged *${String(after.outcome)}* on invoice #${e.entityId}${after.promiseDate ? ` (promise ${String(after.promiseDate)})` : ''}`
          : `dunning on invoice #${e.entityId}: the promise of ${String(after.promised)} was broken`;
    case 'done':
      return `ticked *${esc(String(after.title))}* on contract #${String(after.contractId)}`;
    case 'claim-offered':
      return `offered claim #${e.entityId} to legal for ${Array.isArray(after.invoices) ? after.invoices.join(', ') : ''}`;
    case 'claim-opened':
      return `opened claim #${e.entityId}`;
    case 'claim-returned':
      return `sent claim #${e.entityId} back to sales${after.note ? `: _${esc(String(after.note))}_` : ''}`;
  }
}

export function clientHistory(client: { id: number; name: string }, events: AuditRow[], total: number, f: Fmt): Message {
  const head = `*History of ${esc(client.name)}* #${client.id} (${plural(total, 'change')})`;
  const lines = events.map((e) => `${fmtDateTime(f, e.at)} · ${user(e.actor)} ${describe(e)}`);
  const more = total > events.length ? [`_…the latest ${events.length} of ${plural(total, 'change')} are shown._`] : [];
  const all = [head, ...lines, ...more];
  return { text: all.join('\n').slice(0, 3000), blocks: sectionsOf(all) };
}


/** The sales channel's announcement of a won deal (SPEC §3): client, deal, value, owner. */
export function dealWon(n: { client: { id: number; name: string }; deal: Pick<DealRow, 'id' | 'title' | 'ownerId'>; value: { amountMinor: number; currency: string }[]; by: string }): Message {
  const title = n.deal.title === n.client.name ? '' : ` ${esc(n.deal.title)}`;
  const value = n.value.length > 0 ? n.value.map((v) => formatMoney(v.amountMinor, v.currency)).join(' + ') : '–';
  const text = `:trophy: Deal won: *${esc(n.client.name)}* (#${n.client.id}), deal #${n.deal.id}${title} · ${value} paid in full · owner ${user(n.deal.ownerId)}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
