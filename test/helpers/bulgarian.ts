/**
 * The checks that a Bulgarian answer, post, modal or Home view says nothing in English: no
 * sentence of the English catalog and no code as it is stored. Shared by the views test
 * (test/i18n/views.bg.test.ts) and the journey over the wire (test/i18n/journey.bg.test.ts).
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { ABC_CRITERIA } from '../../src/domain/abc.ts';
import { CLAIM_STATUSES, DUNNING_EVENTS } from '../../src/domain/claims.ts';
import { CONTRACT_KINDS, CONTRACT_STATUSES, DECISIONS, FUNCTIONS } from '../../src/domain/contracts.ts';
import { SERVICES } from '../../src/domain/delivery.ts';
import { DUNNING_ACTIONS, DUNNING_OUTCOMES } from '../../src/domain/dunning.ts';
import { INVOICE_STATUSES } from '../../src/domain/invoices.ts';
import { STAGES } from '../../src/domain/stages.ts';
import { CATALOGS, type MessageKey } from '../../src/i18n/index.ts';

/** What people read: every `text` of the message or view (and the notification text). */
export function shown(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, key?: string): void => {
    if (typeof x === 'string') {
      if (key === 'text') out.push(x);
      return;
    }
    if (Array.isArray(x)) return x.forEach((e) => walk(e));
    if (x && typeof x === 'object') for (const [k, e] of Object.entries(x)) walk(e, k);
  };
  walk(v);
  return out;
}

/** Text with what is no prose taken out: code spans, emoji names, mentions, links and ids. */
export const prose = (s: string) => s.replace(/`[^`]*`/g, ' ').replace(/:[a-z0-9_+-]+:/g, ' ').replace(/<[@#!][^>]*>/g, ' ').replace(/\bU0[A-Z0-9]+\b/g, ' ');

/** The literal pieces of the English catalog long enough to be a phrase (a bare command such as `/client add` is no phrase: it is typed as it is in both languages). */
export function englishPhrases(): string[] {
  const pieces: string[] = [];
  const walk = (els: MessageFormatElement[]) => {
    for (const e of els) {
      if (e.type === TYPE.literal) pieces.push(...e.value.split(/[`*_]/));
      if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) walk(o.value);
    }
  };
  for (const k of Object.keys(CATALOGS.en) as MessageKey[]) walk(parse(CATALOGS.en[k], { ignoreTag: true }));
  return [...new Set(pieces.map((p) => p.trim()).filter((p) => !/^\/[a-z]+( [a-z]+)?$/.test(p) && /[a-z]{3,}.*\s.*[a-z]{3,}/.test(prose(p))))];
}

export const CODES = [...STAGES, ...CONTRACT_STATUSES, ...FUNCTIONS, ...DECISIONS, ...CONTRACT_KINDS, ...SERVICES, ...INVOICE_STATUSES, ...DUNNING_ACTIONS, ...DUNNING_OUTCOMES, ...DUNNING_EVENTS, ...CLAIM_STATUSES, ...ABC_CRITERIA];


/** The English phrases and stored codes a text shows (prose only: code spans, mentions and emoji names aside). */
export function englishIn(v: unknown, phrases: readonly string[] = englishPhrases()): { phrases: string[]; codes: string[] } {
  const text = shown(v).map(prose).join('\n');
  return {
    phrases: phrases.filter((p) => text.includes(p)),
    codes: CODES.filter((c) => new RegExp(`(^|[^a-z_-])${c}($|[^a-z_-])`).test(text)),
  };
}
