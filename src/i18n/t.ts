/**
 * The catalogs and the formatter (index.ts re-exports this with the labels and input words).
 *
 * Words in one place per language (SPEC §5 "Language", ARCHITECTURE "Words in one place").
 *
 * Messages are ICU MessageFormat, formatted by @formatjs/intl: ICU is the standard message
 * syntax, formatjs is well kept, and its plural rules come from CLDR through Intl.PluralRules,
 * so „1 фактура“ / „3 фактури“ and "1 day" / "2 days" follow from the message, not from code.
 * Domain and parsers return codes and values; slack/ui and slack/reply.ts turn them into words
 * with `t`, which takes the reader's locale.
 */
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { formatMoney as formatMoneyIn } from '../domain/money.ts';
import type { ArgsOf } from './args.ts';
import { en } from './en.ts';
import { bg } from './bg.ts';

import { DEFAULT_LOCALE, LOCALES, type Locale } from '../domain/locales.ts';

export { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '../domain/locales.ts';

/** Every message's key; a key missing from a catalog is a compile error there. */
export type MessageKey = keyof typeof en;
/** What the message needs, read from the English text; the catalog test holds bg to the same. */
export type MessageValues<K extends MessageKey> = ArgsOf<(typeof en)[K]>;
export type ValuesArg<K extends MessageKey> = keyof MessageValues<K> extends never ? [] : [values: MessageValues<K>];

export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, bg };

/** The BCP 47 tag Intl formats numbers and plurals with. */
const INTL_LOCALE: Record<Locale, string> = { en: 'en', bg: 'bg-BG' };

const cache = createIntlCache();
const intls = new Map<Locale, IntlShape>();

/**
 * One formatter per locale, its messages parsed once. `ignoreTag`: Slack's own markup
 * (`<@U123>`, `<name>` in usage lines) is text, not the rich-text tags formatjs would read.
 */
function intlFor(locale: Locale): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    const messages: Record<string, MessageFormatElement[]> = {};
    for (const [k, v] of Object.entries(CATALOGS[locale])) messages[k] = parse(v, { ignoreTag: true });
    intl = createIntl(
      {
        locale: INTL_LOCALE[locale],
        defaultLocale: INTL_LOCALE[locale],
        messages,
        // A missing value or a broken message is a bug: say so instead of printing the id.
        onError: (e) => {
          throw e;
        },
      },
      cache,
    );
    intls.set(locale, intl);
  }
  return intl;
}

/** A message ready to format: its text when it has no arguments. */
type Compiled = string | { format(values: Record<string, unknown>): unknown };
const compiled = new Map<Locale, Map<string, Compiled>>();

/**
 * The message `key` in `locale`, its arguments filled in. What intl.formatMessage does, with the
 * formatter kept per message: formatMessage looks its formatter up in a cache keyed by the
 * message's parsed form serialised to JSON, on every call (a card's dozens of lines spent more
 * there than in formatting).
 */
export function t<K extends MessageKey>(locale: Locale, key: K, ...values: ValuesArg<K>): string {
  let byKey = compiled.get(locale);
  if (!byKey) compiled.set(locale, (byKey = new Map()));
  let m = byKey.get(key);
  if (m === undefined) {
    const intl = intlFor(locale);
    const ast = intl.messages[key] as MessageFormatElement[];
    const only = ast.length === 1 ? ast[0] : undefined;
    m = only?.type === TYPE.literal ? only.value : intl.formatters.getMessageFormat(ast, intl.locale, intl.formats, { formatters: intl.formatters });
    byKey.set(key, m);
  }
  return typeof m === 'string' ? m : (m.format({ ...(values[0] as Record<string, unknown> | undefined) }) as string);
}

/** A translator bound to one locale, for a view that says many things: `const m = tr(locale)`. */
export type Tr = <K extends MessageKey>(key: K, ...values: ValuesArg<K>) => string;
export function tr(locale: Locale): Tr {
  return (key, ...values) => t(locale, key, ...values);
}

/** `12 500,00 €` in bg (Intl.NumberFormat('bg-BG')), `€12,500.00` in en; exact from minor units. */
export function formatMoney(minor: number, currency: string, locale: Locale = DEFAULT_LOCALE): string {
  return formatMoneyIn(minor, currency, INTL_LOCALE[locale]);
}

/** A calendar date `YYYY-MM-DD` as people of the locale write it: `24.11.2026` in bg, unchanged in en. */
export function formatDate(iso: string, locale: Locale = DEFAULT_LOCALE): string {
  if (locale === 'en') return iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** `YYYY-MM-DD HH:mm` (a wall-clock time) as the locale writes it: `24.11.2026 10:00` in bg. */
export function formatDateTime(local: string, locale: Locale = DEFAULT_LOCALE): string {
  const [date = '', time] = local.split(' ');
  return time === undefined ? formatDate(date, locale) : `${formatDate(date, locale)} ${time}`;
}

/** A decimal as the locale writes it: `7.5` → `7,5` in bg. */
export function formatDecimal(text: string, locale: Locale = DEFAULT_LOCALE): string {
  return locale === 'bg' ? text.replace('.', ',') : text;
}

/** `a, b and c` (or `… or c`) in the locale's words. */
export function joinList(locale: Locale, items: readonly string[], word: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return t(locale, word === 'and' ? 'list.and' : 'list.or', { most: items.slice(0, -1).join(', '), last: items[items.length - 1]! });
}

