import type { types } from '@slack/bolt';
import { FUNCTIONS, type ContractStatus, type Decision, type Fn, type LoyaltyException } from '../../../domain/index.ts';
import type { ApprovalRow, ContractListRow, ContractSnapshot, VersionRow } from '../../../repos/contracts.ts';
import type { ContractDetail } from '../../../services/contracts.ts';
import { ACTION, BLOCK, encodeClientId, encodeDecision } from '../../ids.ts';
import { toConfirm } from '../../../domain/loyalty.ts';
import { DEFAULT_LOCALE, formatDecimal, formatMoney, joinList, label, t, tr, type Locale, type MessageKey } from '../../../i18n/index.ts';
import { statusText } from '../../reply.ts';
import { clip, esc, fmtDateTime, loc, money, sectionsOf, user, type Fmt, type Message } from '../format.ts';

type Block = types.KnownBlock;

const DECISION_ICON: Record<Decision, string> = { approved: ':white_check_mark:', changes_requested: ':leftwards_arrow_with_hook:', rejected: ':x:' };

export function fmtDiscount(bp: number, locale: Locale = DEFAULT_LOCALE): string {
  return `${formatDecimal((bp / 100).toFixed(2).replace(/\.?0+$/, ''), locale)} %`;
}

/** Payment terms as people say them: "net 30 days", "net 1 day" (`30 дни` in bg). */
export function net(days: number, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'net', { days: t(locale, 'n.days', { n: days }) });
}

export { money };

/** The terms of one version as mrkdwn lines. */
export function termsLines(v: VersionRow, locale: Locale = DEFAULT_LOCALE): string[] {
  const m = tr(locale);
  return [
    m('terms.subject', { subject: esc(v.subject) }),
    m('terms.main', { amount: money(v, locale), net: net(v.netDays, locale), discount: fmtDiscount(v.discountBp, locale), kind: label(locale, 'contractKind', v.kind) }),
    ...(v.settlement ? [m('terms.settlement', { text: esc(v.settlement) })] : []),
    ...(v.delivery ? [m('terms.delivery', { text: esc(v.delivery) })] : []),
    ...(v.afterSales ? [m('terms.afterSales', { text: esc(v.afterSales) })] : []),
    ...(v.special ? [m('terms.special', { text: esc(v.special) })] : []),
  ];
}

export function exceptionText(e: LoyaltyException, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (e.kind) {
    case 'discount':
      return m('exception.discount', { asked: fmtDiscount(e.askedBp, locale), max: fmtDiscount(e.maxBp, locale) });
    case 'net-days':
      return m('exception.netDays', { asked: net(e.asked, locale), max: e.max });
    case 'statutory-net-days':
      return m('exception.statutory', { asked: net(e.asked, locale), max: m('n.days', { n: e.max }) });
    case 'credit-limit':
      return m('exception.creditLimit', { exposure: formatMoney(e.exposureMinor, e.currency, locale), limit: formatMoney(e.limitMinor, e.currency, locale) });
    case 'prepayment':
      return m('exception.prepayment');
  }
}

/** The same exception in a checkbox's words: Slack cuts an option's text at 75 characters. */
export function exceptionLabel(e: LoyaltyException, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (e.kind) {
    case 'discount':
      return m('exceptionLabel.discount', { asked: fmtDiscount(e.askedBp, locale), max: fmtDiscount(e.maxBp, locale) });
    case 'net-days':
      return m('exceptionLabel.netDays', { asked: net(e.asked, locale), max: net(e.max, locale) });
    case 'statutory-net-days':
      return m('exceptionLabel.statutory', { asked: net(e.asked, locale), max: m('n.days', { n: e.max }) });
    case 'credit-limit':
      return clip(m('exceptionLabel.creditLimit', { exposure: formatMoney(e.exposureMinor, e.currency, locale), limit: formatMoney(e.limitMinor, e.currency, locale) }), 74);
    case 'prepayment':
      return m('exceptionLabel.prepayment');
  }
}

/**
 * Each function's line for one version. An approval nobody gave waits only while its version
 * is in play: once the other function rejected it or asked for changes (SPEC §3), or a newer
 * version replaced it, no one is waiting for that decision and it has no deadline.
 */
