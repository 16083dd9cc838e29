/**
 * The main views rendered in Bulgarian: nothing a person reads is an English catalog sentence
 * or a code as it is stored (`proposal`, `changes_requested`, `part-paid`, `legal` …). Only
 * what people see is checked: text fields, not action ids or button values, which are codes
 * by design. The data is a Bulgarian company's, so any Latin word left is the bot's.
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES } from '../../src/domain/claims.ts';
import { STAGES } from '../../src/domain/stages.ts';
import { CONTRACT_STATUSES, DECISIONS, FUNCTIONS } from '../../src/domain/contracts.ts';
import { DEFAULT_INTEREST_RATES, statutoryInterest } from '../../src/domain/interest.ts';
import type { AuditRow } from '../../src/repos/audit.ts';
import type { ClaimRow, DunningRow } from '../../src/repos/invoices.ts';
import type { TaskRow } from '../../src/repos/delivery.ts';
import { decisionText, refusalText } from '../../src/slack/reply.ts';
import { homeView } from '../../src/slack/ui/home/home.ts';
import { clientCard, clientHistory, clientList, clientLost, clientMoved, dealWon } from '../../src/slack/ui/messages/client.ts';
import {
  approvalRequest,
  contractDetail,
  contractList,
  contractSubmitted,
  decisionReply,
  outcomeReply,
  overdueList,
  submitterNotice,
  versionReply,
} from '../../src/slack/ui/messages/contract.ts';
import {
  checklistCreated,
  checklistMessage,
  claimPackMessage,
  dunningStep,
  interestMessage,
  invoiceAdded,
  invoiceList,
  overdueByBucket,
  paymentRecorded,
  promiseBroken,
  taskReminder,
} from '../../src/slack/ui/messages/invoice.ts';
import { confirmExceptionsModal, contractModal, reasonModal } from '../../src/slack/ui/modals/contract.ts';
import { lostReasonModal } from '../../src/slack/ui/modals/client-lost.ts';
import { promiseModal } from '../../src/slack/ui/modals/promise.ts';
import { abcProfileMessage, profileWorking, quietAlertMessage, repeatBusinessLines, reviewsDigest, type QuietClientView } from '../../src/slack/ui/messages/retention.ts';
import { abcProfile } from '../../src/domain/profile.ts';
import { jobSummary } from '../../src/slack/ui/messages/jobs.ts';
import { digestRan } from '../../src/slack/ui/messages/answers.ts';
import type { JobOutcome } from '../../src/scheduler/jobs.ts';
import { currencyConverter } from '../../src/domain/abc.ts';
import { clientHelpText, contractHelpText, dealdeskHelpText, invoiceHelpText } from '../../src/slack/ui/usage.ts';
import { DEFAULT_POLICY, loyaltyFor } from '../../src/policy.ts';
import { blockKitProblems } from '../helpers/harness.ts';
import { CODES, englishPhrases, prose, shown } from '../helpers/bulgarian.ts';
import { AT, approvalRow, clientRow, clientView, dealRow, invoiceRow, snapshot } from '../helpers/rows.ts';

const BG = { tz: 'Europe/Sofia', locale: 'bg' as const };
const NAME = 'Строй Елит ООД';
const client = clientRow({ name: NAME, segment: 'A', contact: 'Иван Петров', eik: '175074752', vat: 'BG175074752', industry: 'строителство', region: 'София', size: 'medium' });
const terms = { subject: 'Стоманени греди, 40 т', settlement: 'Банков превод', delivery: 'Склад София', afterSales: 'Гаранция 2 г.', special: 'Няма', exceptions: [{ kind: 'discount', askedBp: 750, maxBp: 500 }, { kind: 'statutory-net-days', asked: 90, max: 60 }, { kind: 'prepayment' }] as const };
const snap = (status: (typeof CONTRACT_STATUSES)[number], approvals = [approvalRow({ fn: 'finance' }), approvalRow({ fn: 'legal', decision: 'approved', decidedBy: 'U0LEGAL', decidedAt: AT, comment: 'Добре' })]) => {
  const s = snapshot({ contract: { status, signedBy: status === 'signed' ? 'U0SELLER' : null }, terms: { ...terms, exceptions: [...terms.exceptions], netDays: 90 }, approvals });
  return { ...s, client: { ...s.client, name: NAME } };
};
const invoice = (over: Parameters<typeof invoiceRow>[0] = {}) => invoiceRow({ clientName: NAME, number: '0000001234', ...over });
const task = (over: Partial<TaskRow> = {}): TaskRow => ({ id: 1, contractId: 42, key: 'dispatch', title: 'Експедиция', service: 'sales', assignee: 'U0SELLER', dueDate: '2026-11-20', doneBy: null, doneAt: null, remindedOn: null, ...over }) as TaskRow;
const log = (over: Partial<DunningRow>): DunningRow => ({ id: 1, invoiceId: 5, event: 'sent', rung: 1, action: 'remind-owner', outcome: null, promiseDate: null, userId: 'U0SELLER', note: null, day: '2026-11-01', at: AT, ...over }) as DunningRow;
const audit = (over: Partial<AuditRow>): AuditRow => ({ id: 1, actor: 'U0SELLER', entity: 'deal', entityId: 11, clientId: 7, action: 'stage-changed', before: null, after: null, at: AT, ...over }) as AuditRow;
const interestResult = statutoryInterest({ principalMinor: 1_000_000, currency: 'EUR', due: '2025-12-01', payments: [{ date: '2026-01-10', minor: 400_000 }], asOf: '2026-03-01', rates: DEFAULT_INTEREST_RATES });
if (!interestResult.ok) throw new Error('interest fixture');
const interest = interestResult;

const quietClient: QuietClientView = { clientId: 7, name: NAME, ownerId: 'U0SELLER', segment: 'A', rhythm: { invoiceDays: 4, usualGapDays: 30.5, lastInvoiceOn: '2026-08-01', daysSilent: 115, thresholdDays: 61 }, revenue12m: [{ currency: 'EUR', minor: 1_200_000 }, { currency: 'USD', minor: 50_000 }] };
const profile = abcProfile(
  [
    { clientId: 1, segment: 'A', industry: 'логистика', region: 'София', size: 'small' },
    { clientId: 2, segment: 'A', industry: 'енергетика', region: null, size: 'small' },
    { clientId: 3, segment: 'C', industry: 'търговия', region: 'Пловдив', size: 'large' },
    ...[4, 5, 6, 7, 8, 9].map((clientId) => ({ clientId, segment: 'C' as const, industry: `отрасъл ${clientId}`, region: 'Варна', size: 'micro' })),
  ],
  [
    { clientId: 1, amountMinor: 100_000, currency: 'EUR', issueDate: '2026-01-01', dueDate: '2026-03-02' },
    { clientId: 3, amountMinor: 10_000, currency: 'GBP', issueDate: '2026-01-01', dueDate: '2026-01-31' },
  ],
  'EUR',
  currencyConverter('EUR', {}),
);

const OUTCOMES: JobOutcome[] = [
  { job: 'approvals', legal: 1, finance: 2 },
  { job: 'overdue', invoices: 3 },
  { job: 'dunning', sent: 2, broken: 1, claims: 1, paused: 0 },
  { job: 'delivery', tasks: 1 },
  { job: 'segments', by: 'revenue', changed: 2, written: 40 },
  { job: 'abc', by: 'combined', changed: 1 },
  { job: 'funnel', period: { kind: 'quarter', quarter: 4, year: 2026 } },
  { job: 'reviews', due: 4, owners: 1, quiet: 1 },
  { job: 'backup', backup: { kind: 'sqlite', file: '/srv/данни/копие.db', kib: 120, pruned: 2 } },
  { job: 'backup', backup: { kind: 'pg-dump', file: '/srv/данни/копие.dump', kib: 120 } },
  { job: 'backup', backup: { kind: 'no-pg-dump' } },
];

/** Every view, in Bulgarian. */
function views(): [string, unknown][] {
  const overdue = invoice({ paidMinor: 25_000 });
  const claim = { id: 3, clientId: 7, status: 'offered', offeredAt: AT, decidedBy: null, decidedAt: null, outcome: null } as ClaimRow;
  const contracts = [snap('signed')];
  const view = clientView({
    client,
    deals: [dealRow({ stage: 'proposal', title: 'Доставка 2027', valueMinor: 1_250_000, currency: 'EUR', expectedClose: '2027-01-31' }), dealRow({ id: 12, stage: 'lost', title: 'Стара сделка', lostReason: 'цена' })],
    stage: 'proposal',
    contracts: [snap('pending')],
    openInvoices: [overdue, invoice({ id: 6, dueDate: '2026-12-31' })],
    openTasks: [task()],
    // The policy's perks and review cadence are the company's own words (policy data, not catalog).
    loyalty: { ...loyaltyFor(DEFAULT_POLICY, 'A'), perks: ['личен акаунт мениджър'], reviewCadence: 'преглед на тримесечие' },
    retention: {
      lastReview: { id: 1, clientId: 7, reviewedOn: '2026-10-01', note: 'Доволни, искат повече', reviewedBy: 'U0SELLER', createdAt: AT },
      nextReview: { clientId: 7, ownerId: 'U0SELLER', segment: 'A', everyDays: 90, from: 'review', fromOn: '2026-10-01', nextOn: '2026-12-30' },
      fit: { kind: 'score', score: 87, probability: 0.87, used: ['industry', 'size'], drivers: [
        { attribute: 'industry', value: 'строителство', direction: 'up', ratio: 4, aWith: 5, aKnown: 6, restWith: 1, restKnown: 10 },
        { attribute: 'size', value: 'small', direction: 'down', ratio: 0.5, aWith: 1, aKnown: 6, restWith: 5, restKnown: 10 },
      ] },
    },
    snapshot: { clientId: 7, criterion: 'revenue', segment: 'A', periodFrom: '2025-11-24', periodTo: '2026-11-24', revenueMinor: 5_000_000, marginMinor: 0, baseCurrency: 'EUR', assortment: 2, daysLate: 1, share: 0.25, cumulativeShare: 0.25, rank: 1 },
  });
  const events = [
    audit({ action: 'created', entity: 'client' }),
    audit({ action: 'created', after: { stage: 'lead' } }),
    audit({ action: 'stage-changed', before: { stage: 'lead' }, after: { stage: 'qualified', valueMinor: 500_000, currency: 'EUR' } }),
    audit({ action: 'lost', before: { stage: 'qualified' }, after: { reason: 'цена' } }),
    audit({ action: 'decided', entity: 'contract', after: { decision: 'changes_requested', version: 1, fn: 'legal', comment: 'срок' } }),
    audit({ action: 'submitted', entity: 'contract' }),
    audit({ action: 'issued', entity: 'invoice', after: { number: '0000001234', amountMinor: 100_000, currency: 'EUR', dueDate: '2026-10-31' } }),
    audit({ action: 'dunning', entity: 'invoice', after: { event: 'sent', action: 'call-client' } }),
    audit({ action: 'dunning', entity: 'invoice', after: { event: 'logged', outcome: 'no-answer' } }),
    audit({ action: 'claim-returned', entity: 'claim', after: { note: 'плати' } }),
    audit({ action: 'reviewed', entity: 'client', after: { note: 'Доволни' } }),
    audit({ action: 'updated', entity: 'client', before: { size: null }, after: { size: 'large', industry: 'търговия' } }),
  ];
  return [
    ['card', clientCard(view, BG)],
    ['card, never reviewed, too few A clients', clientCard({ ...view, retention: { ...view.retention, lastReview: undefined, fit: { kind: 'too-few', aCount: 3, needed: 5 } } }, BG)],
    ['card, overdue review, fit unknown', clientCard({ ...view, today: '2027-01-05', retention: { ...view.retention, fit: { kind: 'unknown', missing: ['industry', 'region', 'size'] } } }, BG)],
    // The default policy's perks and review cadences are the catalog's words.
    ...(['A', 'B', 'C'] as const).map((seg): [string, unknown] => [`card, default policy ${seg}`, clientCard({ ...view, loyalty: loyaltyFor(DEFAULT_POLICY, seg) }, BG)]),
    ['card, fit neutral', clientCard({ ...view, retention: { ...view.retention, fit: { kind: 'score', score: 50, probability: 0.5, used: ['industry'], drivers: [] } } }, BG)],
    ['moved', clientMoved(view, BG, { from: 'lead', to: 'qualified', newDeal: false, actor: 'U0SELLER', terms: { value: { minor: 500_000, currency: 'EUR' }, close: '2027-01-31' } })],
    ['lost', clientLost(view, BG, { from: 'proposal', reason: 'цена', actor: 'U0SELLER' })],
    ['list', clientList([{ id: 7, name: NAME, ownerId: 'U0SELLER', segment: 'B', stage: 'payment' }], 120, '', 'bg')],
    ['history', clientHistory({ id: 7, name: NAME }, events, 40, BG)],
    ['won', dealWon({ client: { id: 7, name: NAME }, deal: { id: 11, title: NAME, ownerId: 'U0SELLER' }, value: [{ amountMinor: 1_250_000, currency: 'EUR' }], by: 'U0FINANCE' }, 'bg')],
    ...FUNCTIONS.map((fn): [string, unknown] => [`approval ${fn}`, approvalRequest(snap('pending'), fn, BG)]),
    ...CONTRACT_STATUSES.map((s): [string, unknown] => [`approval ${s}`, approvalRequest(snap(s, [approvalRow({ fn: 'finance', decision: s === 'rejected' ? 'rejected' : null, decidedBy: 'U0FIN', decidedAt: AT }), approvalRow({ fn: 'legal' })]), 'legal', BG)]),
    ...DECISIONS.map((d): [string, unknown] => [`notice ${d}`, submitterNotice(snap(d === 'approved' ? 'approved' : d), 'finance', d, 'U0FIN', 'Коментар', BG)]),
    ...DECISIONS.map((d): [string, unknown] => [`reply ${d}`, decisionReply(snap('pending'), 'legal', d, 'U0LEGAL', null, 'bg')]),
    ...CONTRACT_STATUSES.map((s): [string, unknown] => [`outcome ${s}`, outcomeReply(snap(s), 'bg')]),
    ['version', versionReply(snap('pending'), { ...snap('pending').terms, subject: 'Друго', netDays: 30, kind: 'services', discountBp: 100 }, 'U0SELLER', 'bg')],
    ['submitted', contractSubmitted(snap('pending'), BG, false)],
    ['resubmitted', contractSubmitted(snap('pending'), BG, true)],
    ['detail', contractDetail({ snap: snap('pending'), versions: [snap('pending').terms], approvals: snap('pending').approvals }, BG)],
    ['contract list', contractList([{ id: 42, clientName: NAME, subject: 'Греди', amountMinor: 100_000, currency: 'EUR', version: 1, status: 'changes_requested' }] as never, 3, 'changes_requested', 'bg')],
    ['overdue approvals', overdueList('finance', [{ snap: snap('pending'), dueAt: AT }], BG)],
    ['invoice added', invoiceAdded(invoice({ contractId: 42, issueDate: '2026-10-01' }), '2026-11-24', true, 'bg')],
    ['paid', paymentRecorded(invoice(), 100_000, true, true, 'bg')],
    ['part paid', paymentRecorded(overdue, 25_000, false, false, 'bg')],
    ['overdue', overdueByBucket([overdue, invoice({ id: 8, dueDate: '2026-06-30' })], '2026-11-24', { kind: 'all' }, 'bg')],
    ['overdue none', overdueByBucket([], '2026-11-24', { kind: 'mine' }, 'bg')],
    ['invoice list', invoiceList([overdue, invoice({ id: 9, paidMinor: 100_000 })], '2026-11-24', undefined, 'bg')],
    ['interest', interestMessage(invoice(), '2026-03-01', interest.statement, 'bg')],
    ['dunning', dunningStep(overdue, 3, 'tell-manager', null, '2026-11-24', 'bg')],
    ['broken', promiseBroken(overdue, '2026-11-20', '2026-11-24', 'bg')],
    ...CLAIM_STATUSES.map((status): [string, unknown] => [
      `claim ${status}`,
      claimPackMessage({
        claim: { ...claim, status, decidedBy: 'U0LEGAL', outcome: 'плати' },
        clientName: NAME,
        clientEik: '175074752',
        ownerId: 'U0SELLER',
        invoices: [overdue],
        interest: { asOf: '2026-03-01', byInvoice: { 5: { ok: true, statement: interest.statement } } },
        log: [log({}), log({ event: 'logged', outcome: 'promised', promiseDate: '2026-11-10' }), log({ event: 'promise', promiseDate: '2026-11-10' }), log({ event: 'promise-broken', promiseDate: '2026-11-10' }), log({ event: 'claim-offered' })],
        contracts,
        today: '2026-11-24',
        locale: 'bg',
      }),
    ]),
    ['checklist', checklistMessage(snap('signed'), [task(), task({ id: 2, service: 'finance', title: 'Фактура', doneBy: 'U0FIN', doneAt: AT }), task({ id: 3, service: 'service_unit' })], '2026-11-24', 'bg')],
    ['task reminder', taskReminder(task({ service: 'legal' }), NAME, '2026-11-24', 'bg')],
    ['checklist created', checklistCreated(snap('signed'), [task()], 'bg')],
    ['home', homeView({ userId: 'U0SELLER', today: '2026-11-24', fns: ['legal', 'finance'], stages: STAGES.map((stage) => ({ stage, clients: 2, currency: 'EUR', valueMinor: 100_000 })), approvals: [{ contractId: 42, version: 1, fn: 'legal', clientName: NAME, subject: 'Греди', amountMinor: 100_000, currency: 'EUR', submittedBy: 'U0SELLER', dueAt: AT }], overdue: [{ id: 5, number: '0000001234', clientName: NAME, owedMinor: 1000, currency: 'EUR', dueDate: '2026-10-31' }],
      reviewsDue: [
        { clientId: 7, ownerId: 'U0SELLER', name: NAME, segment: 'A', everyDays: 90, from: 'review', fromOn: '2026-08-01', nextOn: '2026-10-30', overdueDays: 25, lastReviewOn: '2026-08-01' },
        { clientId: 8, ownerId: 'U0SELLER', name: 'Бета ЕООД', segment: 'C', everyDays: 365, from: 'created', fromOn: '2025-11-24', nextOn: '2026-11-24', overdueDays: 0, lastReviewOn: null },
      ],
      quiet: [{ clientId: 7, ownerId: 'U0SELLER', name: NAME, segment: 'A', spell: '2026-08-01', rhythm: { invoiceDays: 4, usualGapDays: 30.5, lastInvoiceOn: '2026-08-01', daysSilent: 115, thresholdDays: 61 }, revenue12m: [{ currency: 'EUR', minor: 1_200_000 }] }] }, BG)],
    ['home empty', homeView({ userId: 'U0SELLER', today: '2026-11-24', fns: ['finance'], stages: [], approvals: [], overdue: [], reviewsDue: [], quiet: [] }, BG)],
    ['contract modal', contractModal({ clientName: NAME, draft: { amountMinor: 1_250_050, currency: 'EUR', kind: 'goods', discountBp: 750 }, meta: { contractId: 42, version: 1 } as never, locale: 'bg' })],
    ['contract modal new', contractModal({ draft: {}, meta: {} as never, locale: 'bg' })],
    ['reason changes', reasonModal({ contractId: 42, version: 1, fn: 'legal', decision: 'changes_requested' } as never, 'Договор', 'bg')],
    ['reason reject', reasonModal({ contractId: 42, version: 1, fn: 'legal', decision: 'rejected' } as never, 'Договор', 'bg')],
    ['exceptions', confirmExceptionsModal({ contractId: 42, version: 1, fn: 'finance' }, 'Договор', [{ key: 'discount', text: 'Отстъпка' }], 'bg')],
    ['lost modal', lostReasonModal(NAME, { clientId: 7, dealId: 11 } as never, 'bg')],
    ['promise modal', promiseModal({ invoiceId: 5, rung: 1 }, '#5', '2026-11-24', 'bg')],
    ['quiet alert', quietAlertMessage(quietClient, 'bg')],
    ['quiet alert, nothing this year', quietAlertMessage({ ...quietClient, revenue12m: [] }, 'bg')],
    ['reviews digest', reviewsDigest('U0SELLER', [{ clientId: 7, name: NAME, segment: 'A', nextOn: '2026-10-30', overdueDays: 25, lastReviewOn: '2026-08-01' }, { clientId: 8, name: 'Бета ЕООД', segment: 'C', nextOn: '2026-11-24', overdueDays: 0, lastReviewOn: null }], [quietClient, quietClient], 'bg')],
    ['reviews digest, nothing due', reviewsDigest('U0SELLER', [], [], 'bg')],
    ['abc profile', abcProfileMessage(profile, 'bg')],
    ['abc profile working', { text: profileWorking('bg') }],
    ['repeat business', { text: [...repeatBusinessLines({ won: 4, fromExisting: 3, share: 0.75 }, [{ segment: 'A', previous: 4, retained: 3, rate: 0.75, newClients: 1 }, { segment: 'B', previous: 0, retained: 0, rate: null, newClients: 0 }, { segment: 'C', previous: 1, retained: 1, rate: 1, newClients: 0 }], 'bg'), ...repeatBusinessLines({ won: 0, fromExisting: 0, share: null }, [], 'bg')].join('\n') }],
    ['digest answers', { text: OUTCOMES.map((o) => digestRan(o.job, jobSummary(o, 'bg'), 'bg')).join('\n') }],
    ['help', { text: [clientHelpText('bg'), contractHelpText('bg'), invoiceHelpText('bg'), dealdeskHelpText('bg')].join('\n') }],
    ['refusals', { text: refusalSamples().join('\n') }],
  ];
}

