import type { InvoiceUsage } from '../input/invoice.ts';
import { JOB_NAMES } from '../../domain/jobs.ts';
import type { ContractUsage } from '../input/contract.ts';
import type { ClientUsage } from '../input/client.ts';

interface UsageLine {
  usage: string;
  example: string;
}

/** One usage line with its example, or every line of a command (`all`). */
function usageOf<K extends string>(table: Record<K, UsageLine>, command: string, which: K | 'all'): string {
  if (which === 'all') return ['*Usage:*', ...Object.values<UsageLine>(table).map((u) => `\`${u.usage}\``), `\`${command} help\``].join('\n');
  const u = table[which];
  return `*Usage:* \`${u.usage}\`\n*Example:* \`${u.example}\``;
}

/** A command's help: every usage line with its example, then the notes. */
function helpOf(title: string, table: Record<string, UsageLine>, notes: string[]): string {
  return [`*dealdesk — ${title}*`, ...Object.values(table).map((u) => `• \`${u.usage}\`\n   e.g. \`${u.example}\``), ...notes].join('\n');
}

/** Usage lines, with an example each (SPEC §3). */
export const CLIENT_USAGE: Record<Exclude<ClientUsage, 'all'>, { usage: string; example: string }> = {
  add: { usage: '/client add <name> [owner:@user] [contact:<text>] [eik:<ЕИК>] [vat:<BG…>]', example: '/client add Acme Ltd owner:@maria contact:ivan@acme.bg eik:175074752 vat:BG175074752' },
  set: { usage: '/client set <name | #id> [owner:@user] [contact:<text>] [eik:<ЕИК>] [vat:<BG…>]', example: '/client set Acme Ltd owner:@maria contact:Ivan Petrov +359 88 123 4567' },
  show: { usage: '/client <name | #id | eik:<ЕИК>>', example: '/client Acme Ltd  or  /client #12  or  /client eik:175074752' },
  list: { usage: '/client list [stage:<stage>] [segment:A|B|C] [owner:me|@user]', example: '/client list stage:proposal owner:me' },
  move: { usage: '/client move <name | #id> <stage> [value:<amount> <CUR>] [close:<YYYY-MM-DD>]', example: '/client move Acme Ltd proposal value:12000 EUR close:2027-01-31' },
  lost: { usage: '/client lost <name | #id> <reason>', example: '/client lost #12 went with a competitor' },
  history: { usage: '/client history <name | #id>', example: '/client history Acme Ltd' },
};

export function clientUsageText(which: ClientUsage): string {
  return usageOf(CLIENT_USAGE, '/client', which);
}

export function clientHelpText(): string {
  return helpOf('clients', CLIENT_USAGE, [
    'Stages: lead → qualified → proposal → contract → delivery → payment → won, or lost (with a reason) before delivery.',
    'You move deals between lead, qualified and proposal; the rest follow the contract, its signature, the invoice and the payment.',
    'Names may contain spaces and any alphabet; `#N` works wherever a name does.',
  ]);
}

export const CONTRACT_USAGE: Record<Exclude<ContractUsage, 'all'>, { usage: string; example: string }> = {
  new: {
    usage: '/contract new <client> [amount:<n> <CUR>] [net:<days>] [discount:<pct>] [kind:goods|services] [subject:<text>]',
    example: '/contract new Acme Ltd amount:12500 EUR net:30 kind:goods subject:Steel beams, 40 t',
  },
  show: { usage: '/contract <#id>', example: '/contract #12' },
  list: { usage: '/contract list [pending|approved|changes|rejected|signed]', example: '/contract list pending' },
  sign: { usage: '/contract sign <#id>', example: '/contract sign #12' },
  edit: { usage: '/contract edit <#id>', example: '/contract edit #12' },
};

export function contractUsageText(which: ContractUsage): string {
  return usageOf(CONTRACT_USAGE, '/contract', which);
}

export function contractHelpText(): string {
  return helpOf('contracts', CONTRACT_USAGE, [
    'With every required field (amount, net, kind, subject) the contract goes straight to legal and finance; with any missing, a form opens prefilled with what you typed.',
    'Both approvals → approved; one rejection → rejected; a change request sends it back to you for a new version, which both approve again.',
  ]);
}

