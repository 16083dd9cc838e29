import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { MANUAL_STAGES, nextStage, STAGES, type Stage } from '../../../domain/stages.ts';
import { DUNNING_ACTIONS, DUNNING_OUTCOMES, type DunningAction, type DunningOutcome } from '../../../domain/dunning.ts';
import type { AuditRow } from '../../../repos/audit.ts';
import type { ClientListRow, ClientUpdate, DealRow, DealTerms } from '../../../repos/clients.ts';
import { fieldChanges } from '../client-fields.ts';
import type { ClientView } from '../../../services/clients.ts';
import type { ContractSnapshot } from '../../../repos/contracts.ts';
import { statusText } from '../../reply.ts';
import { approvalLines } from './contract.ts';
import { DEFAULT_LOCALE, formatDate, formatMoney, joinList, label, tr, type Locale } from '../../../i18n/index.ts';
import { invoiceStatus } from '../../../domain/invoices.ts';
import { invoiceLine } from './invoice.ts';
import { loyaltyLine, segmentWhy } from './analytics.ts';
import { fitLine, reviewLines } from './retention.ts';
import type { FitResult } from '../../../domain/fit.ts';
import { ACTION, BLOCK, encodeDealRef, encodeClientId, encodeMove } from '../../ids.ts';
import { clip, esc, fmtDate, fmtDateTime, loc, money, owedOn, sectionsOf, taskTitle, totalsText, user, type Fmt, type Message } from '../format.ts';

export type { Message };

const segmentText = (s: string | null, locale: Locale): string => (s === 'A' || s === 'B' || s === 'C' ? label(locale, 'segment', s) : '–');
const stageText = (s: Stage | null, locale: Locale): string => (s ? label(locale, 'stage', s) : '–');

/** The client card (SPEC §3): always the lines `Stage: …` and `Segment: …` (`Етап:`, `Сегмент:` in bg). */
export function clientCard(v: ClientView, f: Fmt, note?: string): Message {
  const { client } = v;
  const locale = loc(f);
  const m = tr(locale);
  const why = segmentWhy(v.snapshot, locale);
  const summary = [
    m('card.stage', { stage: stageText(v.stage, locale) }),
    m('card.segment', { segment: segmentText(client.segment, locale) }),
    ...(why ? [`_${why}_`] : []),
    loyaltyLine(client.segment, v.loyalty, v.baseCurrency, locale),
    ...reviewLines(v.retention.lastReview ? { on: v.retention.lastReview.reviewedOn, by: v.retention.lastReview.reviewedBy, note: v.retention.lastReview.note } : null, v.retention.nextReview, v.today, locale),
    ...(v.retention.fit ? [fitLine(v.retention.fit, locale)] : []),
    m('card.owner', { user: user(client.ownerId) }),
    ...(client.contact ? [m('card.contact', { contact: esc(client.contact) })] : []),
    ...(client.eik ? [m('card.eik', { eik: esc(client.eik) })] : []),
    ...(client.vat ? [m('card.vat', { vat: esc(client.vat) })] : []),
    ...(client.industry || client.region || client.size
      ? [m('card.attributes', { industry: client.industry ? esc(client.industry) : '–', region: client.region ? esc(client.region) : '–', size: client.size ? label(locale, 'size', client.size) : '–' })]
      : []),
  ];
  const dealLines = v.deals
    .slice()
    .reverse()
    .map((d) =>
      m('card.dealLine', {
        id: d.id,
        title: esc(d.title),
        stage: stageText(d.stage, locale),
        lost: d.stage === 'lost' && d.lostReason ? `: _${esc(d.lostReason)}_` : '',
        terms: dealTermsText(d, locale),
        date: fmtDate(f, d.createdAt),
      }),
    );
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${client.name}  #${client.id}`, 149) } },
    ...(note ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: note }] }] : []),
    { type: 'section', text: { type: 'mrkdwn', text: summary.join('\n') } },
    ...sectionsOf([m('card.deals', { n: v.deals.length }), ...dealLines]),
    ...(v.contracts.length > 0 ? sectionsOf([m('card.contracts'), ...v.contracts.map((c) => contractLine(c, f))]) : []),
    ...(v.openInvoices.length > 0 ? sectionsOf([invoicesHead(v, locale), ...v.openInvoices.map((i) => invoiceLine(i, v.today, locale))]) : []),
    ...(v.openTasks.length > 0
      ? sectionsOf([
          m('card.openTasks', { n: v.openTasks.length }),
          ...v.openTasks.map((t) =>
            m('card.taskLine', { title: esc(taskTitle(t, locale)), contractId: t.contractId, user: user(t.assignee), due: formatDate(t.dueDate, locale), late: t.dueDate < v.today ? m('late.flag') : '' }),
          ),
        ])
      : []),
  ];
  const buttons = cardButtons(v, locale);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: BLOCK.cardActions, elements: buttons });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: m('card.footer', { id: client.id, date: fmtDate(f, client.createdAt), user: user(client.createdBy), changes: m('n.changes', { n: v.historyCount }) }) }],
  });
  return { text: `${client.name} (#${client.id})\n${summary.join('\n')}`, blocks: blocks.slice(0, 50) };
}

