import type { Config } from '../config.ts';
import { FUNCTIONS, messageKey, type Fn } from '../domain/index.ts';
import type { OutboxItem } from '../repos/outbox.ts';
import type { Notice, Render } from '../services/notices.ts';
import type { Locale } from '../domain/locales.ts';
import type { ChartUpload } from '../charts/spec.ts';
import { loc, type Fmt } from './ui/format.ts';
import { approvalRequest, decisionReply, outcomeReply, overdueList, overdueReply, signedReply, submitterNotice, versionReply } from './ui/messages/contract.ts';
import { dealWon, type Message } from './ui/messages/client.ts';
import { abcChart, abcTable, funnelChart, funnelMessage, segmentChangesMessage } from './ui/messages/analytics.ts';
import { quietAlertMessage, reviewsDigest } from './ui/messages/retention.ts';
import { checklistCreated, claimDecidedNote, claimPackMessage, dunningDigest, dunningStep, overdueByBucket, promiseBroken, taskReminder } from './ui/messages/invoice.ts';

/**
 * Where each notice goes and how it reads. Pure: it runs inside the change's transaction.
 * A channel post (and an approval request updated in place, whoever clicked) reads in the
 * workspace's language, `fmt.locale`; a DM reads in its recipient's (`localeOf`, SPEC §5).
 */