export function approvalLines(approvals: readonly ApprovalRow[], f: Fmt, replacedBy?: number): string[] {
  const locale = loc(f);
  const m = tr(locale);
  const closer = approvals.find((a) => a.decision === 'rejected' || a.decision === 'changes_requested');
  return FUNCTIONS.map((fn) => {
    const a = approvals.find((x) => x.fn === fn);
    const title = label(locale, 'fnTitle', fn);
    if (a?.decision && a.decidedBy) {
      return m('approval.decided', {
        fn: title,
        icon: DECISION_ICON[a.decision],
        decision: label(locale, 'decision', a.decision),
        user: user(a.decidedBy),
        time: fmtDateTime(f, a.decidedAt ?? 0),
        comment: a.comment ? ` — _${esc(a.comment)}_` : '',
      });
    }
    if (closer?.decision) return m('approval.notNeededClosed', { fn: title, closer: closer.decision, by: label(locale, 'fn', closer.fn) });
    if (replacedBy !== undefined) return m('approval.notNeededReplaced', { fn: title, version: replacedBy });
    return m('approval.waiting', { fn: title, due: a ? m('approval.waitingDue', { time: fmtDateTime(f, a.dueAt) }) : '' });
  });
}

function headline(s: ContractSnapshot, locale: Locale): string {
  return t(locale, 'contract.headline', { id: s.contract.id, client: s.client.name, version: s.contract.version });
}

/**
 * The message in the legal or finance channel. It is updated in place after every change,
 * so it always shows the current version, both functions' decisions, and buttons only while
 * this function still has to decide. Its language is the channel's (`f.locale`), whoever clicked.
 */
export function approvalRequest(s: ContractSnapshot, fn: Fn, f: Fmt): Message {
  const locale = loc(f);
  const m = tr(locale);
  const mine = s.approvals.find((a) => a.fn === fn);
  const status = s.contract.status;
  const title = label(locale, 'fnTitle', fn);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(m('approval.header', { fn: title, headline: headline(s, locale) }), 149) } },
    ...sectionsOf([...termsLines(s.terms, locale), m('approval.submittedBy', { user: user(s.terms.submittedBy), time: fmtDateTime(f, s.terms.submittedAt) })]),
    ...(fn === 'finance' && toConfirm(s.terms.exceptions).length > 0
      ? sectionsOf([m('approval.beyondPolicy'), ...toConfirm(s.terms.exceptions).map((e) => `• ${exceptionText(e, locale)}`)])
      : []),
    ...(s.terms.exceptions.some((e) => e.kind === 'prepayment') ? sectionsOf([m('approval.prepayment')]) : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: approvalLines(s.approvals, f).join('\n') }] },
  ];
  if (status === 'pending' && !mine?.decision) {
    const value = encodeDecision({ contractId: s.contract.id, version: s.contract.version, fn });
    blocks.push({
      type: 'actions',
      block_id: BLOCK.decisionActions,
      elements: [
        { type: 'button', action_id: ACTION.approve, text: { type: 'plain_text', text: m('approval.approve') }, style: 'primary', value },
        { type: 'button', action_id: ACTION.requestChanges, text: { type: 'plain_text', text: m('approval.requestChanges') }, value },
        { type: 'button', action_id: ACTION.reject, text: { type: 'plain_text', text: m('approval.reject') }, style: 'danger', value },
      ],
    });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: m('approval.status', { status: statusLine(s, locale) }) } });
  }
  const text = m('approval.text', { fn: title, id: s.contract.id, client: s.client.name, amount: money(s.terms, locale), net: net(s.terms.netDays, locale), version: s.contract.version, status: statusText(status, locale) });
  return { text, blocks };
}

export function statusLine(s: ContractSnapshot, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (s.contract.status) {
    case 'approved':
      return m('statusLine.approved');
    case 'signed':
      return m('statusLine.signed', { user: user(s.contract.signedBy ?? '') });
    case 'rejected':
      return m('statusLine.rejected');
    case 'changes_requested':
      return m('statusLine.changes_requested');
    case 'pending':
      return m('statusLine.pending');
  }
}

const quoted = (comment: string) => `>${esc(comment).replace(/\n/g, '\n>')}`;

export function decisionReply(s: ContractSnapshot, fn: Fn, decision: Decision, by: string, comment: string | null, locale: Locale = DEFAULT_LOCALE): Message {
  const said = t(locale, 'decision.reply', { icon: DECISION_ICON[decision], user: user(by), decision, version: s.contract.version, fn: label(locale, 'fn', fn) });
  const text = `${said}${comment ? `\n${quoted(comment)}` : ''}`;
  return { text, blocks: sectionsOf([text]) };
}