export function dealdeskUsageText(which: 'all' | 'digest'): string {
  const digest = `\`/dealdesk digest <${JOB_NAMES.join('|')}>\` (admins)`;
  return which === 'digest' ? `*Usage:* ${digest}\n*Example:* \`/dealdesk digest approvals\`` : `*Usage:* \`/dealdesk help\` · ${digest}`;
}

/** The overview `/dealdesk help` gives: every command with an example. */
export function dealdeskHelpText(): string {
  return [
    '*dealdesk* runs your work with clients: attract, contract, delivery, payment.',
    ...Object.values(CLIENT_USAGE).map((u) => `• \`${u.usage}\``),
    ...Object.values(CONTRACT_USAGE).map((u) => `• \`${u.usage}\``),
    `• \`${DELIVERY_USAGE.usage}\``,
    ...Object.values(INVOICE_USAGE).map((u) => `• \`${u.usage}\``),
    `• \`${ABC_USAGE.usage}\``,
    `• \`${FUNNEL_USAGE.usage}\``,
    `• \`/dealdesk digest <${JOB_NAMES.join('|')}>\` — run a scheduled digest now (admins)`,
    'Each command answers `help` with examples, e.g. `/client help`.',
  ].join('\n');
}

export const INVOICE_USAGE: Record<Exclude<InvoiceUsage, 'all'>, { usage: string; example: string }> = {
  add: {
    usage: '/invoice add <client> <amount> <CUR> [number:<n>] [issued:<date>] [due:<date> | net:<days>] [contract:<#id>] [margin:<n>] [line:<product line>]',
    example: '/invoice add Acme Ltd 12500 EUR contract:#12 margin:3100 line:steel beams',
  },
  list: { usage: '/invoice list [overdue] [<client>]', example: '/invoice list overdue' },
  pay: { usage: '/invoice pay <#id> <amount> [date:<date>] [ref:<text>]', example: '/invoice pay #7 200 ref:BNK-2026-1187' },
  promise: { usage: '/invoice promise <#id> <date>', example: '/invoice promise #7 2026-12-15' },
  interest: { usage: '/invoice interest <#id> [date:<date>]', example: '/invoice interest #7 date:2026-03-01' },
};

export function invoiceUsageText(which: InvoiceUsage): string {
  return usageOf(INVOICE_USAGE, '/invoice', which);
}

export function invoiceHelpText(): string {
  return helpOf('invoices and payments', INVOICE_USAGE, [
    'The due date comes from `due:`, else `net:`, else the contract\'s payment terms, else the policy default, counted from the issue date. An invoice is overdue from the day after its due date while anything is owed.',
    '`number:` takes the invoice\'s 10-digit number from the books (unique); without it the counter numbers it. `issued:` (default today, never later) records an older invoice. A `<date>` is YYYY-MM-DD or DD.MM.YYYY.',
    'Overdue invoices go through the dunning ladder (reminder, call, manager, then legal); a promise to pay pauses it until its date.',
    '`interest` states the statutory late-payment interest to a date (default today): each day from the day after the due date, on what was unpaid at its end, at 1/360 of the half-year\'s rate (policy `claims.interestRates`), a line per half-year, plus the fixed recovery compensation (policy `claims.recoveryCompensation`). The claim pack for legal shows the same.',
  ]);
}

export const DELIVERY_USAGE = { usage: '/delivery <#contract>', example: '/delivery #12' };

export function deliveryUsageText(): string {
  return usageOf({ show: DELIVERY_USAGE }, '/delivery', 'show');
}

export const ABC_USAGE = { usage: '/abc [by:revenue|margin|assortment|discipline|combined]', example: '/abc by:combined' };
export const FUNNEL_USAGE = { usage: '/funnel [period:30d|90d|quarter|year] [owner:me|@user]', example: '/funnel period:quarter owner:me' };

export function analyticsUsageText(which: 'abc' | 'funnel'): string {
  return usageOf({ abc: ABC_USAGE, funnel: FUNNEL_USAGE }, `/${which}`, which);
}
