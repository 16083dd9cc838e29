import type { Refusal } from '../services/refusals.ts';
import { MANUAL_STAGES } from '../domain/stages.ts';
import { CLAIM_STATUSES, type ClaimStatus } from '../domain/claims.ts';
import type { NameRefusal } from '../domain/names.ts';
import type { IdentityRefusal } from '../domain/eik.ts';
import { CONTRACT_STATUSES, type ContractStatus, type DecisionRefusal } from '../domain/contracts.ts';
import { DEFAULT_LOCALE, formatDate, formatMoney, joinList, label, t, tr, type Locale } from '../i18n/index.ts';
import { clip, esc, taskTitle } from './ui/format.ts';
import { fieldValues } from './ui/client-fields.ts';
import type { AmountRefusal, TermsProblem } from '../domain/index.ts';
import { STAGES } from '../domain/stages.ts';
import type { Problem } from './input/problem.ts';
import { interestProblemText } from './ui/messages/invoice.ts';

/**
 * The one place that turns refusals and errors into words for people, in the reader's
 * language (`en` unless told). Every answer says what was wrong and how to write it right.
 */
export function refusalText(r: Refusal, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const stage = (s: Parameters<typeof label<'stage'>>[2]) => label(locale, 'stage', s);
  const date = (d: string) => formatDate(d, locale);
  switch (r.kind) {
    case 'unknown-client': {
      const hint = r.suggestions.length > 0 ? m('refusal.unknownClientHint', { names: r.suggestions.map((s) => `*${esc(s)}*`).join(', ') }) : m('refusal.unknownClientSee');
      if (r.tried && r.tried.length > 1) {
        const each = r.tried.map((x) => m('refusal.readingWith', { name: esc(clip(x.name, 80)), rest: esc(clip(x.rest, 40)) }));
        return m('refusal.unknownClientTried', { readings: joinList(locale, each, 'or'), hint });
      }
      return r.ref === '' ? m('refusal.unknownClientBlank', { hint }) : m('refusal.unknownClient', { ref: esc(clip(r.ref, 80)), hint });
    }
    case 'ambiguous-client': {
      const each = r.choices.map((c) => m('refusal.ambiguousChoice', { name: esc(clip(c.name, 80)), id: c.id, rest: esc(clip(c.rest, 40)) }));
      return m('refusal.ambiguous', { n: r.choices.length, choices: joinList(locale, each, 'or'), id: r.choices[0]!.id, rest: esc(clip(r.choices[0]!.rest, 40)) });
    }
    case 'name-taken':
      return m('refusal.nameTaken', { name: esc(r.name), id: r.id });
    case 'eik-taken':
      return m('refusal.eikTaken', { eik: esc(r.eik), name: esc(r.name), id: r.id });
    case 'nothing-to-change':
      return m('refusal.nothingToChange', { client: esc(r.client), id: r.id, fields: fieldValues(r.fields, locale) });
    case 'bad-name':
      return nameText(r.refusal, locale);
    case 'move':
      switch (r.refusal.kind) {
        case 'same-stage':
          return m('refusal.sameStage', { client: esc(r.client), stage: stage(r.refusal.stage) });
        case 'automatic-stage':
          return r.refusal.to === 'contract'
            ? m('refusal.enterContract', { stage: stage('contract'), client: esc(clip(r.client, 60)) })
            : m('refusal.automaticStage', { stage: stage(r.refusal.to), delivery: stage('delivery'), payment: stage('payment'), won: stage('won'), manual: MANUAL_STAGES.map(stage).join(', ') });
        case 'locked-stage':
          return m('refusal.lockedStage', { client: esc(r.client), stage: stage(r.refusal.from) });
        case 'use-lost-command':
          return m('refusal.useLost', { client: esc(r.client), ref: esc(clip(r.client, 60)) });
      }
      break;
    case 'lost':
      switch (r.refusal.kind) {
        case 'no-open-deal':
          return m('refusal.noOpenDeal', { client: esc(r.client) });
        case 'too-late':
          return m('refusal.tooLate', { client: esc(r.client), stage: stage(r.refusal.from), delivery: stage('delivery') });
        case 'reason-required':
          return m('refusal.reasonRequired', { client: esc(clip(r.client, 60)) });
      }
      break;
    case 'review-note-required':
      return m('refusal.reviewNoteRequired', { client: esc(clip(r.client, 60)) });
    case 'stale':
      return m('refusal.stale', { client: esc(r.client), stage: r.now ? stage(r.now) : '–', ref: esc(clip(r.client, 60)) });
    case 'bad-terms':
      return Object.values(r.errors)
        .map((p) => termsProblemText(p, locale))
        .join(' ');
    case 'contract-exists':
      return m('refusal.contractExists', { client: esc(r.client), id: r.contractId, status: statusText(r.status, locale) });
    case 'unknown-contract':
      return m('refusal.unknownContract', { id: r.id });
    case 'not-editable':
      return m('refusal.notEditable', { id: r.id, status: statusText(r.status, locale), rejected: r.status === 'rejected' ? 'yes' : 'no' });
    case 'not-your-contract':
      return m('refusal.notYourContract', { user: `<@${r.submittedBy}>`, id: r.id, to: r.to ?? 'change' });
    case 'version-moved':
      return m('refusal.versionMoved', { id: r.id, version: r.version });
    case 'decision':
      return decisionText(r.contractId, r.refusal, locale);
    case 'stale-contract':
      return m('refusal.staleContract', { id: r.id });
    case 'not-signable':
      return r.status === 'signed'
        ? m('refusal.alreadySigned', { id: r.id })
        : m('refusal.notSignable', {
            id: r.id,
            status: statusText(r.status, locale),
            missing: r.missing.length > 0 && r.status === 'pending' ? m('refusal.waitingFor', { fns: joinList(locale, r.missing.map((fn) => label(locale, 'fn', fn))) }) : '',
          });
    case 'no-checklist':
      return m('refusal.noChecklist', { id: r.id, status: statusText(r.status, locale) });
    case 'unknown-task':
      return m('refusal.unknownTask');
    case 'task':
      return r.refusal.kind === 'already-done'
        ? m('refusal.taskDone', { title: esc(taskTitle(r, locale)), user: `<@${r.refusal.by}>` })
        : m('refusal.taskNotYours', { who: label(locale, 'serviceWho', r.refusal.service), title: esc(taskTitle(r, locale)) });
    case 'contract-of-other-client':
      return m('refusal.contractOfOther', { id: r.id, client: esc(r.client) });
    case 'contract-not-signed':
      return m('refusal.contractNotSigned', { id: r.id, status: statusText(r.status, locale) });
    case 'unknown-invoice':
      return m('refusal.unknownInvoice', { id: r.id });
    case 'invoice-number-taken':
      return m('refusal.numberTaken', { number: esc(r.number), id: r.id });
    case 'issued-in-future':
      return m('refusal.issuedInFuture', { date: date(r.date), today: date(r.today) });
    case 'currency-replaced': {
      // The changeover is a Bulgarian date: it reads DD.MM.YYYY in every language.
      const dotted = (d: string) => d.split('-').reverse().join('.');
      const since = r.currency === 'BGN' && r.use === 'EUR' ? m('refusal.euro', { since: dotted(r.since) }) : m('refusal.replaced', { use: r.use, currency: r.currency, since: dotted(r.since) });
      const older = r.document === 'invoice' ? m('refusal.currencyOlder', { since: dotted(r.since), currency: r.currency }) : '';
      return m('refusal.currencyReplaced', { since, document: r.document, dated: dotted(r.dated), currency: r.currency, use: r.use, older });
    }
    case 'interest':
      return interestProblemText(r.number, r.problem, locale);
    case 'bad-amount':
      return amountProblem(r.text, r.currency, r.refusal, locale);
    case 'payment-in-future':
      return m('refusal.paymentInFuture', { date: date(r.date), today: date(r.today) });
    case 'payment':
      return r.refusal.kind === 'already-paid'
        ? m('refusal.alreadyPaidRecorded', { invoice: r.invoice })
        : m('refusal.overOwed', { invoice: r.invoice, owed: formatMoney(r.refusal.owedMinor, r.currency, locale) });
    case 'payment-currency': {
      const dotted = (d: string) => d.split('-').reverse().join('.');
      const which = r.changeover === null ? 'other' : r.owedIn === r.changeover.to ? 'euro' : 'lev';
      return m('refusal.paymentCurrency', { case: which, since: r.changeover ? dotted(r.changeover.since) : '', invoice: r.invoice, currency: r.currency, owedIn: r.owedIn, date: date(r.date), id: r.id });
    }
    case 'promise':
      switch (r.refusal.kind) {
        case 'already-paid':
          return m('refusal.promisePaid', { invoice: r.invoice });
        case 'not-in-future':
          return m('refusal.promisePast', { today: date(r.refusal.today) });
        case 'too-far':
          return m('refusal.promiseFar', { days: r.refusal.maxDays });
      }
      break;
    case 'invoice-paid':
      return m('refusal.invoicePaid', { invoice: r.invoice });
    case 'not-owner':
      return m('refusal.notOwner', { user: `<@${r.ownerId}>`, invoice: r.invoice });
    case 'unknown-claim':
      return m('refusal.unknownClaim', { id: r.id });
    case 'not-legal':
      return m('refusal.notLegal');
    case 'claim-decided':
      return m('refusal.claimDecided', { id: r.id, status: (CLAIM_STATUSES as readonly string[]).includes(r.status) ? label(locale, 'claimStatus', r.status as ClaimStatus) : r.status, user: `<@${r.by}>` });
  }
}

