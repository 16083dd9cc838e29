/**
 * What a scheduled job did, in words: the line the log keeps (English) and the answer the admin
 * who ran `/dealdesk digest <job>` or `npm run digest -- <job>` reads (their language). Pure.
 */
import type { JobOutcome } from '../../../scheduler/jobs.ts';
import { DEFAULT_LOCALE, label, tr, type Locale } from '../../../i18n/index.ts';
import { periodText } from './analytics.ts';

export function jobSummary(o: JobOutcome, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (o.job) {
    case 'approvals':
      return m('job.approvals', { legal: o.legal, finance: o.finance });
    case 'overdue':
      return m('job.overdue', { n: o.invoices });
    case 'dunning':
      return m('job.dunning', { sent: o.sent, broken: o.broken, claims: o.claims, paused: o.paused });
    case 'delivery':
      return m('job.delivery', { n: o.tasks });
    case 'segments':
      return m('job.segments', { by: label(locale, 'criterion', o.by), changed: o.changed, written: o.written });
    case 'abc':
      return m('job.abc', { by: label(locale, 'criterion', o.by), changed: o.changed });
    case 'funnel':
      return m('job.funnel', { period: periodText(o.period, locale) });
    case 'reviews':
      return m('job.reviews', { due: o.due, owners: o.owners, quiet: o.quiet });
    case 'backup': {
      const b = o.backup;
      if (b.kind === 'no-pg-dump') return m('job.backupNoPgDump');
      return b.kind === 'pg-dump' ? m('job.backupPgDump', { file: b.file, kib: b.kib }) : m('job.backupSqlite', { file: b.file, kib: b.kib, pruned: b.pruned });
    }
  }
}
