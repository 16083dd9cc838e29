import type { types } from '@slack/bolt';
import { daysBetween, formatMoney, STAGES } from '../../../domain/index.ts';
import type { HomeData } from '../../../services/home.ts';
import { ACTION } from '../../ids.ts';
import { esc, fmtDateTime, plural, user, type Fmt } from '../format.ts';

type Block = types.KnownBlock;

/** The App Home dashboard (SPEC §3): clients by stage, decisions waiting, overdue invoices, common actions. */
export function homeView(d: HomeData, f: Fmt): types.HomeView {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: 'dealdesk' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${user(d.userId)} · ${d.today}` }] },
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTION.homeNewContract, text: { type: 'plain_text', text: 'New contract' }, style: 'primary', value: 'new' },
        { type: 'button', action_id: ACTION.homeRefresh, text: { type: 'plain_text', text: 'Refresh' }, value: 'refresh' },
      ],
    },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Your clients by stage*' } },
  ];
  const byStage = STAGES.map((s) => {
    const lines = d.stages.filter((l) => l.stage === s);
    const count = lines.reduce((n, l) => n + l.clients, 0);
    const values = lines.filter((l) => l.currency && l.valueMinor > 0).map((l) => formatMoney(l.valueMinor, l.currency!));
    return { s, count, values };
  }).filter((x) => x.count > 0);
  blocks.push(
    byStage.length === 0
      ? { type: 'section', text: { type: 'mrkdwn', text: '_No clients yet. Add one with `/client add <name>`._' } }
      : { type: 'section', fields: byStage.slice(0, 10).map((x) => ({ type: 'mrkdwn' as const, text: `*${x.s}*\n${plural(x.count, 'client')}${x.values.length > 0 ? ` · ${x.values.join(' + ')}` : ''}` })) },
  );
  if (d.fns.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: `*Waiting for your decision* (${d.fns.join(', ')})` } });
    blocks.push(
      d.approvals.length === 0
        ? { type: 'section', text: { type: 'mrkdwn', text: '_Nothing waits for you._ :tada:' } }
        : {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: d.approvals
                .map((a) => `• Contract #${a.contractId} v${a.version} · *${esc(a.clientName)}* · ${esc(a.subject.slice(0, 60))} · ${formatMoney(a.amountMinor, a.currency)} · ${a.fn} · from ${user(a.submittedBy)} · due ${fmtDateTime(f, a.dueAt)}`)
                .join('\n')
                .slice(0, 2900),
            },
          },
    );
    if (d.approvals.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Decide with the buttons on each request in the legal and finance channels.' }] });
  }
  blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: '*Your overdue invoices*' } });
  blocks.push(
    d.overdue.length === 0
      ? { type: 'section', text: { type: 'mrkdwn', text: '_None overdue._' } }
      : {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: d.overdue
              .map((i) => `• #${i.id} ${i.number} · *${esc(i.clientName)}* · ${formatMoney(i.owedMinor, i.currency)} owed · due ${i.dueDate} · *${plural(daysBetween(i.dueDate, d.today), 'day')} late*`)
              .join('\n')
              .slice(0, 2900),
          },
        },
  );
  return { type: 'home', blocks };
}