/** A contract's status as people say it: `waiting for approval`, `чака одобрение`. */
export function statusText(s: ContractStatus, locale: Locale = DEFAULT_LOCALE): string {
  return label(locale, 'contractStatus', s);
}

export function decisionText(contractId: number, r: DecisionRefusal, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (r.kind) {
    case 'not-approver':
      return m('decisionRefusal.notApprover', { fn: label(locale, 'fn', r.fn) });
    case 'own-contract':
      return m('decisionRefusal.own', { id: contractId });
    case 'stale-version':
      return m('decisionRefusal.staleVersion', { clicked: r.clicked, id: contractId, current: r.current });
    case 'already-decided':
      return m('decisionRefusal.alreadyDecided', { who: r.byActor ? m('decisionRefusal.you') : `<@${r.by}>`, decision: r.decision, id: contractId, fn: label(locale, 'fn', r.fn) });
    case 'not-pending':
      return m('decisionRefusal.notPending', { id: contractId, status: statusText(r.status, locale) });
    case 'reason-required':
      return m('decisionRefusal.reason');
    case 'exceptions-unconfirmed':
      return m('decisionRefusal.exceptions', { missing: r.missing.join(', ') });
  }
}

/** Why `eik:<typed>` or `vat:<typed>` was refused (SPEC §5), naming the field as written. */
export function identityText(r: IdentityRefusal, typed: string, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  const given = `\`${r.field}:${esc(clip(typed, 30))}\``;
  if (r.field === 'eik') {
    switch (r.kind) {
      case 'empty':
        return m('identity.eikEmpty');
      case 'not-digits':
        return m('identity.eikNotDigits', { given });
      case 'bad-eik-length':
        return m('identity.eikLength', { given, length: r.length });
      case 'bad-eik-checksum':
        return m('identity.eikChecksum', { given });
    }
  }
  switch (r.kind) {
    case 'empty':
      return m('identity.vatEmpty');
    case 'bad-vat-prefix':
      return m('identity.vatPrefix', { given });
    case 'not-digits':
      return m('identity.vatNotDigits', { given });
    case 'bad-vat-length':
      return m('identity.vatLength', { given, length: r.length });
    case 'bad-vat-checksum':
      return m('identity.vatChecksum', { given });
    case 'bad-egn-date':
      return m('identity.vatEgnDate', { given });
    default:
      return m('identity.vatOther', { given });
  }
}