export function outcomeReply(s: ContractSnapshot, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const id = s.contract.id;
  const by = user(s.contract.submittedBy);
  const text =
    s.contract.status === 'approved'
      ? m('outcome.approved', { id, user: by })
      : s.contract.status === 'rejected'
        ? m('outcome.rejected', { id })
        : s.contract.status === 'changes_requested'
          ? m('outcome.changes_requested', { id, user: by })
          : m('outcome.other', { id, status: statusText(s.contract.status, locale) });
  return { text, blocks: sectionsOf([text]) };
}

/** What the submitter hears of a decision, by DM, with the next step as a button once the version is decided. */
export function submitterNotice(s: ContractSnapshot, fn: Fn, decision: Decision, by: string, comment: string | null, f: Fmt): Message {
  const locale = loc(f);
  const m = tr(locale);
  const lines = [
    m('notice.decided', { icon: DECISION_ICON[decision], user: user(by), fn: label(locale, 'fn', fn), decision, id: s.contract.id, client: esc(s.client.name), version: s.contract.version }),
    ...(comment ? [quoted(comment)] : []),
    m('approval.status', { status: statusLine(s, locale) }),
    approvalLines(s.approvals, f).join('\n'),
  ];
  const blocks: Block[] = sectionsOf(lines);
  const next = nextStep(s, locale);
  if (next) blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: next.action, text: { type: 'plain_text', text: next.label }, style: 'primary', value: next.value }] });
  return { text: lines[0]!, blocks };
}

/** SPEC §3: the submitter's next step is a button in the DM that tells them of the outcome. */
function nextStep(s: ContractSnapshot, locale: Locale): { action: string; label: string; value: string } | undefined {
  switch (s.contract.status) {
    case 'changes_requested':
      return { action: ACTION.contractEdit, label: t(locale, 'next.edit'), value: String(s.contract.id) };
    case 'approved':
      return { action: ACTION.contractSign, label: t(locale, 'next.sign'), value: String(s.contract.id) };
    case 'rejected':
      return { action: ACTION.clientNewContract, label: t(locale, 'next.newContract'), value: encodeClientId(s.client.id) };
    default:
      return undefined;
  }
}

const TERM_SHOWN: [keyof VersionRow, (v: VersionRow, locale: Locale) => string][] = [
  ['subject', (v) => v.subject],
  ['amountMinor', (v, l) => money(v, l)],
  ['currency', (v) => v.currency],
  ['netDays', (v, l) => net(v.netDays, l)],
  ['discountBp', (v, l) => fmtDiscount(v.discountBp, l)],
  ['kind', (v, l) => label(l, 'contractKind', v.kind)],
  ['settlement', (v) => v.settlement ?? '–'],
  ['delivery', (v) => v.delivery ?? '–'],
  ['afterSales', (v) => v.afterSales ?? '–'],
  ['special', (v) => v.special ?? '–'],
];

export function versionReply(s: ContractSnapshot, previous: VersionRow, by: string, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  const changed = TERM_SHOWN.filter(([k]) => previous[k] !== s.terms[k] && !(k === 'currency' && previous.amountMinor !== s.terms.amountMinor)).map(([k, show]) =>
    m('version.changeLine', { name: t(locale, `termName.${k}` as MessageKey & `termName.${string}`), was: esc(clip(show(previous, locale), 199)), now: esc(clip(show(s.terms, locale), 199)) }),
  );
  const lines = [m('version.submitted', { user: user(by), version: s.contract.version, id: s.contract.id }), ...(changed.length > 0 ? [m('version.whatChanged'), ...changed] : [m('version.noChange')])];
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}

/** The answer to whoever signed, from `/contract sign` or the Sign button. */
export function contractSignedText(s: ContractSnapshot, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'contract.signedText', { id: s.contract.id, client: esc(s.client.name) });
}

export function signedReply(s: ContractSnapshot, by: string, locale: Locale = DEFAULT_LOCALE): Message {
  const text = t(locale, 'contract.signedReply', { user: user(by), id: s.contract.id, version: s.contract.version });
  return { text, blocks: sectionsOf([text]) };
}

export function overdueReply(s: ContractSnapshot, fn: Fn, dueAt: number, approvers: string, f: Fmt): Message {
  const locale = loc(f);
  const text = t(locale, 'contract.overdueReply', { fn: label(locale, 'fn', fn), since: fmtDateTime(f, s.terms.submittedAt), due: fmtDateTime(f, dueAt), approvers });
  return { text, blocks: sectionsOf([text]) };
}

