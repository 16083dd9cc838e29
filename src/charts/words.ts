/**
 * How a chart writes numbers in its reader's language: counts (`99,960`, `99 960`), percentages
 * (`80%`, `97,5 %`) and vega's own axis ticks (d3-format's locale in the spec's config). The
 * chart's words come from the catalogs (src/i18n), by the locale the chart was asked in.
 */
import type { Locale } from '../i18n/index.ts';

const TAG: Record<Locale, string> = { en: 'en-US', bg: 'bg-BG' };

export function chartNumbers(locale: Locale, opts?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return new Intl.NumberFormat(TAG[locale], opts);
}

/** `x` per cent with `digits` decimals (as few as needed when undefined): `80%` in en, `80 %` and `97,5 %` in bg. */
export function pctIn(x: number, digits: number | undefined, locale: Locale): string {
  const text = digits === undefined ? String(x) : x.toFixed(digits);
  return locale === 'bg' ? `${text.replace('.', ',')}\u00a0%` : `${text}%`;
}

/** d3-format's number locale for vega's axis labels (`.0%` → `20 %` in bg). */
const D3_NUMBERS: Record<Locale, object | undefined> = {
  en: undefined,
  bg: { decimal: ',', thousands: '\u00a0', grouping: [3], currency: ['', '\u00a0€'], percent: '\u00a0%' },
};

/** The spec's config with the locale's number format for vega (unchanged in en). */
export function configIn<C extends object>(config: C, locale: Locale): C | (C & { locale: { number: object } }) {
  const number = D3_NUMBERS[locale];
  return number ? { ...config, locale: { number } } : config;
}
