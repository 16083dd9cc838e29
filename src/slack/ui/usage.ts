import type { InvoiceUsage } from '../input/invoice.ts';
import { JOB_NAMES } from '../../domain/jobs.ts';
import type { AbcCriterion } from '../../domain/abc.ts';
import { MANUAL_STAGES, STAGES } from '../../domain/stages.ts';
import { PIPELINE_STAGES } from '../../domain/funnel.ts';
import type { ContractUsage } from '../input/contract.ts';
import type { ClientUsage } from '../input/client.ts';
import { DEFAULT_LOCALE, label, t, tr, type Locale, type MessageKey } from '../../i18n/index.ts';

/** A usage line's command: its `usage.<cmd>` and `example.<cmd>` messages in the catalog. */
type UsageCmd = `client.${Exclude<ClientUsage, 'all'>}` | `contract.${Exclude<ContractUsage, 'all'>}` | `invoice.${Exclude<InvoiceUsage, 'all'>}` | 'delivery.show' | 'abc' | 'funnel';
// Every command above has its usage line and example in the catalog.
const everyUsageIsAMessage: `usage.${UsageCmd}` | `example.${UsageCmd}` extends MessageKey ? true : never = true;
void everyUsageIsAMessage;

interface UsageLine {
  usage: string;
  example: string;
}

const line = (locale: Locale, cmd: UsageCmd): UsageLine => ({ usage: t(locale, `usage.${cmd}` as 'usage.abc'), example: t(locale, `example.${cmd}` as 'example.abc') });

/** One usage line with its example, or every line of a command (`all`). */
function usageOf(lines: UsageLine[], command: string, which: UsageLine | 'all', locale: Locale): string {
  if (which === 'all') return [t(locale, 'usage.label'), ...lines.map((u) => `\`${u.usage}\``), `\`${command} help\``].join('\n');
  return t(locale, 'usage.one', which);
}

/** A command's help: every usage line with its example, then the notes. */
function helpOf(title: string, lines: UsageLine[], notes: string[], locale: Locale): string {
  return [t(locale, 'usage.title', { title }), ...lines.map((u) => t(locale, 'usage.helpLine', u)), ...notes].join('\n');
}

/** Usage lines, with an example each (SPEC §3), by subcommand. */
const CLIENT_CMDS: Record<Exclude<ClientUsage, 'all'>, UsageCmd> = { add: 'client.add', set: 'client.set', show: 'client.show', list: 'client.list', move: 'client.move', lost: 'client.lost', review: 'client.review', history: 'client.history' };
const CONTRACT_CMDS: Record<Exclude<ContractUsage, 'all'>, UsageCmd> = { new: 'contract.new', show: 'contract.show', list: 'contract.list', sign: 'contract.sign', edit: 'contract.edit' };
const INVOICE_CMDS: Record<Exclude<InvoiceUsage, 'all'>, UsageCmd> = { add: 'invoice.add', list: 'invoice.list', pay: 'invoice.pay', promise: 'invoice.promise', interest: 'invoice.interest' };

const linesOf = (cmds: Record<string, UsageCmd>, locale: Locale) => Object.values(cmds).map((c) => line(locale, c));

export function clientUsageText(which: ClientUsage, locale: Locale = DEFAULT_LOCALE): string {
  return usageOf(linesOf(CLIENT_CMDS, locale), '/client', which === 'all' ? 'all' : line(locale, CLIENT_CMDS[which]), locale);
}

export function clientHelpText(locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const stage = (s: (typeof STAGES)[number]) => label(locale, 'stage', s);
  return helpOf(
    m('help.client.title'),
    linesOf(CLIENT_CMDS, locale),
    [
      m('help.client.stages', { stages: PIPELINE_STAGES.map(stage).join(' → '), lost: stage('lost'), delivery: stage('delivery') }),
      m('help.client.manual', { manual: MANUAL_STAGES.map(stage).join(', ') }),
      m('help.client.names'),
      m('help.client.retention'),
    ],
    locale,
  );
}

export function contractUsageText(which: ContractUsage, locale: Locale = DEFAULT_LOCALE): string {
  return usageOf(linesOf(CONTRACT_CMDS, locale), '/contract', which === 'all' ? 'all' : line(locale, CONTRACT_CMDS[which]), locale);
}

export function contractHelpText(locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  return helpOf(m('help.contract.title'), linesOf(CONTRACT_CMDS, locale), [m('help.contract.fields'), m('help.contract.approvals')], locale);
}

export function dealdeskUsageText(which: 'all' | 'digest' | 'language', locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const digest = m('usage.dealdesk.digest', { jobs: JOB_NAMES.join('|') });
  if (which === 'language') return m('usage.dealdesk.languageOne');
  return which === 'digest' ? m('usage.dealdesk.digestOne', { digest }) : m('usage.dealdesk.all', { digest });
}

/** The overview `/dealdesk help` gives: every command with an example. */
export function dealdeskHelpText(locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const all = [...linesOf(CLIENT_CMDS, locale), ...linesOf(CONTRACT_CMDS, locale), line(locale, 'delivery.show'), ...linesOf(INVOICE_CMDS, locale), line(locale, 'abc'), line(locale, 'funnel')];
  return [m('help.dealdesk.intro'), ...all.map((u) => m('help.dealdesk.line', { usage: u.usage })), m('help.dealdesk.language'), m('help.dealdesk.digest', { jobs: JOB_NAMES.join('|') }), m('help.dealdesk.more')].join('\n');
}

export function invoiceUsageText(which: InvoiceUsage, locale: Locale = DEFAULT_LOCALE): string {
  return usageOf(linesOf(INVOICE_CMDS, locale), '/invoice', which === 'all' ? 'all' : line(locale, INVOICE_CMDS[which]), locale);
}

export function invoiceHelpText(locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  return helpOf(m('help.invoice.title'), linesOf(INVOICE_CMDS, locale), [m('help.invoice.due'), m('help.invoice.number'), m('help.invoice.dunning'), m('help.invoice.interest')], locale);
}

export function deliveryUsageText(locale: Locale = DEFAULT_LOCALE): string {
  return usageOf([line(locale, 'delivery.show')], '/delivery', line(locale, 'delivery.show'), locale);
}

export function analyticsUsageText(which: 'abc' | 'funnel', locale: Locale = DEFAULT_LOCALE): string {
  return usageOf([line(locale, which)], `/${which}`, line(locale, which), locale);
}

/** `/abc help` and `/funnel help`: the usage line with its example, then what the command does. */
export function analyticsHelpText(which: 'abc' | 'funnel', defaultCriterion: AbcCriterion, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const note = which === 'abc' ? m('help.abc.note', { criterion: label(locale, 'criterion', defaultCriterion) }) : m('help.funnel.note');
  return [t(locale, 'usage.title', { title: which === 'abc' ? m('help.abc.title') : m('help.funnel.title') }), analyticsUsageText(which, locale), note].join('\n');
}

/** `/delivery help`. */
export function deliveryHelpText(locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  return [t(locale, 'usage.title', { title: m('help.delivery.title') }), deliveryUsageText(locale), m('help.delivery.note')].join('\n');
}