function nameText(r: NameRefusal, locale: Locale): string {
  const m = tr(locale);
  switch (r.kind) {
    case 'empty':
      return m('name.empty');
    case 'too-long':
      return m('name.tooLong', { length: r.length, max: r.max });
    case 'forbidden-character':
      return m('name.forbidden', { char: esc(r.char === '`' ? "'`'" : r.char) });
    case 'starts-with-hash':
      return m('name.hash');
  }
}

/** What was wrong with a command, then its usage. */
export function problemText(problem: Problem | string, usage: string, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'problem', { problem: typeof problem === 'string' ? problem : problemSentence(problem, locale), usage });
}

/** A parser's problem in the reader's words. */
export function problemSentence(p: Problem, locale: Locale = DEFAULT_LOCALE): string {
  switch (p.kind) {
    case 'message':
      // The values were checked against the message when the problem was made (input/problem.ts).
      return (t as (l: Locale, key: string, values?: Record<string, string | number>) => string)(locale, p.key, p.values);
    case 'identity':
      return identityText(p.refusal, p.typed, locale);
    case 'amount': {
      const why = amountProblem(p.text, p.currency, p.refusal, locale);
      return p.field ? t(locale, 'parse.amountField', { field: p.field, problem: why }) : why;
    }
    case 'not-stage':
      return t(locale, 'parse.notStage', { given: p.given, stages: STAGES.map((s) => label(locale, 'stage', s)).join(', ') });
    case 'not-contract-status':
      return t(locale, 'parse.contract.notStatus', { given: p.given, statuses: joinList(locale, CONTRACT_STATUSES.map((s) => label(locale, 'contractStatusWord', s)), 'or') });
    case 'terms':
      return termsProblemText(p.problem, locale);
  }
}