function refusalSamples(): string[] {
  const c = NAME;
  return [
    refusalText({ kind: 'unknown-client', ref: 'Строй', suggestions: [c] } as never, 'bg'),
    refusalText({ kind: 'move', client: c, refusal: { kind: 'automatic-stage', to: 'won' } } as never, 'bg'),
    refusalText({ kind: 'move', client: c, refusal: { kind: 'locked-stage', from: 'delivery' } } as never, 'bg'),
    refusalText({ kind: 'lost', client: c, refusal: { kind: 'too-late', from: 'payment' } } as never, 'bg'),
    refusalText({ kind: 'stale', client: c, now: 'qualified' } as never, 'bg'),
    refusalText({ kind: 'contract-exists', client: c, contractId: 42, status: 'changes_requested' } as never, 'bg'),
    refusalText({ kind: 'not-signable', id: 42, status: 'pending', missing: ['legal', 'finance'] } as never, 'bg'),
    refusalText({ kind: 'task', title: 'Фактура', refusal: { kind: 'not-responsible', service: 'service_unit' } } as never, 'bg'),
    refusalText({ kind: 'payment', invoice: '#5', currency: 'EUR', refusal: { kind: 'over-owed', owedMinor: 100 } } as never, 'bg'),
    refusalText({ kind: 'claim-decided', id: 3, status: 'returned', by: 'U0LEGAL' } as never, 'bg'),
    refusalText({ kind: 'currency-replaced', document: 'invoice', currency: 'BGN', use: 'EUR', dated: '2026-02-01', since: '2026-01-01' } as never, 'bg'),
    refusalText({ kind: 'bad-amount', text: 'abc', currency: 'EUR', refusal: { kind: 'not-a-number', text: 'abc' } } as never, 'bg'),
    decisionText(42, { kind: 'already-decided', byActor: false, by: 'U0X', decision: 'changes_requested', fn: 'finance' } as never, 'bg'),
    decisionText(42, { kind: 'not-pending', status: 'approved' } as never, 'bg'),
  ];
}

