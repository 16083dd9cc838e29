import type { DunningOutcome } from '../../../domain/dunning.ts';
import type { Decision } from '../../../domain/contracts.ts';
import type { AbcCriterion } from '../../../domain/abc.ts';
import type { Segment, Stage } from '../../../domain/stages.ts';
import type { JobName } from '../../../domain/jobs.ts';
import { DEFAULT_LOCALE, formatDate, label, t, tr, type Locale } from '../../../i18n/index.ts';
import { esc, user } from '../format.ts';

/** The short answers of clicks, forms and commands, in the reader's language. */

/** A button whose value no longer parses or names nothing. */
export function staleButton(what: 'client' | 'contract' | 'any', locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, what === 'client' ? 'stale.client' : what === 'contract' ? 'stale.contract' : 'stale.any');
}

/** A form whose hidden data no longer names what it was opened for. */
export function formGone(what: 'contract' | 'invoice' | 'client', locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, `formGone.${what}`);
}

export function lostReasonMissing(locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'form.lostReason');
}

export function decisionReasonMissing(decision: Exclude<Decision, 'approved'>, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, decision === 'rejected' ? 'form.rejectReason' : 'form.changesReason');
}

export function tickEveryException(locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'form.tickEvery');
}

export function pickPromiseDate(locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'form.pickPromise');
}

/** Modal errors are plain text of at most a couple of lines: no mrkdwn, no mention markup. */
export function modalError(s: string, locale: Locale = DEFAULT_LOCALE): string {
  return s.replace(/[*_`]/g, '').replace(/<@([A-Z0-9]+)>/g, t(locale, 'form.theSubmitter')).slice(0, 150);
}

export function dunningOutcomeLogged(outcome: Exclude<DunningOutcome, 'promised'>, r: { id: number; number: string; clientName: string }, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'dunning.loggedOutcome', { outcome, id: r.id, number: r.number, client: r.clientName });
}

export function promiseLogged(r: { id: number; number: string }, date: string, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'dunning.promiseLogged', { id: r.id, number: r.number, date: formatDate(date, locale) });
}

export function promiseRecorded(r: { id: number; number: string; clientName: string }, date: string, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'invoice.promiseRecorded', { client: esc(r.clientName), id: r.id, number: r.number, date: formatDate(date, locale) });
}

export function invoiceLabel(id: number, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'invoice.label', { id });
}

export function abcWorking(by: AbcCriterion, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'abc.working', { criterion: label(locale, 'criterion', by) });
}

export function funnelWorking(locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'funnel.working');
}

export function digestAdminsOnly(locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'digest.adminsOnly');
}

export function digestRunning(job: JobName, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'digest.running', { job });
}

/** `summary` is what the job did, in the reader's words (jobs.ts). */
export function digestRan(job: JobName, summary: string, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'digest.ran', { job, summary });
}

/** The filters of a `/client list`, as they could be typed again. */
export function clientFilterText(f: { stage?: Stage | undefined; segment?: Segment | undefined; ownerId?: string | undefined }, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  return [
    f.stage && m('client.filterStage', { stage: label(locale, 'stage', f.stage) }),
    f.segment && m('client.filterSegment', { segment: f.segment }),
    f.ownerId && m('client.filterOwner', { user: user(f.ownerId) }),
  ]
    .filter(Boolean)
    .join(' ');
}

/** The answer to `/dealdesk language bg|en`, in the language just chosen. */
export function languageChosen(locale: Locale): string {
  return t(locale, 'language.set');
}

/** The answer to `/dealdesk language`: what one reads now, and whether by one's own choice. */
export function languageNow(locale: Locale, chosen: boolean): string {
  return t(locale, 'language.current', { locale, chosen: chosen ? 'yes' : 'no' });
}
