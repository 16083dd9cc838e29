import type { types } from '@slack/bolt';
import { FUNCTIONS, formatMoney, type ContractStatus, type Decision, type Fn, type LoyaltyException } from '../../../domain/index.ts';
import type { ApprovalRow, ContractListRow, ContractSnapshot, VersionRow } from '../../../repos/contracts.ts';
import type { ContractDetail } from '../../../services/contracts.ts';
import { ACTION, BLOCK, encodeClientId, encodeDecision } from '../../ids.ts';
import { toConfirm } from '../../../domain/loyalty.ts';
import { statusText } from '../../reply.ts';
import { clip, esc, fmtDateTime, money, plural, sectionsOf, user, type Fmt, type Message } from '../format.ts';

type Block = types.KnownBlock;

const FN_LABEL: Record<Fn, string> = { legal: 'Legal', finance: 'Finance' };
const DECISION_ICON: Record<Decision, string> = { approved: ':white_check_mark:', changes_requested: ':leftwards_arrow_with_hook:', rejected: ':x:' };
const DECISION_PAST: Record<Decision, string> = { approved: 'approved', changes_requested: 'requested changes to', rejected: 'rejected' };

export function fmtDiscount(bp: number): string {
  return `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')} %`;
}

/** Payment terms as people say them: "net 30 days", "net 1 day". */
export function net(days: number): string {
  return `net ${plural(days, 'day')}`;
}

export { money };

/** The terms of one version as mrkdwn lines. */
export function termsLines(t: VersionRow): string[] {
  return [
    `*Subject:* ${esc(t.subject)}`,
    `*Amount:* ${money(t)}  ·  *Payment terms:* ${net(t.netDays)}  ·  *Discount:* ${fmtDiscount(t.discountBp)}  ·  *Kind:* ${t.kind}`,
    ...(t.settlement ? [`*Settlement:* ${esc(t.settlement)}`] : []),
    ...(t.delivery ? [`*Delivery:* ${esc(t.delivery)}`] : []),
    ...(t.afterSales ? [`*After-sales:* ${esc(t.afterSales)}`] : []),
    ...(t.special ? [`*Special conditions:* ${esc(t.special)}`] : []),
  ];
}

export function exceptionText(e: LoyaltyException): string {
  switch (e.kind) {
    case 'discount':
      return `discount ${fmtDiscount(e.askedBp)} is above the segment's ${fmtDiscount(e.maxBp)}`;
    case 'net-days':
      return `payment terms ${net(e.asked)} are longer than the segment's ${e.max}`;
    case 'statutory-net-days':
      return `payment terms ${net(e.asked)} are longer than the ${plural(e.max, 'day')} the law allows between businesses (Commerce Act art. 303a)`;
    case 'credit-limit':
      return `exposure ${formatMoney(e.exposureMinor, e.currency)} (open invoices plus this contract) is above the credit limit ${formatMoney(e.limitMinor, e.currency)}`;
    case 'prepayment':
      return "the client's segment requires prepayment";
  }
}

/** The same exception in a checkbox's words: Slack cuts an option's text at 75 characters. */
export function exceptionLabel(e: LoyaltyException): string {
  switch (e.kind) {
    case 'discount':
      return `Discount ${fmtDiscount(e.askedBp)} (segment allows ${fmtDiscount(e.maxBp)})`;
    case 'net-days':
      return `Payment terms ${net(e.asked)} (segment allows ${net(e.max)})`;
    case 'statutory-net-days':
      return `Payment terms ${net(e.asked)} (the law allows ${plural(e.max, 'day')} between businesses)`;
    case 'credit-limit':
      return clip(`Exposure ${formatMoney(e.exposureMinor, e.currency)} over the credit limit ${formatMoney(e.limitMinor, e.currency)}`, 74);
    case 'prepayment':
      return 'Prepayment required by the segment';
  }
}

/**
 * Each function's line for one version. An approval nobody gave waits only while its version
 * is in play: once the other function rejected it or asked for changes (SPEC §3), or a newer
 * version replaced it, no one is waiting for that decision and it has no deadline.
 */