describe('the views in Bulgarian', () => {
  const all = views();

  it('render within Block Kit’s limits', () => {
    for (const [name, v] of all) if (name !== 'help' && name !== 'refusals' && !('type' in (v as object))) expect([name, blockKitProblems(v)]).toEqual([name, []]);
  });

  it('contain no English sentence of the catalog', () => {
    const phrases = englishPhrases();
    expect(phrases.length).toBeGreaterThan(200);
    for (const [name, v] of all) {
      const text = shown(v).map(prose).join('\n');
      expect([name, phrases.filter((p) => text.includes(p))]).toEqual([name, []]);
    }
  });

  it('contain no code as stored (stages, statuses, functions, kinds, services, dunning and claim states, criteria)', () => {
    for (const [name, v] of all) {
      const text = shown(v).map(prose).join('\n');
      const found = CODES.filter((c) => new RegExp(`(^|[^a-z_-])${c}($|[^a-z_-])`).test(text));
      expect([name, found]).toEqual([name, []]);
    }
  });

  it('contain no English word at all outside code spans (names and data here are Bulgarian)', () => {
    const ALLOWED = new Set(['dealdesk', 'claims', 'interestRates', 'recoveryCompensation', 'help']);
    for (const [name, v] of all) {
      const words = shown(v)
        .map(prose)
        .join('\n')
        .match(/[A-Za-z]{3,}/g)
        ?.filter((w) => !ALLOWED.has(w) && !/^(EUR|BGN|USD|GBP|ISO|DAP|ООД|BNK|BG|PostgreSQL|WAL|KiB|ABC)$/.test(w));
      expect([name, words ?? []]).toEqual([name, []]);
    }
  });

  it('show the card’s lines Етап: and Сегмент:, dates DD.MM.YYYY and money as bg-BG writes it', () => {
    const card = shown(all.find(([n]) => n === 'card')![1]).join('\n');
    expect(card).toContain('Етап: оферта');
    expect(card).toContain('Сегмент: A');
    expect(card).toContain('12\u00a0500,00\u00a0€');
    expect(card).toContain('31.01.2027');
    expect(card).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // A median gap between two whole days, with the decimal comma, in the alert and on the Home tab.
    for (const name of ['quiet alert', 'home']) expect([name, shown(all.find(([n]) => n === name)![1]).join('\n')]).toEqual([name, expect.stringContaining('30,5 дни')]);
    expect(shown(all.find(([n]) => n === 'repeat business')![1]).join('\n')).toContain('75,0 %');
    const buttons = shown(all.find(([n]) => n === 'approval finance')![1]);
    expect(buttons).toEqual(expect.arrayContaining(['Одобри', 'Поискай промени', 'Отхвърли']));
  });
});