function invoicesHead(v: ClientView, locale: Locale): string {
  const overdue = v.openInvoices.filter((i) => invoiceStatus(i, v.today) === 'overdue');
  if (overdue.length === 0) return tr(locale)('card.openInvoices', { n: v.openInvoices.length });
  // Per currency owed as of today: a BGN invoice's balance in EUR from the changeover (SPEC §5).
  return tr(locale)('card.openInvoicesOverdue', { n: v.openInvoices.length, total: totalsText(overdue.map((i) => owedOn(i, v.today)), locale) });
}

function contractLine(c: ContractSnapshot, f: Fmt): string {
  const locale = loc(f);
  const decisions = approvalLines(c.approvals, f).join(' · ');
  return tr(locale)('card.contractLine', { id: c.contract.id, subject: esc(c.terms.subject), amount: money(c.terms, locale), version: c.contract.version, status: statusText(c.contract.status, locale), decisions });
}

function cardButtons(v: ClientView, locale: Locale) {
  const m = tr(locale);
  const out = [];
  const d = v.current;
  if (d) {
    const next = nextStage(d.stage);
    if (next && (MANUAL_STAGES as readonly Stage[]).includes(next)) {
      out.push({
        type: 'button' as const,
        action_id: ACTION.clientMove,
        text: { type: 'plain_text' as const, text: m('card.advance', { stage: label(locale, 'stage', next) }) },
        style: 'primary' as const,
        value: encodeMove({ clientId: v.client.id, dealId: d.id, from: d.stage, to: next }),
      });
    }
    // SPEC §3: the next step is a button where the person already is.
    if (d.stage === 'proposal') {
      out.push({
        type: 'button' as const,
        action_id: ACTION.clientNewContract,
        text: { type: 'plain_text' as const, text: m('card.newContract') },
        style: 'primary' as const,
        value: encodeClientId(v.client.id),
      });
    }
    if (d.stage === 'lead' || d.stage === 'qualified' || d.stage === 'proposal' || d.stage === 'contract') {
      out.push({
        type: 'button' as const,
        action_id: ACTION.clientLost,
        text: { type: 'plain_text' as const, text: m('card.markLost') },
        style: 'danger' as const,
        value: encodeDealRef({ clientId: v.client.id, dealId: d.id }),
      });
    }
  }
  out.push({
    type: 'button' as const,
    action_id: ACTION.clientHistory,
    text: { type: 'plain_text' as const, text: m('card.history') },
    value: encodeClientId(v.client.id),
  });
  return out;
}

export function clientAdded(v: ClientView, f: Fmt): Message {
  return clientCard(v, f, tr(loc(f))('client.added', { id: v.client.id, name: esc(v.client.name), owner: user(v.client.ownerId) }));
}

/** The answer to `/client review`: the review logged, on the card with its new `Next review:`. */
export function clientReviewed(v: ClientView, f: Fmt, r: { note: string; by: string }): Message {
  const m = tr(loc(f));
  return clientCard(v, f, m('client.reviewed', { user: user(r.by), id: v.client.id, name: esc(v.client.name), note: esc(clip(r.note, 300)) }));
}

export function clientSet(v: ClientView, f: Fmt, s: { before: ClientUpdate; after: ClientUpdate; dealIds: number[] }): Message {
  const locale = loc(f);
  const m = tr(locale);
  const ids = s.dealIds.map((id) => `#${id}`);
  const deals = ids.length === 0 ? '' : m('client.updatedDeals', { n: ids.length, ids: joinList(locale, ids), owner: user(v.client.ownerId) });
  return clientCard(v, f, m('client.updated', { id: v.client.id, name: esc(v.client.name), changes: fieldChanges(s.before, s.after, 'arrow', locale), deals }));
}

/** ` · €12,000.00 · close 2027-01-31` for a deal with an expected value or close date. */
function dealTermsText(d: Pick<DealRow, 'valueMinor' | 'currency' | 'expectedClose'>, locale: Locale): string {
  const m = tr(locale);
  const value = d.valueMinor !== null && d.currency ? m('deal.value', { amount: formatMoney(d.valueMinor, d.currency, locale) }) : '';
  return `${value}${d.expectedClose ? m('deal.close', { date: formatDate(d.expectedClose, locale) }) : ''}`;
}