export function approvalLines(approvals: readonly ApprovalRow[], f: Fmt, replacedBy?: number): string[] {
  const closer = approvals.find((a) => a.decision === 'rejected' || a.decision === 'changes_requested');
  return FUNCTIONS.map((fn) => {
    const a = approvals.find((x) => x.fn === fn);
    if (a?.decision && a.decidedBy) {
      return `${FN_LABEL[fn]}: ${DECISION_ICON[a.decision]} ${a.decision.replace('_', ' ')} by ${user(a.decidedBy)} on ${fmtDateTime(f, a.decidedAt ?? 0)}${a.comment ? ` — _${esc(a.comment)}_` : ''}`;
    }
    if (closer?.decision) return `${FN_LABEL[fn]}: not needed (${closer.decision === 'rejected' ? 'rejected' : 'changes requested'} by ${closer.fn})`;
    if (replacedBy !== undefined) return `${FN_LABEL[fn]}: not needed (version ${replacedBy} replaced it)`;
    return `${FN_LABEL[fn]}: :hourglass_flowing_sand: waiting${a ? ` (due ${fmtDateTime(f, a.dueAt)})` : ''}`;
  });
}

function headline(s: ContractSnapshot): string {
  return `Contract #${s.contract.id} · ${s.client.name} · v${s.contract.version}`;
}

/**
 * The message in the legal or finance channel. It is updated in place after every change,
 * so it always shows the current version, both functions' decisions, and buttons only while
 * this function still has to decide.
 */
export function approvalRequest(s: ContractSnapshot, fn: Fn, f: Fmt): Message {
  const mine = s.approvals.find((a) => a.fn === fn);
  const status = s.contract.status;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`${FN_LABEL[fn]} approval: ${headline(s)}`, 149) } },
    ...sectionsOf([...termsLines(s.terms), `*Submitted by* ${user(s.terms.submittedBy)} on ${fmtDateTime(f, s.terms.submittedAt)}`]),
    ...(fn === 'finance' && toConfirm(s.terms.exceptions).length > 0
      ? sectionsOf([':warning: *Beyond the loyalty policy* — finance confirms each to approve:', ...toConfirm(s.terms.exceptions).map((e) => `• ${exceptionText(e)}`)])
      : []),
    ...(s.terms.exceptions.some((e) => e.kind === 'prepayment') ? sectionsOf([":moneybag: *Prepayment required* by the client's segment."]) : []),
    { type: 'context', elements: [{ type: 'mrkdwn', text: approvalLines(s.approvals, f).join('\n') }] },
  ];
  if (status === 'pending' && !mine?.decision) {
    const value = encodeDecision({ contractId: s.contract.id, version: s.contract.version, fn });
    blocks.push({
      type: 'actions',
      block_id: BLOCK.decisionActions,
      elements: [
        { type: 'button', action_id: ACTION.approve, text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value },
        { type: 'button', action_id: ACTION.requestChanges, text: { type: 'plain_text', text: 'Request changes' }, value },
        { type: 'button', action_id: ACTION.reject, text: { type: 'plain_text', text: 'Reject' }, style: 'danger', value },
      ],
    });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Status:* ${statusLine(s)}` } });
  }
  const text = `${FN_LABEL[fn]} approval needed: contract #${s.contract.id} for ${s.client.name}, ${money(s.terms)}, ${net(s.terms.netDays)} (v${s.contract.version}) — ${statusText(status)}`;
  return { text, blocks };
}

export function statusLine(s: ContractSnapshot): string {
  switch (s.contract.status) {
    case 'approved':
      return ':white_check_mark: approved by legal and finance — ready to sign';
    case 'signed':
      return `:black_nib: signed by ${user(s.contract.signedBy ?? '')}`;
    case 'rejected':
      return ':x: rejected';
    case 'changes_requested':
      return ':leftwards_arrow_with_hook: changes requested — waiting for a new version from sales';
    case 'pending':
      return ':hourglass_flowing_sand: waiting for the other approval';
  }
}

export function decisionReply(s: ContractSnapshot, fn: Fn, decision: Decision, by: string, comment: string | null): Message {
  const text = `${DECISION_ICON[decision]} ${user(by)} ${DECISION_PAST[decision]} version ${s.contract.version} for ${fn}.${comment ? `\n>${esc(comment).replace(/\n/g, '\n>')}` : ''}`;
  return { text, blocks: sectionsOf([text]) };
}