export function makeRender(config: Pick<Config, 'channels' | 'approvers'>, fmt: Fmt, localeOf?: (userId: string) => Locale): Render {
  const workspace = loc(fmt);
  /** The language of whoever reads `ch`: a person's own for a DM, the workspace's for a channel. */
  const langOf = (ch: string): Locale => (isPerson(ch) ? (localeOf?.(ch) ?? workspace) : workspace);
  const fmtOf = (ch: string): Fmt => ({ ...fmt, locale: langOf(ch) });
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
  const upload = (to: string, u: ChartUpload): OutboxItem => ({ op: 'upload', channel: to, payload: { ...u } });

  const one = (n: Notice): OutboxItem[] => {
    switch (n.kind) {
      case 'approval-requested':
        return FUNCTIONS.map((fn) => post(channel(fn), approvalRequest(n.snap, fn, fmt), { messageKey: root(n.snap.contract.id, fn) }));
      case 'version-submitted':
        return [...refreshRoots(n), ...FUNCTIONS.map((fn) => reply(n.snap.contract.id, fn, versionReply(n.snap, n.previous, n.by, workspace)))];
      case 'decided': {
        const id = n.snap.contract.id;
        const items = [...refreshRoots(n), reply(id, n.fn, decisionReply(n.snap, n.fn, n.decision, n.by, n.comment, workspace))];
        if (n.statusChanged) for (const fn of FUNCTIONS) items.push(reply(id, fn, outcomeReply(n.snap, workspace)));
        const to = n.snap.contract.submittedBy;
        items.push(post(to, submitterNotice(n.snap, n.fn, n.decision, n.by, n.comment, fmtOf(to))));
        return items;
      }
      case 'signed':
        return [...refreshRoots(n), ...FUNCTIONS.map((fn) => reply(n.snap.contract.id, fn, signedReply(n.snap, n.by, workspace)))];
      case 'approval-overdue':
        return [reply(n.snap.contract.id, n.fn, overdueReply(n.snap, n.fn, n.dueAt, mention(n.fn), fmt))];
      case 'overdue-approvals':
        return [post(channel(n.fn), overdueList(n.fn, n.items, fmt))];
      case 'checklist-created': {
        const people = [...new Set([n.snap.client.ownerId, ...n.tasks.map((t) => t.assignee)])];
        return people.map((u) => post(u, checklistCreated(n.snap, n.tasks, langOf(u))));
      }
      case 'task-overdue':
        return [post(n.task.assignee, taskReminder(n.task, n.clientName, n.today, langOf(n.task.assignee)))];
      case 'overdue-invoices': {
        const owners = new Map<string, typeof n.invoices>();
        for (const i of n.invoices) {
          const list = owners.get(i.ownerId);
          if (list) list.push(i);
          else owners.set(i.ownerId, [i]);
        }
        return [
          post(config.channels.finance, overdueByBucket(n.invoices, n.today, { kind: 'all' }, workspace)),
          ...[...owners].map(([owner, list]) => post(owner, overdueByBucket(list, n.today, { kind: 'mine' }, langOf(owner)))),
        ];
      }
      case 'dunning-step': {
        const to = n.to ?? config.channels.sales;
        return [post(to, dunningStep(n.invoice, n.rung, n.action, n.to, n.today, langOf(to)))];
      }
      case 'promise-broken':
        return [post(n.invoice.ownerId, promiseBroken(n.invoice, n.promised, n.today, langOf(n.invoice.ownerId)))];
      case 'dunning-digest': {
        const to = n.to ?? config.channels.sales;
        return dunningDigest(n.items, n.to === null ? 'channel' : 'person', n.today, langOf(to)).map((m) => post(to, m));
      }
      case 'segment-changes': {
        const owners = new Map<string, typeof n.changes>();
        for (const c of n.changes) {
          const list = owners.get(c.ownerId);
          if (list) list.push(c);
          else owners.set(c.ownerId, [c]);
        }
        return [post(config.channels.sales, segmentChangesMessage(n.changes, undefined, workspace)), ...[...owners].map(([o, list]) => post(o, segmentChangesMessage(list, o, langOf(o))))];
      }
      case 'deal-won':
        return [post(config.channels.sales, dealWon(n, workspace))];
      case 'abc-digest':
        return [post(config.channels.sales, abcTable(n.summary, workspace)), upload(config.channels.sales, abcChart(n.summary, workspace))];
      case 'funnel-digest':
        return [post(config.channels.sales, funnelMessage(n.result, workspace)), upload(config.channels.sales, funnelChart(n.result, workspace))];
      case 'reviews-digest':
        return [...n.owners.map((o) => post(o.ownerId, reviewsDigest(o.ownerId, o.due, o.quiet, langOf(o.ownerId)))), ...n.quiet.map((q) => post(config.channels.sales, quietAlertMessage(q, workspace)))];
      case 'abc-chart':
        return [upload(n.to, abcChart(n.summary, langOf(n.to)))];
      case 'funnel-chart':
        return [upload(n.to, funnelChart(n.result, langOf(n.to)))];
      case 'home':
        return [];
      case 'claim-offered':
        return [post(config.channels.legal, claimPackMessage({ ...n, locale: workspace }), { messageKey: messageKey.claim(n.claim.id) })];
      case 'claim-decided': {
        const m = claimPackMessage({ ...n, locale: workspace });
        const note = (locale: Locale): Message => {
          const text = claimDecidedNote(n.claim, n.clientName, locale);
          return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
        };
        return [
          { op: 'update', channel: config.channels.legal, messageKey: messageKey.claim(n.claim.id), payload: { text: m.text, blocks: m.blocks } },
          post(config.channels.legal, note(workspace), { threadKey: messageKey.claim(n.claim.id) }),
          post(n.ownerId, note(langOf(n.ownerId))),
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
    // One by one: a spread of a digest's tens of thousands of invoices overflows the call stack.
    if (n.kind === 'overdue-invoices') for (const i of n.invoices) users.push(i.ownerId);
    if (n.kind === 'dunning-digest') for (const i of n.items) users.push(i.invoice.ownerId);
    return users.filter(isPerson);
  };
  return (notices) => {
    const items = notices.flatMap(one);
    // Everyone messaged directly, plus the people each notice concerns.
    const users = new Set([...items.filter((i) => isPerson(i.channel)).map((i) => i.channel), ...notices.flatMap(homeUsers)]);
    return [...items, ...[...users].map((u): OutboxItem => ({ op: 'home', channel: u, payload: { text: 'App Home' } }))];
  };
}

/** A user id (a DM), not a channel. */
function isPerson(ch: string): boolean {
  return /^[UW]/.test(ch);
}