/** The terms an audit row's `after` recorded (a move or an update of a deal). */
function auditTermsText(after: Record<string, unknown>, locale: Locale): string {
  const valueMinor = typeof after.valueMinor === 'number' ? after.valueMinor : null;
  const currency = typeof after.currency === 'string' ? after.currency : null;
  const expectedClose = typeof after.expectedClose === 'string' ? after.expectedClose : null;
  return dealTermsText({ valueMinor, currency, expectedClose }, locale);
}

function termsNote(t: DealTerms, locale: Locale): string {
  const m = tr(locale);
  const parts = [
    ...(t.value ? [m('deal.termsValue', { amount: formatMoney(t.value.minor, t.value.currency, locale) })] : []),
    ...(t.close ? [m('deal.termsClose', { date: formatDate(t.close, locale) })] : []),
  ];
  return parts.join(', ');
}

export function clientMoved(v: ClientView, f: Fmt, mv: { from: Stage | null; to: Stage; newDeal: boolean; actor: string; terms: DealTerms }): Message {
  const locale = loc(f);
  const m = tr(locale);
  const terms = termsNote(mv.terms, locale);
  const id = v.current?.id ?? '?';
  const note =
    mv.from === mv.to
      ? m('client.dealSet', { actor: user(mv.actor), id, terms })
      : mv.newDeal || mv.from === null
        ? m('client.dealOpened', { actor: user(mv.actor), id, stage: label(locale, 'stage', mv.to), terms: terms ? ` (${terms})` : '' })
        : m('client.moved', { actor: user(mv.actor), name: esc(v.client.name), from: label(locale, 'stage', mv.from), to: label(locale, 'stage', mv.to), terms: terms ? ` (${terms})` : '' });
  return clientCard(v, f, note);
}

export function clientLost(v: ClientView, f: Fmt, lost: { from: Stage; reason: string; actor: string }): Message {
  const locale = loc(f);
  return clientCard(v, f, tr(locale)('client.lost', { actor: user(lost.actor), stage: label(locale, 'stage', lost.from), reason: esc(lost.reason) }));
}

