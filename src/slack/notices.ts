import type { Config } from '../config.ts';
import { FUNCTIONS, messageKey, type Fn } from '../domain/index.ts';
import type { OutboxItem } from '../repos/outbox.ts';
import type { Notice, Render } from '../services/notices.ts';
import type { Fmt } from './ui/format.ts';
import { approvalRequest, decisionReply, outcomeReply, overdueList, overdueReply, signedReply, submitterNotice, versionReply } from './ui/messages/contract.ts';
import { dealWon, type Message } from './ui/messages/client.ts';
import { abcChart, abcTable, funnelChart, funnelMessage, segmentChangesMessage } from './ui/messages/analytics.ts';
import { quietAlertMessage, reviewsDigest } from './ui/messages/retention.ts';
import { checklistCreated, claimPackMessage, dunningStep, overdueByBucket, promiseBroken, taskReminder } from './ui/messages/invoice.ts';

/** Where each notice goes and how it reads. Pure: it runs inside the change's transaction. */
export function makeRender(config: Pick<Config, 'channels' | 'approvers'>, fmt: Fmt): Render {
  const channel = (fn: Fn) => config.channels[fn];
  const root = (contractId: number, fn: Fn) => messageKey.approvalRequest(contractId, fn);
  const post = (ch: string, m: Message, extra: Partial<OutboxItem> = {}): OutboxItem => ({ op: 'post', channel: ch, payload: { text: m.text, blocks: m.blocks }, ...extra });
  const reply = (contractId: number, fn: Fn, m: Message): OutboxItem => post(channel(fn), m, { threadKey: root(contractId, fn) });
  const refreshRoots = (n: { snap: Parameters<typeof approvalRequest>[0] }): OutboxItem[] =>
    FUNCTIONS.map((fn) => {
      const m = approvalRequest(n.snap, fn, fmt);
      return { op: 'update', channel: channel(fn), messageKey: root(n.snap.contract.id, fn), payload: { text: m.text, blocks: m.blocks } };
    });
  const mention = (fn: Fn) => config.approvers[fn].map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(' ');

  const one = (n: Notice): OutboxItem[] => {
    switch (n.kind) {
      case 'approval-requested':
        return FUNCTIONS.map((fn) => post(channel(fn), approvalRequest(n.snap, fn, fmt), { messageKey: root(n.snap.contract.id, fn) }));
      case 'version-submitted':
        return [...refreshRoots(n), ...FUNCTIONS.map((fn) => reply(n.snap.contract.id, fn, versionReply(n.snap, n.previous, n.by)))];
      case 'decided': {
        const id = n.snap.contract.id;
        const items = [...refreshRoots(n), reply(id, n.fn, decisionReply(n.snap, n.fn, n.decision, n.by, n.comment))];
        if (n.statusChanged) for (const fn of FUNCTIONS) items.push(reply(id, fn, outcomeReply(n.snap)));
        items.push(post(n.snap.contract.submittedBy, submitterNotice(n.snap, n.fn, n.decision, n.by, n.comment, fmt)));
        return items;
      }
      case 'signed':
        return [...refreshRoots(n), ...FUNCTIONS.map((fn) => reply(n.snap.contract.id, fn, signedReply(n.snap, n.by)))];
      case 'approval-overdue':
        return [reply(n.snap.contract.id, n.fn, overdueReply(n.snap, n.fn, n.dueAt, mention(n.fn), fmt))];
      case 'overdue-approvals':
        return [post(channel(n.fn), overdueList(n.fn, n.items, fmt))];
      case 'checklist-created': {
        const m = checklistCreated(n.snap, n.tasks);
        const people = [...new Set([n.snap.client.ownerId, ...n.tasks.map((t) => t.assignee)])];
        return people.map((u) => post(u, m));
      }
      case 'task-overdue':
        return [post(n.task.assignee, taskReminder(n.task, n.clientName, n.today))];
      case 'overdue-invoices': {
        const owners = new Map<string, typeof n.invoices>();
        for (const i of n.invoices) {
          const list = owners.get(i.ownerId);
          if (list) list.push(i);
          else owners.set(i.ownerId, [i]);
        }
        return [
          post(config.channels.finance, overdueByBucket(n.invoices, n.today, 'Overdue invoices')),
          ...[...owners].map(([owner, list]) => post(owner, overdueByBucket(list, n.today, 'Your overdue invoices'))),
        ];
      }
      case 'dunning-step':
        return [post(n.to ?? config.channels.sales, dunningStep(n.invoice, n.rung, n.action, n.to, n.today))];
      case 'promise-broken':
        return [post(n.invoice.ownerId, promiseBroken(n.invoice, n.promised, n.today))];
      case 'segment-changes': {
        const owners = new Map<string, typeof n.changes>();
        for (const c of n.changes) {
          const list = owners.get(c.ownerId);
          if (list) list.push(c);
          else owners.set(c.ownerId, [c]);
        }
        return [post(config.channels.sales, segmentChangesMessage(n.changes)), ...[...owners].map(([o, list]) => post(o, segmentChangesMessage(list, o)))];
      }
      case 'deal-won':
        return [post(config.channels.sales, dealWon(n))];
      case 'abc-digest':
        return [post(config.channels.sales, abcTable(n.summary)), { op: 'upload', channel: config.channels.sales, payload: { ...abcChart(n.summary) } }];
      case 'funnel-digest':
        return [post(config.channels.sales, funnelMessage(n.result)), { op: 'upload', channel: config.channels.sales, payload: { ...funnelChart(n.result) } }];
      case 'reviews-digest':
        return [...n.owners.map((o) => post(o.ownerId, reviewsDigest(o.ownerId, o.due, o.quiet))), ...n.quiet.map((q) => post(config.channels.sales, quietAlertMessage(q)))];
      case 'abc-chart':
        return [{ op: 'upload', channel: n.to, payload: { ...abcChart(n.summary) } }];
      case 'funnel-chart':
        return [{ op: 'upload', channel: n.to, payload: { ...funnelChart(n.result) } }];
      case 'home':
        return [];
      case 'claim-offered':
        return [post(config.channels.legal, claimPackMessage(n), { messageKey: messageKey.claim(n.claim.id) })];
      case 'claim-decided': {
        const m = claimPackMessage(n);
        const verdict = n.claim.status === 'opened' ? 'opened a claim' : 'sent the claim back to sales';
        const note = { text: `${`<@${n.claim.decidedBy}>`} ${verdict} for ${n.clientName} (claim #${n.claim.id})${n.claim.outcome ? `: ${n.claim.outcome}` : ''}.`, blocks: [] };
        return [
          { op: 'update', channel: config.channels.legal, messageKey: messageKey.claim(n.claim.id), payload: { text: m.text, blocks: m.blocks } },
          post(config.channels.legal, { text: note.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: note.text } }] }, { threadKey: messageKey.claim(n.claim.id) }),
          post(n.ownerId, { text: note.text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: note.text } }] }),
        ];
      }
    }
  };
  /** Whose App Home a notice changes: everyone it messages, plus the people of a contract. */
  const homeUsers = (n: Notice): string[] => {
    const users: string[] = [];
    if (n.kind === 'home') users.push(...n.users);
    if ('snap' in n) users.push(n.snap.contract.submittedBy, n.snap.client.ownerId, ...config.approvers.legal, ...config.approvers.finance);
    if ('invoice' in n) users.push(n.invoice.ownerId);
    if (n.kind === 'overdue-invoices') users.push(...n.invoices.map((i) => i.ownerId));
    return users.filter((u) => /^[UW]/.test(u));
  };
  return (notices) => {
    const items = notices.flatMap(one);
    // Everyone messaged directly, plus the people each notice concerns.
    const users = new Set([...items.filter((i) => /^[UW]/.test(i.channel)).map((i) => i.channel), ...notices.flatMap(homeUsers)]);
    return [...items, ...[...users].map((u): OutboxItem => ({ op: 'home', channel: u, payload: { text: 'App Home' } }))];
  };
}