/** A form's problems, by block, in the reader's words. */
export function formProblemsText(errors: Record<string, Problem>, locale: Locale = DEFAULT_LOCALE): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([block, p]) => [block, problemSentence(p, locale)]));
}

/** What is wrong with one contract term (domain checkTerms). */
export function termsProblemText(p: TermsProblem, locale: Locale = DEFAULT_LOCALE): string {
  switch (p.kind) {
    case 'subject-empty':
      return t(locale, 'terms.subjectEmpty');
    case 'subject-long':
      return t(locale, 'terms.subjectLong', { max: p.max });
    case 'currency':
      return t(locale, 'terms.currency');
    case 'amount':
      return t(locale, 'terms.amount');
    case 'net-days':
      return t(locale, 'terms.netDays', { max: p.max });
    case 'discount':
      return t(locale, 'terms.discount');
    case 'long-text':
      return t(locale, 'terms.longText', { max: p.max });
  }
}

/** What was wrong with an amount someone typed, and how to write it. */
export function amountProblem(text: string, currency: string, r: AmountRefusal, locale: Locale = DEFAULT_LOCALE): string {
  const m = tr(locale);
  switch (r.kind) {
    case 'too-many-decimals':
      return m('amount.decimals', { text: clip(text), currency, digits: r.digits });
    case 'not-positive':
      return m('amount.notPositive');
    case 'too-large':
      return m('amount.tooLarge', { text: clip(text) });
    case 'not-a-number':
      return m('amount.notANumber', { text: clip(text) });
  }
}

/** An unexpected error after the request was taken, with the reference its log line carries. */
export function unexpectedAfterAckText(ref: string, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'unexpected.afterAck', { ref });
}

/** For a failure we did not foresee: short, honest, and without internals; the reference is its log line's. */
export function unexpectedText(ref: string, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, 'unexpected', { ref });
}
