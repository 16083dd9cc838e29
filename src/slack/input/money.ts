import type { AmountRefusal } from '../../domain/index.ts';
import { DEFAULT_LOCALE, tr, type Locale } from '../../i18n/index.ts';
import { clip } from '../ui/format.ts';

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