export function clientList(rows: (ClientListRow & { fit?: FitResult })[], total: number, filterText: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  if (rows.length === 0) {
    const text = filterText ? m('client.listNoMatch', { filter: filterText }) : m('client.listEmpty');
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const head = filterText ? m('client.listHeadFiltered', { filter: filterText, total }) : m('client.listHead', { total });
  // sort:fit (SPEC §7): each line with its score; with too few A clients to learn from, one line says so.
  const tooFew = rows.find((r) => r.fit?.kind === 'too-few')?.fit;
  const fitText = (f: FitResult | undefined) => (f === undefined || tooFew ? '' : m('client.listFit', { score: f.kind === 'score' ? String(f.score) : '–' }));
  const lines = rows.map((r) => m('client.listLine', { name: esc(r.name), id: r.id, stage: stageText(r.stage, locale), segment: segmentText(r.segment, locale), user: user(r.ownerId) }) + fitText(r.fit));
  const more = total > rows.length ? [m('client.listMore', { n: total - rows.length })] : [];
  const all = [head, ...(tooFew ? [`_${fitLine(tooFew, locale)}_`] : []), ...lines, ...more];
  return { text: all.join('\n').slice(0, 3000), blocks: sectionsOf(all) };
}

/** A stage an audit row recorded, as people name it; a value that is no stage is shown as it is. */
function auditStage(v: unknown, locale: Locale): string {
  const s = String(v);
  return (STAGES as readonly string[]).includes(s) ? label(locale, 'stage', s as Stage) : s;
}

function auditFn(v: unknown, locale: Locale): string {
  return v === 'legal' || v === 'finance' ? label(locale, 'fn', v) : String(v);
}

function describe(e: AuditRow, locale: Locale): string {
  const m = tr(locale);
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = (e.before ?? {}) as Record<string, unknown>;
  const id = e.entityId;
  switch (e.action) {
    case 'created':
      return e.entity === 'client' ? m('history.clientCreated') : m('history.dealCreated', { id, stage: auditStage(after.stage ?? 'lead', locale) });
    case 'stage-changed':
      return m('history.stageChanged', { id, from: auditStage(before.stage, locale), to: auditStage(after.stage, locale), terms: auditTermsText(after, locale) });
    case 'lost':
      return m('history.lost', { id, stage: auditStage(before.stage, locale), reason: esc(String(after.reason ?? '')) });
    case 'updated': {
      if (e.entity === 'client') return m('history.clientUpdated', { changes: fieldChanges(before, after, 'from-to', locale) });
      if (e.entity !== 'deal') return m('history.otherUpdated', { entity: e.entity, id });
      if (typeof after.ownerId === 'string') return m('history.dealOwner', { id, user: user(after.ownerId) });
      return m('history.dealSet', { id, terms: auditTermsText(after, locale).replace(/^ · /, ': ') });
    }
    case 'submitted':
      return m('history.submitted', { id });
    case 'resubmitted':
      return m('history.resubmitted', { id, version: String(after.version) });
    case 'decided':
      return m('history.decided', { decision: String(after.decision), id, version: String(after.version), fn: auditFn(after.fn, locale), comment: after.comment ? `: _${esc(String(after.comment))}_` : '' });
    case 'signed':
      return m('history.signed', { id, version: String(after.version) });
    case 'issued':
      return m('history.issued', { id, number: String(after.number), amount: formatMoney(Number(after.amountMinor), String(after.currency), locale), due: formatDate(String(after.dueDate), locale) });
    case 'paid':
      return m('history.paid', { id, amount: formatMoney(Number(after.amountMinor), String(after.currency), locale), ref: after.reference ? m('history.paidRef', { ref: esc(String(after.reference)) }) : '' });
    case 'promised':
      return m('history.promised', { id, date: formatDate(String(after.promiseDate), locale) });
    case 'dunning':
      return after.event === 'sent'
        ? m('history.dunningSent', { id, to: after.to ? user(String(after.to)) : m('history.dunningSalesChannel'), action: dunningActionText(after.action, locale) })
        : after.event === 'logged'
          ? m('history.dunningLogged', { id, outcome: dunningOutcomeText(after.outcome, locale), promise: after.promiseDate ? m('history.dunningPromise', { date: formatDate(String(after.promiseDate), locale) }) : '' })
          : m('history.dunningBroken', { id, date: formatDate(String(after.promised), locale) });
    case 'done':
      return m('history.done', { title: esc(taskTitle({ title: String(after.title) }, locale)), contractId: String(after.contractId) });
    case 'claim-offered':
      return m('history.claimOffered', { id, invoices: Array.isArray(after.invoices) ? after.invoices.join(', ') : '' });
    case 'claim-opened':
      return m('history.claimOpened', { id });
    case 'claim-returned':
      return m('history.claimReturned', { id, note: after.note ? `: _${esc(String(after.note))}_` : '' });
    case 'reviewed':
      return m('history.reviewed', { note: esc(clip(String(after.note ?? ''), 200)) });
  }
}

function dunningActionText(v: unknown, locale: Locale): string {
  return (DUNNING_ACTIONS as readonly unknown[]).includes(v) ? label(locale, 'dunningAction', v as DunningAction) : String(v);
}

function dunningOutcomeText(v: unknown, locale: Locale): string {
  return (DUNNING_OUTCOMES as readonly unknown[]).includes(v) ? label(locale, 'dunningOutcome', v as DunningOutcome) : String(v);
}

export function clientHistory(client: { id: number; name: string }, events: AuditRow[], total: number, f: Fmt): Message {
  const locale = loc(f);
  const m = tr(locale);
  const changes = m('n.changes', { n: total });
  const head = m('history.head', { name: esc(client.name), id: client.id, changes });
  const lines = events.map((e) => m('history.line', { time: fmtDateTime(f, e.at), user: user(e.actor), what: describe(e, locale) }));
  const more = total > events.length ? [m('history.more', { n: events.length, changes })] : [];
  const all = [head, ...lines, ...more];
  return { text: all.join('\n').slice(0, 3000), blocks: sectionsOf(all) };
}

/** The sales channel's announcement of a won deal (SPEC §3): client, deal, value, owner. */
export function dealWon(
  n: { client: { id: number; name: string }; deal: Pick<DealRow, 'id' | 'title' | 'ownerId'>; value: { amountMinor: number; currency: string }[]; by: string },
  locale: Locale = DEFAULT_LOCALE,
): Message {
  const title = n.deal.title === n.client.name ? '' : ` ${esc(n.deal.title)}`;
  const value = n.value.length > 0 ? n.value.map((v) => formatMoney(v.amountMinor, v.currency, locale)).join(' + ') : '–';
  const text = tr(locale)('client.dealWon', { name: esc(n.client.name), id: n.client.id, dealId: n.deal.id, title, value, owner: user(n.deal.ownerId) });
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