export function outcomeReply(s: ContractSnapshot): Message {
  const next: Partial<Record<ContractStatus, string>> = {
    approved: `Contract #${s.contract.id} is *approved* by legal and finance. ${user(s.contract.submittedBy)} can sign it: \`/contract sign #${s.contract.id}\`.`,
    rejected: `Contract #${s.contract.id} is *rejected*. No further decision is needed on it; the deal goes back to proposal, so sales can draft a new contract.`,
    changes_requested: `Changes were requested on contract #${s.contract.id}: no decision is needed until ${user(s.contract.submittedBy)} submits a new version.`,
  };
  const text = next[s.contract.status] ?? `Contract #${s.contract.id} is ${statusText(s.contract.status)}.`;
  return { text, blocks: sectionsOf([text]) };
}

/** What the submitter hears of a decision, by DM, with the next step as a button once the version is decided. */
export function submitterNotice(s: ContractSnapshot, fn: Fn, decision: Decision, by: string, comment: string | null, f: Fmt): Message {
  const lines = [
    `${DECISION_ICON[decision]} ${user(by)} (${fn}) ${DECISION_PAST[decision]} your contract #${s.contract.id} for *${esc(s.client.name)}* (version ${s.contract.version}).`,
    ...(comment ? [`>${esc(comment).replace(/\n/g, '\n>')}`] : []),
    `*Status:* ${statusLine(s)}`,
    approvalLines(s.approvals, f).join('\n'),
  ];
  const blocks: Block[] = sectionsOf(lines);
  const next = nextStep(s);
  if (next) blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: next.action, text: { type: 'plain_text', text: next.label }, style: 'primary', value: next.value }] });
  return { text: lines[0]!, blocks };
}

/** SPEC §3: the submitter's next step is a button in the DM that tells them of the outcome. */
function nextStep(s: ContractSnapshot): { action: string; label: string; value: string } | undefined {
  switch (s.contract.status) {
    case 'changes_requested':
      return { action: ACTION.contractEdit, label: 'Edit contract', value: String(s.contract.id) };
    case 'approved':
      return { action: ACTION.contractSign, label: 'Sign', value: String(s.contract.id) };
    case 'rejected':
      return { action: ACTION.clientNewContract, label: 'New contract', value: encodeClientId(s.client.id) };
    default:
      return undefined;
  }
}

const TERM_NAMES: [keyof VersionRow, string, (v: VersionRow) => string][] = [
  ['subject', 'subject', (v) => v.subject],
  ['amountMinor', 'amount', (v) => money(v)],
  ['currency', 'currency', (v) => v.currency],
  ['netDays', 'payment terms', (v) => net(v.netDays)],
  ['discountBp', 'discount', (v) => fmtDiscount(v.discountBp)],
  ['kind', 'kind', (v) => v.kind],
  ['settlement', 'settlement', (v) => v.settlement ?? '–'],
  ['delivery', 'delivery', (v) => v.delivery ?? '–'],
  ['afterSales', 'after-sales', (v) => v.afterSales ?? '–'],
  ['special', 'special conditions', (v) => v.special ?? '–'],
];

export function versionReply(s: ContractSnapshot, previous: VersionRow, by: string): Message {
  const changed = TERM_NAMES.filter(([k]) => previous[k] !== s.terms[k] && !(k === 'currency' && previous.amountMinor !== s.terms.amountMinor)).map(
    ([, name, show]) => `• ${name}: ${esc(clip(show(previous), 199))} → ${esc(clip(show(s.terms), 199))}`,
  );
  const lines = [
    `:arrows_counterclockwise: ${user(by)} submitted *version ${s.contract.version}* of contract #${s.contract.id}. Both approvals start again.`,
    ...(changed.length > 0 ? ['*What changed:*', ...changed] : ['_No terms changed._']),
  ];
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}

/** The answer to whoever signed, from `/contract sign` or the Sign button. */
export function contractSignedText(s: ContractSnapshot): string {
  return `:black_nib: Contract #${s.contract.id} for *${esc(s.client.name)}* is signed; the deal moves to delivery.`;
}

export function signedReply(s: ContractSnapshot, by: string): Message {
  const text = `:black_nib: ${user(by)} signed contract #${s.contract.id} (version ${s.contract.version}). The deal moves to delivery.`;
  return { text, blocks: sectionsOf([text]) };
}