export function overdueList(fn: Fn, items: { snap: ContractSnapshot; dueAt: number }[], f: Fmt): Message {
  const locale = loc(f);
  const m = tr(locale);
  const title = label(locale, 'fnTitle', fn);
  const head = m('contract.overdueHead', { fn: title, n: items.length });
  const lines = items
    .slice(0, 40)
    .map((i) => m('contract.overdueLine', { id: i.snap.contract.id, client: esc(i.snap.client.name), amount: money(i.snap.terms, locale), due: fmtDateTime(f, i.dueAt), user: user(i.snap.contract.submittedBy) }));
  const more = items.length > 40 ? [m('list.more', { n: items.length - 40 })] : [];
  return { text: m('contract.overdueText', { fn: title, n: items.length }), blocks: sectionsOf([head, ...lines, ...more]) };
}

export function contractSubmitted(s: ContractSnapshot, f: Fmt, resubmitted: boolean): Message {
  const lines = contractSubmittedLines(s, f, resubmitted);
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}

export function contractSubmittedLines(s: ContractSnapshot, f: Fmt, resubmitted: boolean): string[] {
  const locale = loc(f);
  const m = tr(locale);
  const ids = { id: s.contract.id, client: esc(s.client.name) };
  const head = resubmitted ? m('contract.resubmitted', { ...ids, version: s.contract.version }) : m('contract.submitted', ids);
  const beyond = toConfirm(s.terms.exceptions);
  return [
    head,
    ...termsLines(s.terms, locale),
    ...(beyond.length > 0 ? [m('contract.submittedBeyond', { list: beyond.map((e) => exceptionText(e, locale)).join('; ') })] : []),
    ...(s.terms.exceptions.some((e) => e.kind === 'prepayment') ? [m('contract.submittedPrepayment')] : []),
    approvalLines(s.approvals, f).join('\n'),
    m('contract.hearByDm'),
  ];
}

export function contractDetail(d: ContractDetail, f: Fmt): Message {
  const locale = loc(f);
  const m = tr(locale);
  const s = d.snap;
  const status = statusText(s.contract.status, locale);
  const lines = [
    m('contract.detailHead', { headline: esc(headline(s, locale)), status }),
    ...termsLines(s.terms, locale),
    m('approval.status', { status: statusLine(s, locale) }),
    m('contract.versions', { n: d.versions.length }),
    ...d.versions
      .slice()
      .reverse()
      .map((v) => {
        const replacedBy = v.version < s.contract.version ? v.version + 1 : undefined;
        const decisions = approvalLines(d.approvals.filter((a) => a.version === v.version), f, replacedBy).join(' · ');
        return m('contract.versionLine', { version: v.version, user: user(v.submittedBy), time: fmtDateTime(f, v.submittedAt), amount: money(v, locale), net: net(v.netDays, locale), discount: fmtDiscount(v.discountBp, locale), decisions });
      }),
  ];
  return { text: m('contract.detailText', { id: s.contract.id, client: s.client.name, status }), blocks: sectionsOf(lines) };
}

export function contractList(rows: ContractListRow[], total: number, status: ContractStatus | undefined, locale: Locale = DEFAULT_LOCALE): Message {
  const m = tr(locale);
  if (rows.length === 0) {
    const text = status ? m('contract.listNone', { status: statusText(status, locale) }) : m('contract.listEmpty');
    return { text, blocks: sectionsOf([text]) };
  }
  const head = status ? m('contract.listHeadStatus', { status: statusText(status, locale), total }) : m('contract.listHead', { total });
  const lines = rows.map((r) => m('contract.listLine', { id: r.id, client: esc(r.clientName), subject: esc(clip(r.subject, 59)), amount: money(r, locale), version: r.version, status: statusText(r.status, locale) }));
  const more = total > rows.length ? [m('list.more', { n: total - rows.length })] : [];
  return { text: m('n.contracts', { n: total }), blocks: sectionsOf([head, ...lines, ...more]) };
}

/** Who is still to approve, `legal and finance` (`правната служба и финансовата служба`). */
export function fnsText(fns: readonly Fn[], locale: Locale = DEFAULT_LOCALE): string {
  return joinList(locale, fns.map((fn) => label(locale, 'fn', fn)));
}

/** The head of a decision form: which contract, with whom, which version, and its terms. */
export function decisionSummary(p: { contract: { id: number; version: number }; client: { name: string }; terms: VersionRow }, locale: Locale = DEFAULT_LOCALE): string {
  return [tr(locale)('contract.summary', { id: p.contract.id, client: p.client.name, version: p.contract.version }), ...termsLines(p.terms, locale)].join('\n');
}
