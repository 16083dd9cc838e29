import type { types } from '@slack/bolt';
import { daysBetween, FUNCTIONS, STAGES } from '../../../domain/index.ts';
import { formatDate, formatMoney, label, tr, type Locale } from '../../../i18n/index.ts';
import type { HomeData } from '../../../services/home.ts';
import { ACTION } from '../../ids.ts';
import { daysText, esc, fmtDateTime, loc, owedOn, sectionsOf, user, type Fmt } from '../format.ts';
import { dunningButtons } from '../messages/invoice.ts';

type Block = types.KnownBlock;

/** The App Home dashboard (SPEC §3): clients by stage, decisions waiting, overdue invoices, common actions. */
export function homeView(d: HomeData, f: Fmt): types.HomeView {
  const locale = loc(f);
  const m = tr(locale);
  const fnText = (fn: string) => ((FUNCTIONS as readonly string[]).includes(fn) ? label(locale, 'fn', fn as (typeof FUNCTIONS)[number]) : fn);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'dealdesk' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${user(d.userId)} · ${formatDate(d.today, locale)}` }] },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.homeNewContract, text: { type: 'plain_text', text: m('home.newContract') }, style: 'primary', value: 'new' },
        { type: 'button', action_id: ACTION.homeRefresh, text: { type: 'plain_text', text: m('home.refresh') }, value: 'refresh' },
      ],
    },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: m('home.byStage') } },
  ];
  const byStage = STAGES.map((s) => {
    const lines = d.stages.filter((l) => l.stage === s);
    const count = lines.reduce((n, l) => n + l.clients, 0);
    const values = lines.filter((l) => l.currency && l.valueMinor > 0).map((l) => formatMoney(l.valueMinor, l.currency!, locale));
    return { s, count, values };
  }).filter((x) => x.count > 0);
  blocks.push(
    byStage.length === 0
      ? { type: 'section', text: { type: 'mrkdwn', text: m('home.noClients') } }
      : { type: 'section', fields: byStage.slice(0, 10).map((x) => ({ type: 'mrkdwn' as const, text: m('home.stageField', { stage: label(locale, 'stage', x.s), clients: m('n.clients', { n: x.count }), values: x.values.length > 0 ? ` · ${x.values.join(' + ')}` : '' }) })) },
  );
  if (d.fns.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: m('home.waiting', { fns: d.fns.map(fnText).join(', ') }) } });
    blocks.push(
      d.approvals.length === 0
        ? { type: 'section', text: { type: 'mrkdwn', text: m('home.nothingWaits') } }
        : {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: d.approvals
                .map((a) => m('home.approvalLine', { id: a.contractId, version: a.version, client: esc(a.clientName), subject: esc(a.subject.slice(0, 60)), amount: formatMoney(a.amountMinor, a.currency, locale), fn: fnText(a.fn), user: user(a.submittedBy), due: fmtDateTime(f, a.dueAt) }))
                .join('\n')
                .slice(0, 2900),
            },
          },
    );
    if (d.approvals.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: m('home.decideHint') }] });
  }
  blocks.push(...dunningBlocks(d, f));
  blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: m('home.overdue') } });
  blocks.push(
    d.overdue.length === 0
      ? { type: 'section', text: { type: 'mrkdwn', text: m('home.noneOverdue') } }
      : {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: d.overdue
              .map((i) => m('home.overdueLine', { id: i.id, number: i.number, client: esc(i.clientName), owed: owedMoney({ amountMinor: i.owedMinor, paidMinor: 0, currency: i.currency }, d.today, locale), due: formatDate(i.dueDate, locale), days: m('n.days', { n: daysBetween(i.dueDate, d.today) }) }))
              .join('\n')
              .slice(0, 2900),
          },
        },
  );
  if (d.reviewsDue !== undefined) {
    const lines = d.reviewsDue.slice(0, 20).map((r) =>
      m('home.reviewLine', {
        client: esc(r.name),
        id: r.clientId,
        segment: label(locale, 'segment', r.segment),
        due: formatDate(r.nextOn, locale),
        late: r.overdueDays > 0 ? m('home.reviewLate', { days: m('n.days', { n: r.overdueDays }) }) : '',
        last: r.lastReviewOn ? m('home.lastReview', { date: formatDate(r.lastReviewOn, locale) }) : m('home.neverReviewed'),
      }),
    );
    blocks.push(...listBlocks(m('home.reviews'), m('home.noReviews'), lines, m('home.reviewHint')));
  }
  if (d.quiet !== undefined) {
    const gap = (n: number) => daysText(n, locale);
    const lines = d.quiet.slice(0, 20).map((q) =>
      m('home.quietLine', {
        client: esc(q.name),
        id: q.clientId,
        segment: label(locale, 'segment', q.segment),
        days: m('n.days', { n: q.rhythm.daysSilent }),
        gap: gap(q.rhythm.usualGapDays),
        last: formatDate(q.rhythm.lastInvoiceOn, locale),
      }),
    );
    blocks.push(...listBlocks(m('home.quiet'), m('home.noQuiet'), lines));
  }
  return { type: 'home', blocks };
}

const RUNGS = ['remind-owner', 'call-client', 'tell-manager'] as const;

/** The dunning rungs waiting for this person, each with the buttons of its digest entry (issue 15: what a digest could not show). */
function dunningBlocks(d: HomeData, f: Fmt): Block[] {
  const dunning = d.dunning ?? { items: [], total: 0 };
  if (dunning.total === 0) return [];
  const locale = loc(f);
  const m = tr(locale);
  const blocks: Block[] = [{ type: 'divider' }, ...sectionsOf([m('home.dunning', { n: dunning.total })])];
  for (const i of dunning.items) {
    const rung = (RUNGS as readonly string[]).includes(i.action) ? m(`rungShort.${i.action as (typeof RUNGS)[number]}`) : esc(i.action);
    blocks.push(...sectionsOf([m('home.dunningLine', { id: i.invoiceId, number: i.number, client: esc(i.clientName), owed: owedMoney(i, d.today, locale), days: m('n.days', { n: Math.max(0, daysBetween(i.dueDate, d.today)) }), rung })]));
    blocks.push(dunningButtons(i.invoiceId, i.rung, locale));
  }
  if (dunning.total > dunning.items.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: m('home.dunningMore', { n: dunning.total - dunning.items.length }) }] });
  return blocks;
}

/** What is owed as of today, in the currency owed then (a BGN balance in EUR from the changeover, SPEC §5). */
function owedMoney(i: { amountMinor: number; paidMinor: number; currency: string }, today: string, locale: Locale): string {
  const o = owedOn(i, today);
  return formatMoney(o.minor, o.currency, locale);
}

/** A titled list of lines (one section, within Slack's 3,000 characters), or what to say when there are none. */
function listBlocks(title: string, none: string, lines: string[], hint?: string): Block[] {
  return [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: title } },
    { type: 'section', text: { type: 'mrkdwn', text: lines.length === 0 ? none : lines.join('\n').slice(0, 2900) } },
    ...(hint && lines.length > 0 ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: hint }] }] : []),
  ];
}