export function overdueReply(s: ContractSnapshot, fn: Fn, dueAt: number, approvers: string, f: Fmt): Message {
  const text = `:alarm_clock: Reminder: this contract has waited for a ${fn} decision since ${fmtDateTime(f, s.terms.submittedAt)}; it was due ${fmtDateTime(f, dueAt)}. ${approvers}`;
  return { text, blocks: sectionsOf([text]) };
}

export function overdueList(fn: Fn, items: { snap: ContractSnapshot; dueAt: number }[], f: Fmt): Message {
  const head = `:alarm_clock: *${FN_LABEL[fn]} approvals past their deadline* (${items.length})`;
  const lines = items.slice(0, 40).map((i) => `• Contract #${i.snap.contract.id} · *${esc(i.snap.client.name)}* · ${money(i.snap.terms)} · due ${fmtDateTime(f, i.dueAt)} · from ${user(i.snap.contract.submittedBy)}`);
  const more = items.length > 40 ? [`_…and ${items.length - 40} more._`] : [];
  return { text: `${FN_LABEL[fn]} approvals past their deadline: ${items.length}`, blocks: sectionsOf([head, ...lines, ...more]) };
}

export function contractSubmitted(s: ContractSnapshot, f: Fmt, resubmitted: boolean): Message {
  const lines = contractSubmittedLines(s, f, resubmitted);
  return { text: lines[0]!, blocks: sectionsOf(lines) };
}

export function contractSubmittedLines(s: ContractSnapshot, f: Fmt, resubmitted: boolean): string[] {
  const head = resubmitted
    ? `:arrows_counterclockwise: Version ${s.contract.version} of contract *#${s.contract.id}* for *${esc(s.client.name)}* is with legal and finance again.`
    : `:outbox_tray: Contract *#${s.contract.id}* for *${esc(s.client.name)}* is submitted to legal and finance for approval.`;
  return [
    head,
    ...termsLines(s.terms),
    ...(toConfirm(s.terms.exceptions).length > 0 ? [`:warning: Beyond the loyalty policy, for finance to confirm: ${toConfirm(s.terms.exceptions).map(exceptionText).join('; ')}.`] : []),
    ...(s.terms.exceptions.some((e) => e.kind === 'prepayment') ? [":moneybag: The client's segment requires prepayment."] : []),
    approvalLines(s.approvals, f).join('\n'), 'You will hear of each decision by DM.'];
}

export function contractDetail(d: ContractDetail, f: Fmt): Message {
  const s = d.snap;
  const lines = [
    `*${esc(headline(s))}* — ${statusText(s.contract.status)}`,
    ...termsLines(s.terms),
    `*Status:* ${statusLine(s)}`,
    `*Versions* (${d.versions.length})`,
    ...d.versions
      .slice()
      .reverse()
      .map((v) => {
        const replacedBy = v.version < s.contract.version ? v.version + 1 : undefined;
        const decisions = approvalLines(d.approvals.filter((a) => a.version === v.version), f, replacedBy).join(' · ');
        return `• v${v.version} by ${user(v.submittedBy)} on ${fmtDateTime(f, v.submittedAt)}: ${money(v)}, ${net(v.netDays)}, discount ${fmtDiscount(v.discountBp)}\n   ${decisions}`;
      }),
  ];
  return { text: `Contract #${s.contract.id} for ${s.client.name}: ${statusText(s.contract.status)}`, blocks: sectionsOf(lines) };
}

export function contractList(rows: ContractListRow[], total: number, status: ContractStatus | undefined): Message {
  if (rows.length === 0) {
    const text = status ? `No contracts are ${statusText(status)}.` : 'No contracts yet. Draft one with `/contract new <client>`.';
    return { text, blocks: sectionsOf([text]) };
  }
  const head = `*Contracts${status ? ` ${statusText(status)}` : ''}* (${total})`;
  const lines = rows.map((r) => `• #${r.id} *${esc(r.clientName)}* · ${esc(clip(r.subject, 59))} · ${money(r)} · v${r.version} · ${statusText(r.status)}`);
  const more = total > rows.length ? [`_…and ${total - rows.length} more._`] : [];
  return { text: plural(total, 'contract'), blocks: sectionsOf([head, ...lines, ...more]) };
}

